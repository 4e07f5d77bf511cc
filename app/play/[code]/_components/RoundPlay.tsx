"use client";

import { Countdown } from "@/app/_components/Countdown";
import { Spinner } from "@/app/_components/ConnectionBanner";
import { remainingMs, useNow } from "@/app/_lib/clock";
import type { LocalAnswer } from "@/app/_lib/usePlayerRoom";
import type { RoundStartedView, Verdict } from "@/lib/protocol";
import { ItemCard } from "./ItemCard";

interface Props {
  round: RoundStartedView;
  answers: Record<string, LocalAnswer>;
  offset: number;
  totalMs: number;
  onAnswer: (itemId: string, verdict: Verdict) => void;
}

/** All of the round's images in a scrolling two-column grid, each with its own buttons. */
export function RoundPlay({ round, answers, offset, totalMs, onAnswer }: Props) {
  const now = useNow(250);
  const over = remainingMs(round.deadline, offset, now) === 0;
  const done = round.items.filter((it) => answers[it.itemId]?.status === "accepted").length;
  const total = round.items.length;
  return (
    <section className="flex flex-col gap-4" aria-label={`Round ${round.index + 1}`}>
      <div className="sticky top-0 z-10 -mx-4 flex flex-col gap-2 border-b border-slate-200 bg-paper px-4 pt-1 pb-3 shadow-sm">
        <div className="flex items-baseline justify-between">
          <h1 className="text-xl font-black">Round {round.index + 1}</h1>
          <p className="font-semibold text-slate-600" aria-live="polite">
            {done}/{total} answered
          </p>
        </div>
        <Countdown deadline={round.deadline} offset={offset} totalMs={totalMs} />
        {over ? (
          <p role="status" className="flex items-center gap-2 text-sm font-semibold text-slate-700">
            <Spinner /> Time&apos;s up — waiting for the reveal…
          </p>
        ) : done === total ? (
          <p role="status" className="text-sm font-semibold text-emerald-700">
            All answered! Waiting for the others…
          </p>
        ) : (
          <p className="text-sm text-slate-600">Is each digit real, or forged by the network?</p>
        )}
      </div>
      <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {round.items.map((item, i) => (
          <ItemCard
            key={item.itemId}
            number={i + 1}
            image={item.image}
            answer={answers[item.itemId]}
            closed={over}
            onAnswer={(v) => onAnswer(item.itemId, v)}
          />
        ))}
      </ol>
    </section>
  );
}
