"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useHostRoom } from "@/app/_lib/useHostRoom";
import { useHostTrainer } from "@/app/_lib/useHostTrainer";
import { loadHostToken } from "@/app/_lib/storage";
import type { CriticData } from "@/lib/protocol";
import { Projector } from "./_components/Projector";
import { StartScreen } from "./_components/StartScreen";

/** The teacher's page: create or resume a room, then the projector view with its controls. */
export function HostApp() {
  const params = useSearchParams();
  // Read once: later URL updates (after creating a room) must not reconnect the socket.
  const [initialCode] = useState(() => params.get("code")?.toUpperCase() ?? null);
  const preset = params.get("preset");
  const critic = useRef<((data: CriticData) => void) | null>(null);
  const host = useHostRoom(initialCode, (data) => critic.current?.(data));
  const { view } = host;
  const trainer = useHostTrainer({
    presetName: preset,
    backendName: params.get("backend"),
    settings: view.room?.settings ?? null,
    uploads: host.uploads,
    active: view.stage === "hosting",
    resumeFrom: async () => {
      const token = view.code ? loadHostToken(view.code) : null;
      if (!view.code || !token) return null;
      const res = await fetch(`/api/rooms/${view.code}/snapshot`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
    },
  });
  useEffect(() => {
    critic.current = (data) => void trainer.addCriticData(data);
  });

  async function create() {
    const code = await host.create();
    if (!code) return;
    const next = new URLSearchParams({ code });
    for (const key of ["preset", "backend"]) {
      const value = params.get(key);
      if (value) next.set(key, value);
    }
    window.history.replaceState(null, "", `/host?${next.toString()}`);
  }

  if (view.stage === "hosting" && view.room && view.code) {
    return <Projector host={host} trainer={trainer} code={view.code} room={view.room} />;
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
