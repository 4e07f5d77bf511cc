"use client";

import { Countdown } from "@/app/_components/Countdown";
import { DigitImage } from "@/app/_components/DigitImage";
import { Spinner } from "@/app/_components/ConnectionBanner";
import { remainingMs, useNow } from "@/app/_lib/clock";
import type { RoomState, RoundProgress, RoundStartedView } from "@/lib/protocol";

interface Props {
  room: RoomState;
  /** The round's images as the students see them (no truth); null if not received. */
  images: RoundStartedView["items"] | null;
  progress: RoundProgress | null;
  offset: number;
  students: number;
}

/** During a round: time left, answers coming in, and the same images the students see. */
export function RoundStage({ room, images, progress, offset, students }: Props) {
  const round = room.round!;
  const now = useNow(250);
  const over = remainingMs(round.deadline, offset, now) === 0;
  const answers = progress?.answers ?? round.answers;
  const expected = progress?.expected ?? students * round.itemCount;
  const share = expected > 0 ? Math.min(1, answers / expected) : 0;
  return (
    <section className="flex flex-col gap-6" aria-label={`Round ${round.index + 1}`}>
      <div className="grid gap-6 rounded-3xl bg-white p-6 shadow-sm md:grid-cols-2">
        <div className="flex flex-col gap-2">
          <h1 className="text-3xl font-black">Round {round.index + 1}: real or fake?</h1>
          <Countdown
            deadline={round.deadline}
            offset={offset}
            totalMs={room.settings.roundSeconds * 1000}
            size="xl"
          />
        </div>
        <div className="flex flex-col justify-center gap-2">
          <p className="text-2xl" aria-live="polite">
            <strong className="font-mono text-4xl tabular-nums" data-testid="answers-received">
              {answers}
            </strong>{" "}
            <span className="text-slate-500">/ {expected} answers</span>
          </p>
          <div className="h-4 overflow-hidden rounded-full bg-slate-200" aria-hidden>
            <div
              className="h-full rounded-full bg-emerald-500 transition-[width]"
              style={{ width: `${share * 100}%` }}
            />
          </div>
          {over ? (
            <p
              className="flex items-center gap-2 text-lg font-semibold text-slate-700"
              role="status"
            >
              <Spinner /> Time&apos;s up — revealing…
            </p>
          ) : null}
        </div>
      </div>
      {images ? (
        <ol className="grid grid-cols-5 gap-4" aria-label="This round's images">
          {images.map((item, i) => (
            <li key={item.itemId} className="relative rounded-2xl bg-white p-2 shadow-sm">
              <DigitImage image={item.image} alt={`Digit ${i + 1}`} className="rounded-xl" />
              <span className="absolute top-3 left-3 rounded-md bg-slate-900/70 px-2 text-lg font-bold text-white">
                {i + 1}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-lg text-slate-500">
          {round.itemCount} images are on the students&apos; screens.
        </p>
      )}
    </section>
  );
}
