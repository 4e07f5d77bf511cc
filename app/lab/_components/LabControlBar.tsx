"use client";

import { useState } from "react";
import type { LabConfig } from "@/lib/lab/config";
import type { LabEngine, LabSnapshot } from "../_lib/engine";

const btnBase =
  "items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm font-semibold transition focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-50 sm:px-3 sm:py-2 sm:text-base";
const btn = `inline-flex ${btnBase}`;

/** Play/pause, single steps, slow motion, reset, projector and share; sticky at the top. */
export function LabControlBar({
  engine,
  snap,
  config,
  onChange,
  projector = false,
}: {
  engine: LabEngine;
  snap: LabSnapshot;
  config: LabConfig;
  onChange: (patch: Partial<LabConfig>) => void;
  projector?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const ready = snap.status === "ready";
  const light = projector
    ? "border border-slate-600 bg-slate-800 text-white hover:bg-slate-700"
    : "border border-slate-300 bg-white hover:bg-slate-50";
  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt("Copy this link", window.location.href);
    }
  };
  return (
    <div
      className={
        projector
          ? "flex flex-wrap items-center gap-2"
          : "z-20 -mx-4 border-b border-slate-200 bg-white px-4 py-3 sm:sticky sm:top-0 sm:-mx-8 sm:px-8"
      }
    >
      <div className="mx-auto flex w-full max-w-[1400px] flex-wrap items-center gap-2 sm:gap-3">
        {snap.playing ? (
          <button
            type="button"
            onClick={() => engine.pause()}
            className={`${btn} ${projector ? "bg-white text-slate-900" : "bg-slate-900 text-white hover:bg-slate-700"}`}
            aria-keyshortcuts="Space"
          >
            <span aria-hidden>❚❚</span> Pause
          </button>
        ) : (
          <button
            type="button"
            onClick={() => engine.play()}
            disabled={!ready}
            className={`${btn} bg-indigo-600 text-white hover:bg-indigo-500`}
            aria-keyshortcuts="Space"
          >
            <span aria-hidden>▶</span> Play
          </button>
        )}
        <button
          type="button"
          onClick={() => engine.step("D")}
          disabled={!ready}
          className={`${btn} ${light}`}
          title="Exactly one discriminator step (G frozen): watch the colour map change"
          aria-keyshortcuts="d"
        >
          Step D
        </button>
        <button
          type="button"
          onClick={() => engine.step("G")}
          disabled={!ready}
          className={`${btn} ${light}`}
          title="Exactly one generator step (D frozen): watch the orange squares move"
          aria-keyshortcuts="g"
        >
          Step G
        </button>
        {!projector && (
          <>
            <button
              type="button"
              onClick={() => onChange({ slowMotion: !config.slowMotion })}
              aria-pressed={config.slowMotion}
              className={`${btn} ${config.slowMotion ? "bg-amber-100 text-amber-950 ring-2 ring-amber-400" : light}`}
              title="One step every 0.7 s, each one drawn and named"
            >
              Slow motion
            </button>
            <button
              type="button"
              onClick={() => engine.reset()}
              disabled={!ready}
              className={`${btn} text-slate-700 hover:bg-slate-100`}
              title="Fresh, untrained networks (same seed, same start)"
            >
              Reset
            </button>
            <button
              type="button"
              onClick={() => void share()}
              className={`${btn} text-slate-700 hover:bg-slate-100`}
              title="Copy a link to this exact set-up"
            >
              {copied ? "Link copied" : "Share set-up"}
            </button>
          </>
        )}
        <button
          type="button"
          onClick={() => onChange({ projector: !projector })}
          aria-pressed={projector}
          className={
            projector
              ? `${btn} ${light}`
              : // A phone is not a projector.
                `hidden sm:inline-flex ${btnBase} text-slate-700 hover:bg-slate-100`
          }
          title={projector ? "Back to the controls (Esc)" : "Hide the controls, enlarge the plane"}
        >
          {projector ? "Exit projector" : "Projector"}
        </button>
        <div
          className={`ml-auto flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm ${projector ? "text-slate-300" : "text-slate-600"}`}
        >
          <span>
            G step{" "}
            <strong
              className={`text-xl font-black tabular-nums ${projector ? "text-white" : "text-slate-900"}`}
            >
              {snap.gSteps.toLocaleString("en")}
            </strong>
          </span>
          <span className="tabular-nums">D steps {snap.dSteps.toLocaleString("en")}</span>
          <span className="tabular-nums" title="Jensen–Shannon divergence, real vs generated">
            JS{" "}
            <strong className={projector ? "text-white" : "text-slate-900"}>
              {snap.js === null ? "–" : snap.js.toFixed(2)}
            </strong>{" "}
            bits
          </span>
          {snap.playing && snap.stepsPerSecond > 0 && (
            <span className="hidden tabular-nums md:inline">
              {snap.stepsPerSecond.toFixed(0)} steps/s · {snap.fps.toFixed(0)} fps
            </span>
          )}
          <span
            className={`rounded-full px-2 py-0.5 text-xs font-bold ${snap.playing ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}
          >
            {snap.status === "loading"
              ? "Loading"
              : snap.status === "needsDrawing"
                ? "Draw first"
                : snap.playing
                  ? "Training"
                  : "Paused"}
          </span>
        </div>
      </div>
    </div>
  );
}
