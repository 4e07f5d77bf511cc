"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { LabConfig } from "@/lib/lab/config";
import { LAB_PRESETS, type LabPresetName } from "@/lib/lab/presets";
import { decodeLabUrl, encodeLabUrl, type LabUrlState } from "@/lib/lab/url";
import { Panel } from "@/app/studio/_components/Panel";
import { LabCharts } from "./_components/LabCharts";
import { LabControlBar } from "./_components/LabControlBar";
import { LabSettings } from "./_components/LabSettings";
import { PlaneView } from "./_components/PlaneView";
import { PresetPicker } from "./_components/PresetPicker";
import { TargetPicker } from "./_components/TargetPicker";
import type { LabBackend } from "./_lib/engine";
import { useLabEngine } from "./_lib/useLabEngine";

/** Changing these keeps the preset's explanation: they change the view, not the experiment. */
const VIEW_FIELDS: readonly (keyof LabConfig)[] = ["projector", "slowMotion"];

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(t.tagName));

/** GAN Lab: a GAN learning a 2-D distribution, every part of it drawn on one plane. */
export function LabApp() {
  const params = useSearchParams();
  const [state, setState] = useState<LabUrlState>(() =>
    decodeLabUrl(new URLSearchParams(params.toString())),
  );
  // Not part of the set-up: a way to measure the WebGL backend against the default cpu one.
  const [backend] = useState<LabBackend>(() =>
    params.get("backend") === "webgl" ? "webgl" : "cpu",
  );
  const { engine, snap } = useLabEngine(state.config, backend);
  const { config, preset } = state;

  // The address bar always holds the running set-up, so it can be shared or bookmarked.
  useEffect(() => {
    const query = encodeLabUrl(state);
    if (backend !== "cpu") query.set("backend", backend);
    window.history.replaceState(window.history.state, "", `?${query.toString()}`);
  }, [state, backend]);

  const change = useCallback((patch: Partial<LabConfig>) => {
    setState((s) => {
      const keepsPreset = Object.keys(patch).every((k) =>
        VIEW_FIELDS.includes(k as keyof LabConfig),
      );
      return { config: { ...s.config, ...patch }, preset: keepsPreset ? s.preset : null };
    });
  }, []);

  const applyPreset = useCallback((name: LabPresetName) => {
    setState((s) => ({
      config: { ...LAB_PRESETS[name].config, projector: s.config.projector },
      preset: name,
    }));
  }, []);

  const ready = snap.status === "ready";
  useEffect(() => {
    if (!ready) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === " ") {
        e.preventDefault();
        if (snap.playing) engine.pause();
        else engine.play();
      } else if (e.key === "d" || e.key === "D") engine.step("D");
      else if (e.key === "g" || e.key === "G") engine.step("G");
      else if (e.key === "Escape" && config.projector) change({ projector: false });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ready, snap.playing, engine, config.projector, change]);

  const plane = (
    <PlaneView
      engine={engine}
      snap={snap}
      config={config}
      projector={config.projector}
      onDrawn={(drawn) => change({ target: "custom", drawn })}
    />
  );

  if (config.projector) {
    return (
      <main className="flex min-h-dvh flex-col gap-3 bg-slate-950 px-3 py-3 text-white sm:px-6">
        <LabControlBar engine={engine} snap={snap} config={config} onChange={change} projector />
        <div className="grid flex-1 grid-cols-1 items-start gap-4 xl:grid-cols-[minmax(0,1fr)_400px]">
          <div className="min-w-0">{plane}</div>
          {/* Wide screens have room beside the square plane: the curves, without their notes. */}
          <div className="hidden min-w-0 text-slate-900 xl:block">
            <LabCharts snap={snap} compact />
          </div>
        </div>
      </main>
    );
  }

  return (
    <main className="mx-auto flex max-w-[1400px] flex-col gap-5 px-4 pb-16 sm:px-8">
      <header className="flex flex-wrap items-center justify-between gap-3 pt-5">
        <div className="flex items-baseline gap-3">
          <Link href="/" className="text-xl font-black tracking-tight">
            Spot the <span className="text-fake">Fake</span>
          </Link>
          <h1 className="text-xl font-semibold text-slate-500">GAN Lab</h1>
        </div>
        <Link
          href="/studio"
          className="text-sm font-semibold text-indigo-700 hover:text-indigo-500"
        >
          Train on digits in the studio →
        </Link>
      </header>
      <LabControlBar engine={engine} snap={snap} config={config} onChange={change} />
      {snap.error && (
        <p role="alert" className="rounded-xl bg-rose-50 p-3 text-sm text-rose-900">
          {snap.error}
        </p>
      )}
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_400px]">
        <div className="flex min-w-0 flex-col gap-5">
          <Panel
            id="plane"
            title="The whole game on one plane"
            explain="Blue dots are real data, orange squares are G's forgeries. The background is the police: D's probability that a point there is real (blue = real, orange = fake). The grid shows how G bends its noise into the plane, and each arrow shows where G's next step pushes a forgery."
          >
            {plane}
          </Panel>
          <LabCharts snap={snap} />
        </div>
        <div className="flex min-w-0 flex-col gap-5">
          <TargetPicker config={config} onChange={change} />
          <PresetPicker active={preset} onApply={applyPreset} />
          <LabSettings config={config} onChange={change} />
        </div>
      </div>
      <p className="text-center text-sm text-slate-500">
        Keyboard: <kbd className="rounded border px-1">Space</kbd> play / pause ·{" "}
        <kbd className="rounded border px-1">D</kbd> one D step ·{" "}
        <kbd className="rounded border px-1">G</kbd> one G step
      </p>
    </main>
  );
}
