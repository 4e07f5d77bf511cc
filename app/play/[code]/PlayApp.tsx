"use client";

import { useState } from "react";
import { ConnectionBanner, Spinner } from "@/app/_components/ConnectionBanner";
import { usePlayerRoom } from "@/app/_lib/usePlayerRoom";
import { NicknameForm } from "./_components/NicknameForm";
import { RoundPlay } from "./_components/RoundPlay";
import { PlayerReveal } from "./_components/PlayerReveal";
import { ForgeScreen } from "./_components/ForgeScreen";
import { EndScreen, Lobby, Notice } from "./_components/Screens";

/** The student's phone: join, wait, label images, see how they did. */
export function PlayApp({ code }: { code: string }) {
  const { view, join, answer, forge } = usePlayerRoom(code);
  const { room, round, reveal, result, me } = view;
  // The forge tab a student opens after a reveal, for that reveal: a new round closes it.
  const [forgeTabFor, setForgeTabFor] = useState<string | null>(null);
  const between = room?.status === "lobby" || room?.status === "reveal";
  const forgeTab = forgeTabFor !== null && forgeTabFor === (room?.round?.roundId ?? null);

  let body: React.ReactNode;
  if (view.stage === "loading") {
    body = (
      <Notice title="Finding your seat…">
        <Spinner /> Connecting to game {code}
      </Notice>
    );
  } else if (view.stage === "nickname" || view.stage === "joining") {
    body = (
      <NicknameForm
        code={code}
        busy={view.stage === "joining"}
        serverError={view.joinError}
        onJoin={join}
      />
    );
  } else if (view.stage === "kicked") {
    body = (
      <Notice title="You were removed from this game" tone="bad">
        {view.message ?? "The teacher removed you from this game."}
      </Notice>
    );
  } else if (view.stage === "ended") {
    body = <EndScreen reveal={reveal} result={result} meId={me?.playerId ?? null} />;
  } else if (view.stage === "fatal") {
    body = (
      <Notice title="Please reload" tone="bad">
        <span>{view.message}</span>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-2 rounded-xl bg-indigo-600 px-5 py-3 font-semibold text-white"
        >
          Reload
        </button>
      </Notice>
    );
  } else if (me && room && between && (room.forge?.open || forgeTab)) {
    body = (
      <ForgeScreen
        code={code}
        seatToken={me.seatToken}
        pinnedStep={room.forge?.step ?? null}
        phase={room.forge?.open ?? false}
        onSubmit={forge}
        waiting={view.forgery}
        onClose={() => setForgeTabFor(null)}
      />
    );
  } else if (reveal && round && reveal.roundId === round.roundId) {
    body = (
      <PlayerReveal
        reveal={reveal}
        result={result}
        round={round}
        meId={me?.playerId ?? null}
        onForge={room?.status === "reveal" ? () => setForgeTabFor(reveal.roundId) : undefined}
      />
    );
  } else if (round && room && room.status === "round" && room.round?.roundId === round.roundId) {
    body = (
      <RoundPlay
        round={round}
        answers={view.answers}
        offset={view.offset}
        totalMs={room.settings.roundSeconds * 1000}
        onAnswer={answer}
      />
    );
  } else if (room?.status === "round") {
    body = (
      <Notice title="A round is under way">
        You joined mid-round: you&apos;ll play from the next round. Get ready!
      </Notice>
    );
  } else {
    body = <Lobby room={room} nickname={me?.nickname ?? null} />;
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <ConnectionBanner
        // After a kick, the end or a fatal error there is nothing to reconnect to.
        online={
          view.online || view.stage === "kicked" || view.stage === "ended" || view.stage === "fatal"
        }
        everConnected={view.everConnected}
      />
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-2.5">
        <span className="text-lg font-black tracking-tight">
          Spot the <span className="text-fake">Fake</span>
        </span>
        <span className="flex items-center gap-2 text-sm text-slate-600">
          {me ? (
            <span className="max-w-32 truncate font-semibold text-ink">{me.nickname}</span>
          ) : null}
          <span className="rounded-md bg-slate-100 px-2 py-0.5 font-mono font-bold tracking-widest">
            {code}
          </span>
        </span>
      </header>
      <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col px-4 py-5">{body}</main>
    </div>
  );
}
