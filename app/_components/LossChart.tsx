"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

interface Props {
  steps: readonly number[];
  dLoss: readonly number[];
  gLoss: readonly number[];
  height?: number;
  label?: string;
}

const colours = { d: "#0f172a", g: "#ea580c" };

/** D's and G's losses over generator steps (uPlot: thousands of points stay cheap). */
export function LossChart({
  steps,
  dLoss,
  gLoss,
  height = 150,
  label = "Losses over training",
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { stroke: "#64748b", grid: { stroke: "#e2e8f0" }, size: 30 },
          { stroke: "#64748b", grid: { stroke: "#e2e8f0" }, size: 40 },
        ],
        series: [
          {},
          { label: "D loss", stroke: colours.d, width: 2 },
          { label: "G loss", stroke: colours.g, width: 2, dash: [6, 3] },
        ],
      },
      [[], [], []],
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    plot.current?.setData([steps as number[], dLoss as number[], gLoss as number[]]);
  }, [steps, dLoss, gLoss]);

  return (
    <figure className="flex flex-col gap-1">
      <div ref={box} role="img" aria-label={`${label}: ${describe(steps, dLoss, gLoss)}`} />
      <figcaption className="flex gap-4 text-xs font-semibold text-slate-600">
        <span className="flex items-center gap-1">
          <span className="inline-block h-0.5 w-5" style={{ background: colours.d }} /> Police (D)
          loss
        </span>
        <span className="flex items-center gap-1">
          <span
            className="inline-block w-5 border-t-2 border-dashed"
            style={{ borderColor: colours.g }}
          />{" "}
          Counterfeiter (G) loss
        </span>
      </figcaption>
    </figure>
  );
}

function describe(steps: readonly number[], d: readonly number[], g: readonly number[]): string {
  const i = steps.length - 1;
  if (i < 0) return "no data yet";
  return `at step ${steps[i]}, D loss ${d[i]!.toFixed(2)} and G loss ${g[i]!.toFixed(2)}`;
}
