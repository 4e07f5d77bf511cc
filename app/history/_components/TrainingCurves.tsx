"use client";

import { useMemo } from "react";
import { LineChart } from "@/app/_components/LineChart";
import type { SessionDetail } from "../_lib/api";

type Metric = SessionDetail["metrics"][number];

/** Thousands of rows draw fine, but a long session is thinned to ~1,500 points per line. */
function thin(metrics: readonly Metric[], max = 1500): Metric[] {
  if (metrics.length <= max) return [...metrics];
  const every = metrics.length / max;
  return Array.from({ length: max }, (_, i) => metrics[Math.floor(i * every)]!);
}

const nan = (v: number | null) => (v === null ? Number.NaN : v);

export function TrainingCurves({ metrics }: { metrics: SessionDetail["metrics"] }) {
  const m = useMemo(() => thin(metrics), [metrics]);
  const x = useMemo(() => m.map((r) => r.step), [m]);
  const charts = useMemo(
    () => [
      {
        title: "Losses",
        explain: "They swing and never settle: on their own they do not say when to stop.",
        series: [
          { label: "D loss", color: "#0f172a", values: m.map((r) => r.dLoss) },
          { label: "G loss", color: "#ea580c", values: m.map((r) => r.gLoss), dash: [6, 4] },
        ],
      },
      {
        title: "What the police believes",
        explain: "D(x): its probability that real digits (top) and fakes (bottom) are real.",
        yRange: [0, 1] as [number, number],
        series: [
          { label: "D(real)", color: "#2563eb", values: m.map((r) => r.dReal) },
          { label: "D(fake)", color: "#ea580c", values: m.map((r) => r.dFake), dash: [6, 4] },
        ],
      },
      {
        title: "Quality",
        explain: "The classifier-based score of the fakes: higher is more digit-like and varied.",
        series: [{ label: "quality", color: "#059669", values: m.map((r) => nan(r.quality)) }],
      },
      {
        title: "λ (weight of the class)",
        explain: "0 trains G against the police only; 1 against the class only.",
        yRange: [0, 1] as [number, number],
        series: [{ label: "λ", color: "#7c3aed", values: m.map((r) => r.lambda) }],
      },
    ],
    [m],
  );

  if (metrics.length === 0) {
    return <p className="text-slate-600">No training metrics were stored for this session.</p>;
  }
  return (
    <div className="grid gap-5 lg:grid-cols-2">
      {charts.map((c) => (
        <div key={c.title} className="flex min-w-0 flex-col gap-1">
          <h3 className="font-semibold">{c.title}</h3>
          <p className="text-sm text-slate-600">{c.explain}</p>
          <LineChart
            x={x}
            series={c.series}
            xLabel="generator step"
            yRange={c.yRange}
            height={180}
            summary={`${c.title} over ${x.length} recorded steps, up to step ${x[x.length - 1]}.`}
          />
        </div>
      ))}
    </div>
  );
}
