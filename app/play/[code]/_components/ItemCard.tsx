"use client";

import { DigitImage } from "@/app/_components/DigitImage";
import { VerdictIcon } from "@/app/_components/Verdict";
import type { LocalAnswer } from "@/app/_lib/usePlayerRoom";
import type { Verdict } from "@/lib/protocol";

interface Props {
  number: number;
  image: Uint8Array;
  answer: LocalAnswer | undefined;
  closed: boolean;
  onAnswer: (verdict: Verdict) => void;
}

const styles: Record<Verdict, { on: string; off: string }> = {
  real: {
    on: "bg-real text-white border-real",
    off: "bg-white text-real border-real/40 hover:bg-real-soft",
  },
  fake: {
    on: "bg-fake text-white border-fake",
    off: "bg-white text-fake border-fake/40 hover:bg-fake-soft",
  },
};

/** One image with big Real / Fake buttons; once answered, the choice stays visible and locked. */
export function ItemCard({ number, image, answer, closed, onAnswer }: Props) {
  const locked = closed || (answer !== undefined && answer.status !== "rejected");
  const chosen = answer?.verdict;
  return (
    <li
      className={`flex flex-col gap-2 rounded-2xl bg-white p-2 shadow-sm ring-1 ${
        chosen ? "ring-slate-300" : "ring-slate-200"
      }`}
      data-testid="round-item"
    >
      <div className="relative">
        <DigitImage image={image} alt={`Digit ${number}`} className="rounded-xl" />
        <span className="absolute top-1.5 left-1.5 rounded-md bg-slate-900/70 px-1.5 text-xs font-bold text-white">
          {number}
        </span>
      </div>
      <div
        className="grid grid-cols-2 gap-1.5"
        role="group"
        aria-label={`Digit ${number}: real or fake?`}
      >
        {(["real", "fake"] as const).map((v) => {
          const on = chosen === v && answer?.status !== "rejected";
          return (
            <button
              key={v}
              type="button"
              disabled={locked}
              aria-pressed={on}
              onClick={() => onAnswer(v)}
              className={`flex min-h-12 items-center justify-center gap-1 rounded-xl border-2 text-base font-bold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-default ${
                on ? styles[v].on : styles[v].off
              } ${locked && !on ? "opacity-35" : ""}`}
            >
              <VerdictIcon verdict={v} className="size-4" />
              {v === "real" ? "Real" : "Fake"}
            </button>
          );
        })}
      </div>
      <p className="min-h-5 text-center text-xs font-semibold" aria-live="polite">
        {answer?.status === "sending" ? (
          <span className="text-slate-500">Sending…</span>
        ) : answer?.status === "accepted" ? (
          <span className="text-emerald-700">✓ Locked in</span>
        ) : answer?.status === "rejected" ? (
          <span className="text-rose-700">
            {answer.error ?? "Not sent"}
            {closed ? "" : " — tap again"}
          </span>
        ) : closed ? (
          <span className="text-slate-500">No answer</span>
        ) : null}
      </p>
    </li>
  );
}
