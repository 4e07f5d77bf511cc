"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { DEFAULT_PRESET, isPresetName } from "@/lib/gan/config";
import { studioHealth } from "./_lib/studioHealth";
import { useQuality } from "./_lib/useQuality";
import { useStudioTrainer } from "./_lib/useStudioTrainer";
import { BackendNote } from "./_components/BackendNote";
import { ControlBar } from "./_components/ControlBar";
import { HealthPanel } from "./_components/HealthPanel";
import { LatentExplorer } from "./_components/LatentExplorer";
import { codeCategories, codeNamesDigit } from "@/lib/gan/latent-code";
import { NetworkDiagram } from "./_components/NetworkDiagram";
import { Panel } from "./_components/Panel";
import { QualityPanel } from "./_components/QualityPanel";
import { SavePanel } from "./_components/SavePanel";
import { SettingsPanel } from "./_components/SettingsPanel";
import { SoloGame } from "./_components/SoloGame";
import { StartPanel } from "./_components/StartPanel";
import { DxPanel, LossPanel, SamplesPanel } from "./_components/TrainingViews";

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(t.tagName));

/** The solo studio: train a GAN, watch and steer it, explore it, play against its police. */
export function StudioApp() {
  const params = useSearchParams();
  const requested = params.get("preset");
  const preset = requested && isPresetName(requested) ? requested : DEFAULT_PRESET;
  const trainer = useStudioTrainer(preset);
  const { view } = trainer;
  const ready = view.phase === "ready";
  const quality = useQuality(ready, view.samples, view.generation);
  const health = useMemo(
    () => studioHealth(view.step, view.series, quality),
    [view.step, view.series, quality],
  );

  // Keyboard: Space plays/pauses, D and G run one step (not while typing or on a control).
  const { play, pause, step } = trainer;
  useEffect(() => {
    if (!ready) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === " ") {
        e.preventDefault();
        if (view.paused) play();
        else pause();
      } else if (e.key === "d" || e.key === "D") step("stepD");
      else if (e.key === "g" || e.key === "G") step("stepG");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ready, view.paused, play, pause, step]);

  return (
    <main className="mx-auto flex max-w-[1400px] flex-col gap-5 px-4 pb-16 sm:px-8">
      <header className="flex flex-wrap items-center justify-between gap-3 pt-5">
        <div className="flex items-baseline gap-3">
          <Link href="/" className="text-xl font-black tracking-tight">
            Spot the <span className="text-fake">Fake</span>
          </Link>
          <h1 className="text-xl font-semibold text-slate-500">Studio</h1>
          <Link href="/lab" className="text-sm font-semibold text-indigo-700 hover:text-indigo-500">
            GAN Lab in 2-D →
          </Link>
        </div>
        {view.ready && <BackendNote ready={view.ready} fallbackNote={view.fallbackNote} />}
      </header>

      {!ready ? (
        <StartPanel view={view} preset={preset} onStart={() => void trainer.start()} />
      ) : (
        <>
          <ControlBar trainer={trainer} />
          {view.error && (
            <p
              role="alert"
              className="flex items-start justify-between gap-3 rounded-xl bg-rose-50 p-3 text-sm text-rose-900"
            >
              {view.error}
              <button
                type="button"
                onClick={() => trainer.setError(null)}
                className="font-semibold underline"
              >
                Dismiss
              </button>
            </p>
          )}
          <div className="grid grid-cols-1 gap-5 lg:grid-cols-2 xl:grid-cols-3">
            <div className="flex min-w-0 flex-col gap-5">
              <SamplesPanel samples={view.samples} />
              <QualityPanel quality={quality} />
            </div>
            <div className="flex min-w-0 flex-col gap-5">
              <Panel
                id="players"
                title="Two players, taking turns"
                explain="G never sees a real digit: it learns only from D's verdicts on its fakes. D learns from both. Each step updates one network while the other stays frozen — press Step D or Step G (or the D and G keys) to see it."
              >
                <NetworkDiagram
                  lastAction={view.lastAction}
                  paused={view.paused}
                  fingerprints={view.fingerprints}
                  previous={view.previousFingerprints}
                />
              </Panel>
              <LossPanel series={view.series} />
            </div>
            <div className="flex min-w-0 flex-col gap-5 lg:col-span-2 xl:col-span-1">
              <DxPanel series={view.series} frames={view.frames} />
              <HealthPanel checks={health} />
              <SettingsPanel config={view.config} onChange={(o) => void trainer.setConfig(o)} />
            </div>
          </div>
          <LatentExplorer
            key={view.config?.latentDim ?? 100}
            client={trainer.client.current}
            latentDim={view.config?.latentDim ?? 100}
            categories={view.config ? codeCategories(view.config) : 0}
            namesDigits={view.config ? codeNamesDigit(view.config) : false}
            refreshKey={view.samples?.step ?? 0}
          />
          <SoloGame client={trainer.client.current} digits={trainer.digits.current} />
          <SavePanel trainer={trainer} />
          <p className="text-center text-sm text-slate-500">
            Keyboard: <kbd className="rounded border px-1">Space</kbd> play / pause ·{" "}
            <kbd className="rounded border px-1">D</kbd> one D step ·{" "}
            <kbd className="rounded border px-1">G</kbd> one G step
          </p>
        </>
      )}
    </main>
  );
}
