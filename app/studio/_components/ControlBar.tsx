"use client";

import type { StudioTrainer } from "../_lib/useStudioTrainer";

export const SPEEDS: { label: string; value: number | null }[] = [
  { label: "Full speed", value: null },
  { label: "20 steps/s", value: 20 },
  { label: "5 steps/s", value: 5 },
  { label: "1 step/s", value: 1 },
  { label: "Slow motion", value: 1 / 3 },
];

const btn =
  "inline-flex items-center gap-2 rounded-lg px-3 py-2 font-semibold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-50";

/** Play/pause, single steps, speed and reset; sticks to the top while the page scrolls. */
export function ControlBar({ trainer }: { trainer: StudioTrainer }) {
  const { view } = trainer;
  const speedIndex = Math.max(
    0,
    SPEEDS.findIndex((s) => s.value === view.stepsPerSecond),
  );
  const stepMs = view.msPerStep;
  return (
    <div className="sticky top-0 z-20 -mx-4 border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:-mx-8 sm:px-8">
      <div className="mx-auto flex max-w-[1400px] flex-wrap items-center gap-2 sm:gap-3">
        {view.paused ? (
          <button
            type="button"
            onClick={trainer.play}
            className={`${btn} bg-indigo-600 text-white hover:bg-indigo-500`}
            aria-keyshortcuts="Space"
          >
            <span aria-hidden>▶</span> Play
          </button>
        ) : (
          <button
            type="button"
            onClick={trainer.pause}
            className={`${btn} bg-slate-900 text-white hover:bg-slate-700`}
            aria-keyshortcuts="Space"
          >
            <span aria-hidden>❚❚</span> Pause
          </button>
        )}
        <button
          type="button"
          onClick={() => trainer.step("stepD")}
          className={`${btn} border border-slate-300 bg-white hover:bg-slate-50`}
          title="Exactly one discriminator step (G frozen)"
          aria-keyshortcuts="d"
        >
          Step D
        </button>
        <button
          type="button"
          onClick={() => trainer.step("stepG")}
          className={`${btn} border border-slate-300 bg-white hover:bg-slate-50`}
          title="Exactly one generator step (D frozen)"
          aria-keyshortcuts="g"
        >
          Step G
        </button>
        <label
          className="flex items-center gap-2 text-sm font-medium text-slate-700"
          title="Slow motion: one step every 3 seconds, every step shown"
        >
          <span className="sr-only sm:not-sr-only">Speed</span>
          <select
            value={speedIndex}
            onChange={(e) => trainer.setSpeed(SPEEDS[Number(e.target.value)]!.value)}
            className="rounded-lg border border-slate-300 bg-white px-2 py-2"
          >
            {SPEEDS.map((s, i) => (
              <option key={s.label} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            if (window.confirm("Start again with fresh, untrained networks?")) void trainer.reset();
          }}
          className={`${btn} text-slate-700 hover:bg-slate-100`}
        >
          Reset
        </button>
        <div className="ml-auto flex items-baseline gap-3 text-sm text-slate-600" aria-live="off">
          <span>
            G step{" "}
            <strong
              className="text-xl font-black text-slate-900 tabular-nums"
              data-testid="step-counter"
              data-step={view.step}
              data-dsteps={view.dSteps}
            >
              {view.step.toLocaleString("en")}
            </strong>
          </span>
          <span className="tabular-nums">D steps {view.dSteps.toLocaleString("en")}</span>
          {stepMs !== null && (
            <span className="hidden tabular-nums sm:inline">{stepMs.toFixed(0)} ms/step</span>
          )}
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-bold ${view.paused ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-900"}`}
            data-testid="run-state"
          >
            {view.paused ? "Paused" : "Training"}
          </span>
        </div>
      </div>
    </div>
  );
}
