import type { StatsSeries } from "@/lib/protocol";

type Interval = { estimate: number; low: number; high: number } | null;

const W = 520;
const H = 240;
const PAD = { left: 48, right: 12, top: 14, bottom: 42 };

/**
 * Error rate of the class and of the police per generator step, with 95 % bootstrap intervals and
 * the 50 % chance line: a point on the line means "can't tell real from fake".
 */
export function StatsChart({ stats }: { stats: StatsSeries }) {
  const points = stats.byStep;
  const n = points.length;
  const x = (i: number) => PAD.left + ((i + 0.5) * (W - PAD.left - PAD.right)) / Math.max(1, n);
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const series = [
    {
      key: "class",
      label: "The class",
      colour: "#4f46e5",
      dx: -6,
      pick: (s: (typeof points)[number]) => s.classError,
    },
    {
      key: "police",
      label: "The police (D)",
      colour: "#0f172a",
      dx: 6,
      pick: (s: (typeof points)[number]) => s.policeError,
    },
  ] as const;
  const line = (pick: (s: (typeof points)[number]) => Interval, dx: number) =>
    points
      .map((s, i) => [i, pick(s)] as const)
      .filter(([, v]) => v !== null)
      .map(([i, v], k) => `${k === 0 ? "M" : "L"}${x(i) + dx},${y(v!.estimate)}`)
      .join(" ");
  const latest = points[n - 1];
  return (
    <section
      className="flex flex-col gap-2 rounded-3xl bg-white p-5 shadow-sm"
      aria-label="Humans versus police over training"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-2xl font-black">
          Humans vs police
          <span className="block text-base font-semibold text-slate-500">
            as the counterfeiter improved
          </span>
        </h2>
        <div className="flex gap-4 text-sm font-semibold">
          {series.map((s) => (
            <span key={s.key} className="flex items-center gap-1.5">
              <svg width="14" height="14" aria-hidden>
                {s.key === "class" ? (
                  <circle cx="7" cy="7" r="5" fill={s.colour} />
                ) : (
                  <rect x="2" y="2" width="10" height="10" fill={s.colour} />
                )}
              </svg>
              {s.label}
            </span>
          ))}
        </div>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label={describe(points)}>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              stroke={v === 0.5 ? "#ea580c" : "#e2e8f0"}
              strokeDasharray={v === 0.5 ? "6 4" : undefined}
              strokeWidth={v === 0.5 ? 2 : 1}
            />
            <text x={PAD.left - 8} y={y(v) + 4} textAnchor="end" fontSize="14" fill="#64748b">
              {v * 100}%
            </text>
          </g>
        ))}
        <text
          x={PAD.left + 6}
          y={y(0.5) - 6}
          textAnchor="start"
          fontSize="14"
          fill="#c2410c"
          fontWeight="600"
        >
          50% = can&apos;t tell
        </text>
        {points.map((s, i) => (
          <text
            key={s.generatorStep}
            x={x(i)}
            y={H - PAD.bottom + 18}
            textAnchor="middle"
            fontSize="14"
            fill="#64748b"
          >
            {s.generatorStep}
          </text>
        ))}
        <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" fontSize="14" fill="#475569">
          generator step
        </text>
        {series.map((s) => (
          <g key={s.key}>
            <path
              d={line(s.pick, s.dx)}
              fill="none"
              stroke={s.colour}
              strokeWidth="2"
              opacity="0.6"
            />
            {points.map((p, i) => {
              const v = s.pick(p);
              if (!v) return null;
              const cx = x(i) + s.dx;
              return (
                <g key={p.generatorStep}>
                  <line
                    x1={cx}
                    x2={cx}
                    y1={y(v.low)}
                    y2={y(v.high)}
                    stroke={s.colour}
                    strokeWidth="2"
                  />
                  <line
                    x1={cx - 4}
                    x2={cx + 4}
                    y1={y(v.low)}
                    y2={y(v.low)}
                    stroke={s.colour}
                    strokeWidth="2"
                  />
                  <line
                    x1={cx - 4}
                    x2={cx + 4}
                    y1={y(v.high)}
                    y2={y(v.high)}
                    stroke={s.colour}
                    strokeWidth="2"
                  />
                  {s.key === "class" ? (
                    <circle cx={cx} cy={y(v.estimate)} r="5" fill={s.colour} />
                  ) : (
                    <rect x={cx - 5} y={y(v.estimate) - 5} width="10" height="10" fill={s.colour} />
                  )}
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      {latest ? (
        <p className="text-slate-600">
          Error rate, lower is better · 95% intervals. Latest (step {latest.generatorStep}): class{" "}
          {fmt(latest.classError)}, police {fmt(latest.policeError)}; fooled by fakes: class{" "}
          {fmt(latest.classFoolRate)}, police {fmt(latest.policeFoolRate)}.
        </p>
      ) : null}
    </section>
  );
}

function fmt(v: Interval): string {
  if (!v) return "—";
  return `${Math.round(v.estimate * 100)}% (${Math.round(v.low * 100)}–${Math.round(v.high * 100)}%)`;
}

function describe(points: StatsSeries["byStep"]): string {
  return points
    .map(
      (s) =>
        `Step ${s.generatorStep}: class error ${fmt(s.classError)}, police error ${fmt(s.policeError)}`,
    )
    .join(". ");
}
