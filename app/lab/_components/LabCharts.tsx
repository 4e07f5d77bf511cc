"use client";

import { useMemo } from "react";
import { LineChart } from "@/app/_components/LineChart";
import { Panel } from "@/app/studio/_components/Panel";
import type { LabSnapshot } from "../_lib/engine";

/** D and G losses, and the divergence that says how close G's points are to the real ones. */
export function LabCharts({ snap, compact = false }: { snap: LabSnapshot; compact?: boolean }) {
  const { curves, divergence, floor } = snap;
  const lossSeries = useMemo(
    () => [
      { label: "D loss", color: "#0f172a", values: curves.dLoss },
      { label: "G loss", color: "#c2410c", values: curves.gLoss, dash: [6, 3] },
    ],
    [curves],
  );
  const divX = useMemo(() => divergence.map((p) => p.step), [divergence]);
  const divSeries = useMemo(
    () => [
      { label: "JS divergence", color: "#4338ca", values: divergence.map((p) => p.js) },
      {
        label: "floor (real vs real)",
        color: "#94a3b8",
        values: divergence.map(() => floor ?? NaN),
        dash: [4, 4],
        width: 1.5,
      },
    ],
    [divergence, floor],
  );
  const last = divergence[divergence.length - 1];
  return (
    <div className={`grid grid-cols-1 gap-5 ${compact ? "" : "md:grid-cols-2"}`}>
      <Panel
        id="losses"
        title="Losses"
        explain={
          compact
            ? undefined
            : "D's loss is 2 ln 2 ≈ 1.39 when it can only guess. Losses swing as the players take turns; they do not say when G is done."
        }
      >
        <LineChart
          x={curves.step}
          series={lossSeries}
          xLabel="G step"
          height={190}
          summary={`D loss ${snap.d?.loss.toFixed(2) ?? "–"}, G loss ${snap.gLoss?.toFixed(2) ?? "–"} after ${snap.gSteps} G steps.`}
        />
      </Panel>
      <Panel
        id="divergence"
        title="How far apart? (Jensen–Shannon)"
        explain={
          compact
            ? undefined
            : "Real and generated points counted on a 20 × 20 grid: 1 bit means no square in common, 0 means the same counts. Two samples of the real data already differ by the dashed floor."
        }
      >
        <LineChart
          x={divX}
          series={divSeries}
          xLabel="G step"
          yRange={[0, 1]}
          height={190}
          summary={`JS divergence ${last ? last.js.toFixed(2) : "–"} bits after ${snap.gSteps} G steps.`}
        />
      </Panel>
    </div>
  );
}
