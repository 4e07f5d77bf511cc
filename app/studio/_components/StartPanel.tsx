"use client";

import { useEffect, useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};
/** False in the server render and during hydration, true once the page responds to clicks. */
const useHydrated = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
import { isPresetName, PRESETS } from "@/lib/gan/config";
import type { StudioView } from "../_lib/useStudioTrainer";

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(since);
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, []);
  return <span className="tabular-nums">{((now - since) / 1000).toFixed(1)} s</span>;
}

function StageRow({
  state,
  children,
}: {
  state: "done" | "now" | "later";
  children: React.ReactNode;
}) {
  const mark =
    state === "done" ? (
      <span className="text-emerald-700" aria-label="done">
        ✓
      </span>
    ) : state === "now" ? (
      <span
        className="inline-block size-3 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent"
        aria-label="in progress"
      />
    ) : (
      <span
        className="inline-block size-3 rounded-full border-2 border-slate-300"
        aria-label="waiting"
      />
    );
  return (
    <li className={`flex items-start gap-3 ${state === "later" ? "text-slate-400" : ""}`}>
      <span className="mt-1 flex w-4 justify-center">{mark}</span>
      <span className="flex-1">{children}</span>
    </li>
  );
}

/** The one-click start, and what happens while the studio warms up. */
export function StartPanel({
  view,
  preset,
  onStart,
}: {
  view: StudioView;
  preset: string;
  onStart: () => void;
}) {
  const hydrated = useHydrated();
  const loading = view.phase === "loading";
  const pct = view.datasetProgress === null ? null : Math.round(view.datasetProgress * 100);
  return (
    <section
      aria-labelledby="start-title"
      className="mx-auto flex max-w-2xl flex-col gap-6 rounded-3xl border border-slate-200 bg-white p-6 shadow-sm sm:p-10"
    >
      <div className="flex flex-col gap-3">
        <h2 id="start-title" className="text-3xl font-black tracking-tight sm:text-4xl">
          Train your own counterfeiter
        </h2>
        <p className="text-lg text-slate-600">
          A generator network (the counterfeiter) learns to draw handwritten digits from random
          noise. A discriminator (the police) learns to tell its fakes from real digits. Both train
          right here in your browser — watch every step, pause, step one player at a time, then try
          to beat your own police.
        </p>
      </div>
      {view.phase === "failed" && (
        <p role="alert" className="rounded-xl bg-rose-50 p-4 text-rose-800">
          The studio could not start: {view.error}
        </p>
      )}
      {loading ? (
        <div role="status" aria-live="polite" className="flex flex-col gap-4">
          <ol className="flex flex-col gap-3 text-base">
            <StageRow state={view.stage === "dataset" ? "now" : "done"}>
              Downloading 10,000 handwritten digits
              {view.stage === "dataset" && pct !== null && ` — ${pct} %`}
              <div className="mt-2 h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden>
                <div
                  className="h-full bg-indigo-600 transition-[width]"
                  style={{ width: `${view.stage === "dataset" ? (pct ?? 10) : 100}%` }}
                />
              </div>
            </StageRow>
            <StageRow state={view.stage === "backend" ? "now" : "later"}>
              Choosing the fastest engine: timing WebGL (graphics card) and WebAssembly, compiling
              shaders, building the two networks. This can take a few seconds.
            </StageRow>
          </ol>
          {view.startedAt !== null && (
            <p className="text-sm text-slate-500">
              Elapsed <Elapsed since={view.startedAt} />
            </p>
          )}
        </div>
      ) : (
        <button
          type="button"
          onClick={onStart}
          disabled={!hydrated}
          autoFocus
          className="self-start rounded-xl bg-indigo-600 px-6 py-3 text-lg font-semibold text-white shadow transition hover:bg-indigo-500 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-60"
        >
          {view.phase === "failed" ? "Try again" : "Start training"}
        </button>
      )}
      <p className="text-sm text-slate-500">
        Model: <span className="font-mono">{preset}</span> preset. Nothing is uploaded unless you
        press “Save to server”.
      </p>
      {isPresetName(preset) && (PRESETS[preset].auxClassWeight ?? 0) > 0 ? (
        <p className="text-sm text-slate-500" data-testid="recipe-note">
          So that clear digits appear within minutes, this preset adds three tricks to the textbook
          DCGAN: the police also names the digit and the counterfeiter is told which digit to draw
          (an auxiliary classifier); the counterfeiter&apos;s last layer enlarges the picture, then
          paints it; and the digits you see come from an average of its recent versions. For the
          textbook DCGAN, open{" "}
          <a className="font-mono text-indigo-700 underline" href="/studio?preset=baseline">
            /studio?preset=baseline
          </a>
          .
        </p>
      ) : null}
    </section>
  );
}
