"use client";

import { useMemo } from "react";
import { LineChart, type ChartMarker, type LineSeries } from "@/app/_components/LineChart";
import type { QualityView } from "../_lib/useQuality";
import { EVAL_EVERY } from "../_lib/useQuality";
import { Panel } from "./Panel";

export function QualityPanel({ quality }: { quality: QualityView }) {
  const { points, latest, plateau, reference } = quality;
  const x = useMemo(() => points.map((p) => p.step), [points]);
  const lines = useMemo<LineSeries[]>(() => {
    const out: LineSeries[] = [
      { label: "FID (lower is better)", color: "#0f766e", values: points.map((p) => p.fid) },
    ];
    if (reference) {
      out.push({
        label: "real digits",
        color: "#94a3b8",
        values: points.map(() => reference.realFid),
        dash: [2, 4],
        width: 1,
      });
    }
    return out;
  }, [points, reference]);
  const markers = useMemo<ChartMarker[]>(
    () =>
      plateau?.plateaued && plateau.bestStep !== null
        ? [{ x: plateau.bestStep, label: "a good time to stop", color: "#be123c" }]
        : [],
    [plateau],
  );
  return (
    <Panel
      id="quality"
      title="Quality: when to stop"
      explain={
        <>
          Losses cannot say when the drawings are good, so a small digit classifier scores the 64
          drawings every {EVAL_EVERY} steps. FID measures how far they are from real digits (lower
          is better); the Inception-style score rewards drawings that are clearly <em>some</em>{" "}
          digit and cover all ten (10 is perfect).
        </>
      }
    >
      {quality.status === "loading" && (
        <p className="text-sm text-slate-500">Loading the classifier…</p>
      )}
      {quality.status === "failed" && (
        <p role="alert" className="text-sm text-rose-700">
          The quality score is unavailable: {quality.error}
        </p>
      )}
      {latest && (
        <dl
          className="grid grid-cols-3 gap-2 text-center"
          data-testid="quality"
          data-fid={latest.fid}
          data-step={latest.step}
        >
          <div className="rounded-lg bg-slate-50 p-2">
            <dt className="text-xs text-slate-500">FID</dt>
            <dd className="text-xl font-bold tabular-nums">{latest.fid.toFixed(1)}</dd>
            {reference && (
              <dd className="text-xs text-slate-500">real: {reference.realFid.toFixed(1)}</dd>
            )}
          </div>
          <div className="rounded-lg bg-slate-50 p-2">
            <dt className="text-xs text-slate-500">Inception-style</dt>
            <dd className="text-xl font-bold tabular-nums">{latest.inceptionScore.toFixed(2)}</dd>
            {reference && (
              <dd className="text-xs text-slate-500">
                real: {reference.realInceptionScore.toFixed(2)}
              </dd>
            )}
          </div>
          <div className="rounded-lg bg-slate-50 p-2">
            <dt className="text-xs text-slate-500">Look like a digit</dt>
            <dd className="text-xl font-bold tabular-nums">
              {Math.round(latest.confidentShare * 100)} %
            </dd>
            <dd className="text-xs text-slate-500">
              top digit {Math.round(latest.maxClassShare * 100)} %
            </dd>
          </div>
        </dl>
      )}
      {points.length > 0 && (
        <LineChart
          x={x}
          series={lines}
          markers={markers}
          xLabel="generator step"
          yLabel="FID"
          height={170}
          summary={`FID over ${points.length} evaluations.`}
        />
      )}
      {plateau?.plateaued && plateau.bestStep !== null ? (
        <p
          role="status"
          className="rounded-lg bg-rose-50 p-3 text-sm text-rose-900"
          data-testid="plateau"
        >
          <strong>A good time to stop:</strong> FID has not improved by 2 % since step{" "}
          {plateau.bestStep}({plateau.sinceImprovement} evaluations). Save a snapshot, or change a
          setting and see if it helps.
        </p>
      ) : (
        points.length > 0 && (
          <p className="text-sm text-slate-500">
            Still improving
            {plateau?.bestStep != null ? ` (best so far at step ${plateau.bestStep})` : ""}.
            {latest?.qualityReached &&
              " The drawings now pass the quality bar: confident and varied."}
          </p>
        )
      )}
    </Panel>
  );
}
