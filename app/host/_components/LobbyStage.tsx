import { DigitGrid } from "@/app/_components/DigitImage";
import type { PlayerSummary } from "@/lib/protocol";
import { JoinPanel } from "./JoinPanel";

interface Props {
  joinUrl: string;
  code: string;
  players: readonly PlayerSummary[];
  locked: boolean;
  /** The trainer's fixed-noise samples, when training has begun. */
  samples: { images: Uint8Array; count: number; step: number } | null;
}

/** Before the first round (and between rounds with no reveal): join instructions and who is in. */
export function LobbyStage({ joinUrl, code, players, locked, samples }: Props) {
  const side = Math.round(Math.sqrt(samples?.count ?? 0));
  return (
    <section className="flex flex-col gap-6">
      <JoinPanel code={code} joinUrl={joinUrl} />
      <div className="flex flex-col gap-3">
        <h2 className="text-2xl font-black">
          {players.length === 0 ? "Waiting for players…" : `In the room (${players.length})`}
          {locked ? (
            <span className="ml-3 text-lg font-semibold text-amber-700">
              Room locked: no new players
            </span>
          ) : null}
        </h2>
        {players.length === 0 ? (
          <p className="flex items-center gap-3 text-lg text-slate-500">
            <span className="size-3 animate-ping rounded-full bg-indigo-400" aria-hidden />
            Names appear here as students join.
          </p>
        ) : (
          <ul className="flex flex-wrap gap-2" aria-label="Players" data-testid="lobby-players">
            {players.map((p) => (
              <li
                key={p.id}
                className={`rounded-full px-4 py-2 text-xl font-semibold shadow-sm ${
                  p.connected ? "bg-white text-ink" : "bg-slate-100 text-slate-400"
                }`}
                title={p.connected ? undefined : "Disconnected"}
              >
                {p.nickname}
              </li>
            ))}
          </ul>
        )}
      </div>
      {samples && side > 0 ? (
        <figure className="flex items-center gap-6 rounded-3xl bg-white p-5 shadow-sm">
          <DigitGrid
            pixels={samples.images}
            cols={side}
            gap={2}
            rows={Math.ceil(samples.count / side)}
            alt={`The counterfeiter's forgeries at step ${samples.step}`}
            className="max-w-72 rounded-xl"
          />
          <figcaption className="flex flex-col gap-2 text-lg text-slate-600">
            <strong className="text-2xl text-ink">The counterfeiter is learning</strong>
            <span>
              These are its forgeries right now (training step {samples.step}). It started from pure
              noise and gets feedback from the police network after every step.
            </span>
            <span>Soon you&apos;ll have to tell its fakes from real handwriting.</span>
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
