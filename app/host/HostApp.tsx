"use client";

import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useHostRoom } from "@/app/_lib/useHostRoom";
import { Projector } from "./_components/Projector";
import { StartScreen } from "./_components/StartScreen";

/** The teacher's page: create or resume a room, then the projector view with its controls. */
export function HostApp() {
  const params = useSearchParams();
  // Read once: later URL updates (after creating a room) must not reconnect the socket.
  const [initialCode] = useState(() => params.get("code")?.toUpperCase() ?? null);
  const preset = params.get("preset");
  const host = useHostRoom(initialCode);
  const { view } = host;

  async function create() {
    const code = await host.create();
    if (!code) return;
    const next = new URLSearchParams({ code });
    if (preset) next.set("preset", preset);
    window.history.replaceState(null, "", `/host?${next.toString()}`);
  }

  if (view.stage === "hosting" && view.room && view.code) {
    return <Projector host={host} code={view.code} room={view.room} preset={preset} />;
  }
  return (
    <StartScreen
      stage={view.stage}
      code={view.code}
      message={view.message}
      online={view.online}
      onCreate={create}
    />
  );
}
