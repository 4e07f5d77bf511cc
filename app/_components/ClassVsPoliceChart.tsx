"use client";

import { useEffect, useRef, useState } from "react";

export type Interval = { estimate: number; low: number; high: number };

/** One column of the chart: a round on the history page, a generator step on the projector. */
export type ChartPoint = {
  key: string | number;
  tick: string;
  class: Interval | null;
  police: Interval | null;
};

export const SERIES = [
  { key: "class", label: "The class", colour: "#4f46e5", dir: -1 },
  { key: "police", label: "The police (D)", colour: "#0f172a", dir: 1 },
] as const;
export type Series = (typeof SERIES)[number];

const H = 240;

/**
 * The two places that draw this chart differ only in these figures: the history page is read up
 * close at any width, the projector from the back of a classroom at a fixed aspect ratio.
 */
const LOOKS = {
  page: {
    pad: { left: 48, right: 14, top: 16, bottom: 40 },
    dx: 5,
    fontSize: 12,
    gridLabelFill: "#475569",
    gridLabel: (v: number) => `${Math.round(v * 100)} %`,
    chance: { stroke: "#94a3b8", width: undefined, note: null },
    tickY: H - 20,
    thinTicks: true,
    capWidth: undefined,
    joinPoints: false,
  },
  projector: {
    pad: { left: 48, right: 12, top: 14, bottom: 42 },
    dx: 6,
    fontSize: 14,
    gridLabelFill: "#64748b",
    gridLabel: (v: number) => `${v * 100}%`,
    chance: { stroke: "#ea580c", width: 2, note: "50% = can't tell" },
    tickY: H - 42 + 18,
    thinTicks: false,
    capWidth: 2,
    joinPoints: true,
  },
} as const;

/** The legend swatch: a dot for the class, a square for the police, as on the chart. */
export function SeriesMarker({ series }: { series: Series }) {
  return (
    <svg width="14" height="14" aria-hidden>
      {series.key === "class" ? (
        <circle cx="7" cy="7" r="5" fill={series.colour} />
      ) : (
        <rect x="2" y="2" width="10" height="10" fill={series.colour} />
      )}
    </svg>
  );
}

/**
 * Class and police side by side per column, each an estimate with its 95 % interval, over the
 * dashed 50 % chance line. `width: "fit"` draws at the container's real width (labels keep their
 * size on a phone); a number draws at that width and scales with the container.
 */
export function ClassVsPoliceChart({
  points,
  look: lookName,
  width,
  xTitle,
  ariaLabel,
  pointTitle,
}: {
  points: readonly ChartPoint[];
  look: keyof typeof LOOKS;
  width: "fit" | number;
  xTitle: string;
  ariaLabel: string;
  pointTitle?: (series: Series, point: ChartPoint, ci: Interval) => string;
}) {
  const look = LOOKS[lookName];
  const { pad } = look;
  const box = useRef<HTMLDivElement>(null);
  const [fitW, setFitW] = useState(640);
  const fit = width === "fit";
  useEffect(() => {
    const el = box.current;
    if (!fit || !el) return;
    const ro = new ResizeObserver(() => setFitW(Math.max(260, Math.round(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [fit]);
  const W = fit ? fitW : width;
  const n = points.length;
  const x = (i: number) => pad.left + ((i + 0.5) * (W - pad.left - pad.right)) / Math.max(1, n);
  const y = (v: number) => pad.top + (1 - v) * (H - pad.top - pad.bottom);
  const every = look.thinTicks ? Math.max(1, Math.ceil(n / Math.max(4, Math.floor(W / 50)))) : 1;
  const line = (s: Series) =>
    points
      .map((p, i) => [i, p[s.key]] as const)
      .filter((e): e is readonly [number, Interval] => e[1] !== null)
      .map(([i, v], k) => `${k === 0 ? "M" : "L"}${x(i) + s.dir * look.dx},${y(v.estimate)}`)
      .join(" ");
  const svg = (
    <svg
      width={fit ? W : undefined}
      height={fit ? H : undefined}
      viewBox={`0 0 ${W} ${H}`}
      className={fit ? "block max-w-full" : "w-full"}
      role="img"
      aria-label={ariaLabel}
    >
      {[0, 0.25, 0.5, 0.75, 1].map((v) => (
        <g key={v}>
          <line
            x1={pad.left}
            x2={W - pad.right}
            y1={y(v)}
            y2={y(v)}
            stroke={v === 0.5 ? look.chance.stroke : "#e2e8f0"}
            strokeDasharray={v === 0.5 ? "6 4" : undefined}
            strokeWidth={look.chance.width && (v === 0.5 ? look.chance.width : 1)}
          />
          <text
            x={pad.left - 8}
            y={y(v) + 4}
            textAnchor="end"
            fontSize={look.fontSize}
            fill={look.gridLabelFill}
          >
            {look.gridLabel(v)}
          </text>
        </g>
      ))}
      {look.chance.note ? (
        <text
          x={pad.left + 6}
          y={y(0.5) - 6}
          textAnchor="start"
          fontSize={look.fontSize}
          fill="#c2410c"
          fontWeight="600"
        >
          {look.chance.note}
        </text>
      ) : null}
      {points.map((p, i) =>
        i % every === 0 || i === n - 1 ? (
          <text
            key={p.key}
            x={x(i)}
            y={look.tickY}
            textAnchor="middle"
            fontSize={look.fontSize}
            fill={look.gridLabelFill}
          >
            {p.tick}
          </text>
        ) : null,
      )}
      <text
        x={(W + pad.left) / 2}
        y={H - 4}
        textAnchor="middle"
        fontSize={look.fontSize}
        fill="#475569"
      >
        {xTitle}
      </text>
      {SERIES.map((s) => (
        <g key={s.key}>
          {look.joinPoints ? (
            <path d={line(s)} fill="none" stroke={s.colour} strokeWidth="2" opacity="0.6" />
          ) : null}
          {points.map((p, i) => {
            const ci = p[s.key];
            if (!ci) return null;
            const cx = x(i) + s.dir * look.dx;
            return (
              <g key={p.key}>
                {pointTitle ? <title>{pointTitle(s, p, ci)}</title> : null}
                <line
                  x1={cx}
                  x2={cx}
                  y1={y(ci.low)}
                  y2={y(ci.high)}
                  stroke={s.colour}
                  strokeWidth="2"
                />
                {[ci.low, ci.high].map((v, j) => (
                  <line
                    key={j}
                    x1={cx - 4}
                    x2={cx + 4}
                    y1={y(v)}
                    y2={y(v)}
                    stroke={s.colour}
                    strokeWidth={look.capWidth}
                  />
                ))}
                {s.key === "class" ? (
                  <circle cx={cx} cy={y(ci.estimate)} r="5" fill={s.colour} />
                ) : (
                  <rect x={cx - 5} y={y(ci.estimate) - 5} width="10" height="10" fill={s.colour} />
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
  return fit ? (
    <div ref={box} className="w-full min-w-0">
      {svg}
    </div>
  ) : (
    svg
  );
}
