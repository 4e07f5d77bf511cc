"use client";

import { Spinner } from "@/app/_components/ConnectionBanner";
import { DigitGrid } from "@/app/_components/DigitImage";
import { LossChart } from "@/app/_components/LossChart";
import type { useHostTrainer } from "@/app/_lib/useHostTrainer";
import type { useHostRoom } from "@/app/_lib/useHostRoom";
import type { RoomSettings } from "@/lib/protocol";

type Trainer = ReturnType<typeof useHostTrainer>;
type Act = ReturnType<typeof useHostRoom>["act"];

const speeds = [
  { value: 1, label: "Slow motion (1 step/s)" },
  { value: 5, label: "5 steps/s" },
  { value: 10, label: "10 steps/s" },
  { value: 100, label: "As fast as possible" },
];

/** The counterfeiter and the police learning: controls, losses, the fixed-noise sample grid. */
export function TrainerPanel({
  trainer,
  settings,
  act,
}: {
  trainer: Trainer;
  settings: RoomSettings;
  act: Act;
}) {
  const { view } = trainer;
  const side = Math.round(Math.sqrt(view.samples?.count ?? 0));
  return (
    <section
      className="flex flex-col gap-3 rounded-3xl bg-white p-4 shadow-sm"
      aria-label="Training"
    >
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-bold">Training</h2>
        <span className="font-mono text-sm text-slate-600" data-testid="trainer-step">
          step {view.step}
        </span>
      </div>
      {view.phase === "idle" || view.phase === "failed" ? (
        <button
          type="button"
          onClick={() => void trainer.start()}
          className="min-h-12 rounded-2xl bg-emerald-600 px-4 text-lg font-bold text-white hover:bg-emerald-500 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        >
          {view.phase === "failed" ? "Try training again" : "Start training"}
        </button>
      ) : view.phase === "starting" ? (
        <p className="flex items-center gap-2 text-slate-700" role="status">
          <Spinner /> Starting TensorFlow.js and loading digits…
        </p>
      ) : (
        <div className="flex gap-2">
          <button
            type="button"
            onClick={view.phase === "running" ? trainer.pause : trainer.resume}
            className="min-h-11 flex-1 rounded-xl border-2 border-slate-300 font-bold hover:bg-slate-50"
          >
            {view.phase === "running" ? "Pause training" : "Resume training"}
          </button>
          <label className="sr-only" htmlFor="trainer-speed">
            Training speed
          </label>
          <select
            id="trainer-speed"
            value={
              speeds.some((s) => s.value === settings.trainingSpeed) ? settings.trainingSpeed : 10
            }
            onChange={(e) =>
              void act("host:settings", { settings: { trainingSpeed: Number(e.target.value) } })
            }
            className="min-h-11 rounded-xl border-2 border-slate-300 bg-white px-2 text-sm"
          >
            {speeds.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {view.error ? (
        <p role="alert" className="rounded-lg bg-rose-50 p-2 text-sm text-rose-800">
          {view.error}
        </p>
      ) : null}
      {view.phase === "running" && view.step === 0 ? (
        <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
          <Spinner /> First steps: compiling the networks…
        </p>
      ) : null}
      {view.phase !== "idle" ? (
        <dl className="grid grid-cols-3 gap-2 text-center text-sm">
          <Fact label="D(real)" value={view.dReal === null ? "—" : view.dReal.toFixed(2)} />
          <Fact label="D(fake)" value={view.dFake === null ? "—" : view.dFake.toFixed(2)} />
          <Fact
            label="ms/step"
            value={view.msPerStep === null ? "—" : Math.round(view.msPerStep).toString()}
          />
        </dl>
      ) : (
        <p className="text-sm text-slate-500">
          This browser trains the counterfeiter
          {view.preset !== "classroom" ? ` (preset “${view.preset}”)` : ""} and sends its fakes to
          the room. Keep this tab open.
        </p>
      )}
      {view.losses.steps.length > 1 ? (
        <LossChart steps={view.losses.steps} dLoss={view.losses.dLoss} gLoss={view.losses.gLoss} />
      ) : null}
      {view.samples && side > 0 ? (
        <figure className="flex items-end gap-3">
          <DigitGrid
            pixels={view.samples.images}
            cols={side}
            gap={2}
            rows={Math.ceil(view.samples.count / side)}
            alt={`The counterfeiter's current drawings from fixed noise, step ${view.samples.step}`}
            className="max-w-40 rounded-lg"
          />
          <figcaption className="text-xs text-slate-500">
            Step {view.samples.step}. Same noise every time: watch the forgeries improve.
          </figcaption>
        </figure>
      ) : null}
      <p className="text-xs text-slate-500" aria-live="polite">
        {view.uploaded
          ? `Room has fakes from step ${view.uploaded.step}.`
          : view.phase === "running"
            ? "Sending the first fakes to the room…"
            : null}
        {view.criticLabels > 0 ? ` Human critic learned from ${view.criticLabels} verdicts.` : null}
        {view.backend ? ` Backend: ${view.backend}.` : null}
      </p>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg bg-slate-50 py-1">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-mono font-bold tabular-nums">{value}</dd>
    </div>
  );
}
