import { useId } from "react";

// Two (or more) distributions over the same bins, drawn as overlaid bars with outlines, so the
// two stay distinguishable without colour (one is hatched).

export interface HistogramSeries {
  label: string;
  /** Counts per bin. */
  counts: readonly number[];
  /** Tailwind fill + stroke classes, e.g. "fill-real/40 stroke-real". */
  className: string;
  /** CSS colour of diagonal hatching (a second cue besides colour), e.g. "var(--color-fake)". */
  hatch?: string;
}

interface Props {
  series: HistogramSeries[];
  /** Bin edges run from `min` to `max`. */
  min?: number;
  max?: number;
  xLabel: string;
  summary: string;
  /** Optional vertical guide, e.g. the 0.5 decision line. */
  guide?: { at: number; label: string };
}

const W = 400;
const H = 180;
const PAD = { left: 10, right: 10, top: 10, bottom: 34 };

export function Histogram({ series, min = 0, max = 1, xLabel, summary, guide }: Props) {
  const uid = `h${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const bins = Math.max(1, ...series.map((s) => s.counts.length));
  // Each series as a share of its own total, so a bigger sample does not look taller.
  const shares = series.map((s) => {
    const total = s.counts.reduce((a, b) => a + b, 0) || 1;
    return s.counts.map((c) => c / total);
  });
  const top = Math.max(0.05, ...shares.flat());
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + ((v - min) / (max - min)) * plotW;
  const bw = plotW / bins;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => min + t * (max - min));
  return (
    <figure className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={summary}>
        <defs>
          {series.map((s, i) =>
            s.hatch ? (
              <pattern
                key={s.label}
                id={`${uid}-hatch-${i}`}
                width="6"
                height="6"
                patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)"
              >
                <line x1="0" y1="0" x2="0" y2="6" style={{ stroke: s.hatch }} strokeWidth="2.5" />
              </pattern>
            ) : null,
          )}
        </defs>
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          className="stroke-slate-400"
        />
        {shares.map((sh, si) => {
          const s = series[si]!;
          return (
            <g key={s.label} className={s.className}>
              {sh.map((v, i) => {
                const h = (v / top) * plotH;
                return (
                  <rect
                    key={i}
                    x={PAD.left + i * bw + 1}
                    y={PAD.top + plotH - h}
                    width={bw - 2}
                    height={h}
                    strokeWidth={1.5}
                    // Inline style: a fill-* class would override the fill attribute.
                    style={s.hatch ? { fill: `url(#${uid}-hatch-${si})` } : undefined}
                  />
                );
              })}
            </g>
          );
        })}
        {guide && (
          <g className="text-slate-500">
            <line
              x1={x(guide.at)}
              x2={x(guide.at)}
              y1={PAD.top}
              y2={PAD.top + plotH}
              stroke="currentColor"
              strokeDasharray="4 3"
            />
            <text x={x(guide.at) + 4} y={PAD.top + 10} fontSize="11" fill="currentColor">
              {guide.label}
            </text>
          </g>
        )}
        {ticks.map((t) => (
          <text
            key={t}
            x={x(t)}
            y={H - PAD.bottom + 14}
            fontSize="11"
            textAnchor="middle"
            className="fill-slate-500"
          >
            {t.toFixed(2).replace(/\.?0+$/, "") || "0"}
          </text>
        ))}
        <text x={W / 2} y={H - 4} fontSize="12" textAnchor="middle" className="fill-slate-600">
          {xLabel}
        </text>
      </svg>
    </figure>
  );
}
