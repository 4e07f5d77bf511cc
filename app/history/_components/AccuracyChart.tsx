"use client";

import { useEffect, useRef, useState } from "react";
import type { SessionDetail, Interval } from "../_lib/api";

type Round = SessionDetail["rounds"][number];

const H = 240;
const PAD = { left: 48, right: 14, top: 16, bottom: 40 };

const SERIES = [
  {
    key: "class",
    label: "The class",
    colour: "#4f46e5",
    dx: -5,
    pick: (r: Round) => r.classAccuracy,
  },
  {
    key: "police",
    label: "The police (D)",
    colour: "#0f172a",
    dx: 5,
    pick: (r: Round) => r.policeAccuracy,
  },
] as const;

const pct = (v: number) => `${Math.round(v * 100)} %`;

/**
 * Per round: the share of correct answers of the class and of the police, each with its 95 %
 * bootstrap interval. 50 % is a coin toss: a fake that good cannot be told from a real digit.
 */
export function AccuracyChart({ rounds }: { rounds: SessionDetail["rounds"] }) {
  // Drawn at the container's real width, so labels keep their size on a phone.
  const box = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(640);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(Math.max(260, Math.round(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const n = rounds.length;
  const x = (i: number) => PAD.left + ((i + 0.5) * (W - PAD.left - PAD.right)) / Math.max(1, n);
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const every = Math.max(1, Math.ceil(n / Math.max(4, Math.floor(W / 50))));
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
            <svg width="14" height="14">
              {s.key === "class" ? (
                <circle cx="7" cy="7" r="5" fill={s.colour} />
              ) : (
                <rect x="2" y="2" width="10" height="10" fill={s.colour} />
              )}
            </svg>
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
      <div ref={box} className="w-full min-w-0">
        <svg
          width={W}
          height={H}
          viewBox={`0 0 ${W} ${H}`}
          className="block max-w-full"
          role="img"
          aria-label={summary}
        >
          {[0, 0.25, 0.5, 0.75, 1].map((v) => (
            <g key={v}>
              <line
                x1={PAD.left}
                x2={W - PAD.right}
                y1={y(v)}
                y2={y(v)}
                stroke={v === 0.5 ? "#94a3b8" : "#e2e8f0"}
                strokeDasharray={v === 0.5 ? "6 4" : undefined}
              />
              <text x={PAD.left - 8} y={y(v) + 4} textAnchor="end" fontSize="12" fill="#475569">
                {pct(v)}
              </text>
            </g>
          ))}
          {rounds.map((r, i) =>
            i % every === 0 || i === n - 1 ? (
              <text
                key={r.roundId}
                x={x(i)}
                y={H - 20}
                textAnchor="middle"
                fontSize="12"
                fill="#475569"
              >
                {r.index + 1}
              </text>
            ) : null,
          )}
          <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" fontSize="12" fill="#475569">
            round
          </text>
          {SERIES.map((s) => (
            <g key={s.key}>
              {rounds.map((r, i) => {
                const ci: Interval | null = s.pick(r);
                if (!ci) return null;
                const cx = x(i) + s.dx;
                return (
                  <g key={r.roundId}>
                    <title>{`${s.label}, round ${r.index + 1}: ${pct(ci.estimate)} (95 % interval ${pct(ci.low)}–${pct(ci.high)})`}</title>
                    <line
                      x1={cx}
                      x2={cx}
                      y1={y(ci.low)}
                      y2={y(ci.high)}
                      stroke={s.colour}
                      strokeWidth="2"
                    />
                    <line x1={cx - 4} x2={cx + 4} y1={y(ci.low)} y2={y(ci.low)} stroke={s.colour} />
                    <line
                      x1={cx - 4}
                      x2={cx + 4}
                      y1={y(ci.high)}
                      y2={y(ci.high)}
                      stroke={s.colour}
                    />
                    {s.key === "class" ? (
                      <circle cx={cx} cy={y(ci.estimate)} r="5" fill={s.colour} />
                    ) : (
                      <rect
                        x={cx - 5}
                        y={y(ci.estimate) - 5}
                        width="10"
                        height="10"
                        fill={s.colour}
                      />
                    )}
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="text-sm text-slate-600">
        Share of correct verdicts per round, with 95 % bootstrap intervals. Near 50 % means the
        fakes were as good as real digits for that judge.
      </figcaption>
    </figure>
  );
}
