"use client";

import { useMemo, useState } from "react";
import { DigitGrid } from "@/app/_components/DigitImage";
import { Histogram } from "@/app/_components/Histogram";
import { LineChart, type LineSeries } from "@/app/_components/LineChart";
import type { HistogramFrame, Series } from "../_lib/history";
import type { Samples } from "../_lib/useStudioTrainer";
import { Panel } from "./Panel";

const REAL = "#2563eb";
const FAKE = "#ea580c";
const LN4 = Math.log(4);

export function SamplesPanel({ samples }: { samples: Samples | null }) {
  const side = samples ? Math.ceil(Math.sqrt(samples.count)) : 8;
  return (
    <Panel
      id="samples"
      title="The counterfeiter's drawings"
      aside={
        samples && <span className="text-sm text-slate-500 tabular-nums">step {samples.step}</span>
      }
      explain={
        <>
          The generator G turns a noise vector z (random numbers) into an image. These 64 images
          always use the <em>same</em> 64 noise vectors, so you watch the same digits take shape
          over time.
        </>
      }
    >
      <div
        data-testid="sample-grid"
        data-step={samples?.step ?? ""}
        data-fingerprint={samples?.fingerprint ?? ""}
        className="mx-auto w-full max-w-md overflow-hidden rounded-lg border border-slate-200"
      >
        {samples ? (
          <DigitGrid
            pixels={samples.images}
            cols={side}
            rows={Math.ceil(samples.count / side)}
            alt={`64 generated digits at generator step ${samples.step}`}
          />
        ) : (
          <div className="flex aspect-square items-center justify-center bg-slate-50 text-slate-500">
            First drawings in a moment…
          </div>
        )}
      </div>
    </Panel>
  );
}

export function LossPanel({ series }: { series: Series }) {
  const lines = useMemo<LineSeries[]>(
    () => [
      { label: "D loss", color: "#0f172a", values: series.dLoss },
      { label: "G loss", color: "#7c3aed", values: series.gLoss, dash: [6, 4] },
      {
        label: "D guessing (ln 4)",
        color: "#94a3b8",
        values: series.step.map(() => LN4),
        width: 1,
        dash: [2, 4],
      },
    ],
    [series],
  );
  const last = series.step.length - 1;
  const fmt = (v: number | undefined) =>
    v !== undefined && Number.isFinite(v) ? v.toFixed(3) : "–";
  return (
    <Panel
      id="losses"
      title="Losses"
      aside={
        <span
          className="text-sm text-slate-600 tabular-nums"
          data-testid="losses"
          data-d-loss={series.dLoss[last] ?? ""}
          data-g-loss={series.gLoss[last] ?? ""}
        >
          D {fmt(series.dLoss[last])} · G {fmt(series.gLoss[last])}
        </span>
      }
      explain={
        <>
          Both use binary cross-entropy. D is scored on real digits with label 1 and fakes with
          label 0; G is scored on its fakes with label 1 — it wins when D says “real”. It is a
          minimax game: one&apos;s gain is the other&apos;s loss, so the curves wobble instead of
          falling to zero, and they do not tell you when to stop.
        </>
      }
    >
      <LineChart
        x={series.step}
        series={lines}
        xLabel="generator step"
        yLabel="BCE"
        summary={`Loss curves up to step ${series.step[last] ?? 0}: D ${fmt(series.dLoss[last])}, G ${fmt(series.gLoss[last])}.`}
      />
    </Panel>
  );
}

export function DxPanel({ series, frames }: { series: Series; frames: HistogramFrame[] }) {
  const [pick, setPick] = useState<number | null>(null);
  const index = pick === null || pick >= frames.length ? frames.length - 1 : pick;
  const frame = frames[index];
  const lines = useMemo<LineSeries[]>(
    () => [
      { label: "mean D(real)", color: REAL, values: series.dReal },
      { label: "mean D(fake)", color: FAKE, values: series.dFake, dash: [6, 4] },
    ],
    [series],
  );
  return (
    <Panel
      id="dx"
      title="What the police think: D(x)"
      explain={
        <>
          D outputs P(real), a number between 0 (“surely fake”) and 1 (“surely real”). Blue bars:
          real digits; orange hatched bars: fakes. Early on the two piles sit apart; as G improves
          they slide together, and at the ideal end D says 0.5 to everything.
        </>
      }
    >
      {frame ? (
        <>
          <Histogram
            series={[
              {
                label: "real",
                counts: frame.real,
                className: "fill-real/30 stroke-real text-real",
              },
              {
                label: "fake",
                counts: frame.fake,
                className: "fill-fake/30 stroke-fake text-fake",
                hatch: "var(--color-fake)",
              },
            ]}
            xLabel="D(x) = P(real)"
            guide={{ at: 0.5, label: "0.5" }}
            summary={`At step ${frame.step}, histograms of D's output on real and on generated digits.`}
          />
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
            <span className="inline-flex items-center gap-1.5">
              <span
                className="inline-block size-3 rounded-sm border-2 border-real bg-real/30"
                aria-hidden
              />{" "}
              real digits
            </span>
            <span className="inline-flex items-center gap-1.5">
              <span
                className="inline-block size-3 rounded-sm border-2 border-fake bg-fake-soft"
                aria-hidden
              />{" "}
              fakes (hatched)
            </span>
            <label className="ml-auto flex items-center gap-2">
              <span className="tabular-nums">step {frame.step}</span>
              <input
                type="range"
                min={0}
                max={Math.max(0, frames.length - 1)}
                value={index}
                onChange={(e) => {
                  const v = Number(e.target.value);
                  setPick(v >= frames.length - 1 ? null : v);
                }}
                aria-label="Show the histograms at an earlier step"
                className="w-32 accent-indigo-600"
              />
            </label>
          </div>
        </>
      ) : (
        <p className="text-sm text-slate-500">
          The first histograms arrive with the first drawings.
        </p>
      )}
      <LineChart
        x={series.step}
        series={lines}
        xLabel="generator step"
        yLabel="mean D(x)"
        yRange={[0, 1]}
        height={150}
        summary="Mean D output on real and on fake images over time."
      />
    </Panel>
  );
}
