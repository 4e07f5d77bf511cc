"use client";

import { ClassVsPoliceChart, SERIES, SeriesMarker } from "@/app/_components/ClassVsPoliceChart";
import type { SessionDetail } from "../_lib/api";

const pct = (v: number) => `${Math.round(v * 100)} %`;

/**
 * Per round: the share of correct answers of the class and of the police, each with its 95 %
 * bootstrap interval. 50 % is a coin toss: a fake that good cannot be told from a real digit.
 */
export function AccuracyChart({ rounds }: { rounds: SessionDetail["rounds"] }) {
  const summary = rounds
    .map(
      (r) =>
        `Round ${r.index + 1}: class ${r.classAccuracy ? pct(r.classAccuracy.estimate) : "no answers"}, police ${r.policeAccuracy ? pct(r.policeAccuracy.estimate) : "no verdicts"}`,
    )
    .join("; ");
  return (
    <figure className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-4 text-sm font-semibold" aria-hidden>
        {SERIES.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5">
            <SeriesMarker series={s} />
            {s.label}
          </span>
        ))}
        <span className="flex items-center gap-1.5 text-slate-500">
          <svg width="18" height="14">
            <line x1="0" y1="7" x2="18" y2="7" stroke="#94a3b8" strokeDasharray="4 3" />
          </svg>
          chance (50 %)
        </span>
      </div>
      <ClassVsPoliceChart
        look="page"
        width="fit"
        xTitle="round"
        ariaLabel={summary}
        points={rounds.map((r) => ({
          key: r.roundId,
          tick: String(r.index + 1),
          class: r.classAccuracy,
          police: r.policeAccuracy,
        }))}
        pointTitle={(s, p, ci) =>
          `${s.label}, round ${p.tick}: ${pct(ci.estimate)} (95 % interval ${pct(ci.low)}–${pct(ci.high)})`
        }
      />
      <figcaption className="text-sm text-slate-600">
        Share of correct verdicts per round, with 95 % bootstrap intervals. Near 50 % means the
        fakes were as good as real digits for that judge.
      </figcaption>
    </figure>
  );
}
