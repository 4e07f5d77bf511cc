"use client";

import { ConnectionBanner } from "@/app/_components/ConnectionBanner";
import type { useHostRoom } from "@/app/_lib/useHostRoom";
import type { useHostTrainer } from "@/app/_lib/useHostTrainer";
import type { RoomState } from "@/lib/protocol";
import { Controls } from "./Controls";
import { JoinPanel } from "./JoinPanel";
import { LobbyStage } from "./LobbyStage";
import { PlayersPanel } from "./PlayersPanel";
import { RevealStage } from "./RevealStage";
import { RoundStage } from "./RoundStage";
import { ForgeStage } from "./ForgeStage";
import { SettingsPanel } from "./SettingsPanel";
import { StatsChart } from "./StatsChart";
import { TrainerPanel } from "./TrainerPanel";
import { TrainerStatus } from "./TrainerStatus";
import { LockIcon } from "@/app/_components/Icons";

type Host = ReturnType<typeof useHostRoom>;

interface Props {
  host: Host;
  trainer: ReturnType<typeof useHostTrainer>;
  code: string;
  room: RoomState;
}

/** The big screen: what the class sees on the left, the teacher's controls on the right. */
export function Projector({ host, trainer, code, room }: Props) {
  const { view, act } = host;
  // Only ever rendered in the browser (after the socket has answered), so window exists.
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const joinUrl = `${origin}/play/${code}`;
  const students = room.players.filter((p) => !p.isPolice);
  const round = view.round && room.round?.roundId === view.round.roundId ? view.round : null;
  const reveal = view.reveal && room.status === "reveal" ? view.reveal : null;

  const chart =
    view.stats && view.stats.byStep.length > 0 ? <StatsChart stats={view.stats} /> : null;
  let stage: React.ReactNode;
  if (room.status === "round" && room.round) {
    stage = (
      <RoundStage
        room={room}
        images={round?.items ?? null}
        progress={view.progress?.roundId === room.round.roundId ? view.progress : null}
        offset={view.offset}
        students={students.length}
      />
    );
  } else if (room.forge?.open && room.status !== "ended") {
    stage = <ForgeStage submitted={room.forge.submitted} students={students.length} />;
  } else if (reveal) {
    stage = (
      <RevealStage reveal={reveal} images={view.round?.items ?? null}>
        {chart}
      </RevealStage>
    );
  } else {
    stage = (
      <>
        {room.status === "reveal" && room.round ? (
          // This page reloaded after the reveal: the details went to the students' phones.
          <p
            className="rounded-2xl bg-indigo-50 p-4 text-xl font-semibold text-indigo-900"
            role="status"
          >
            Round {room.round.index + 1} has been revealed on the students&apos; phones. Start the
            next round when the class is ready.
          </p>
        ) : null}
        <LobbyStage
          joinUrl={joinUrl}
          code={code}
          players={students}
          locked={room.locked}
          samples={trainer.view.samples}
        />
      </>
    );
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <ConnectionBanner online={view.online} everConnected />
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-slate-200 bg-white px-6 py-3">
        <span className="text-2xl font-black tracking-tight">
          Spot the <span className="text-fake">Fake</span>
        </span>
        {room.status !== "lobby" ? <JoinPanel code={code} joinUrl={joinUrl} compact /> : null}
        <span className="ml-auto text-lg text-slate-600">
          <strong className="text-ink" data-testid="player-count">
            {students.length}
          </strong>{" "}
          {students.length === 1 ? "player" : "players"}
          {room.locked ? (
            <span className="ml-2 inline-flex items-center gap-1 font-semibold text-amber-700">
              <LockIcon /> locked
            </span>
          ) : null}
        </span>
        <TrainerStatus trainer={room.trainer} local={trainer.view.phase} />
      </header>
      <div className="grid flex-1 gap-6 p-6 lg:grid-cols-[minmax(0,1fr)_380px]">
        <main className="flex min-w-0 flex-col gap-6">
          {stage}
          {room.status === "lobby" ? chart : null}
        </main>
        <aside className="flex flex-col gap-4" aria-label="Teacher controls">
          <Controls room={room} act={act} message={view.message} onDismiss={host.dismissMessage} />
          <TrainerPanel trainer={trainer} settings={room.settings} act={act} />
          <SettingsPanel settings={room.settings} disabled={room.status === "round"} act={act} />
          <PlayersPanel players={students} act={act} />
        </aside>
      </div>
    </div>
  );
}
