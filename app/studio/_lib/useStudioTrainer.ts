// The studio's trainer: runs the GAN worker, mirrors its progress into React state (batched to
// one render per animation frame) and exposes the controls. Components render; they never train.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { LiveOverrides, PresetName } from "@/lib/gan/config";
import type { Digits } from "@/lib/gan/dataset";
import type { BackendName } from "@/lib/gan/backend";
import type { ReadyInfo } from "@/lib/gan/worker-protocol";
import { TrainerClient, TrainerRequestError } from "@/app/_lib/trainer-client";
import { bytesFingerprint, weightFingerprints } from "./fingerprint";
import { appendFrame, appendPoint, emptySeries } from "./history";
import { loadDigitsWithProgress } from "./loadDigits";
import {
  initial,
  INIT_TIMEOUT_MS,
  message,
  randomSeed,
  withSamples,
  withTimeout,
  type StudioView,
} from "./studioState";

export type { Fingerprints, LastAction, Phase, Samples, StudioView } from "./studioState";

export function useStudioTrainer(preset: PresetName) {
  const [view, setView] = useState<StudioView>(initial);
  const client = useRef<TrainerClient | null>(null);
  const digits = useRef<Digits | null>(null);
  // Updates from the worker are folded into one pending function and applied once per frame.
  const pending = useRef<((v: StudioView) => StudioView)[]>([]);
  const frame = useRef<number | null>(null);
  // While paused, every report (the loop's last one after a pause, single steps) refreshes the
  // weight fingerprints, so "before" and "after" a step are both exact.
  const paused = useRef(true);

  const update = useCallback((fn: (v: StudioView) => StudioView) => {
    pending.current.push(fn);
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const fns = pending.current;
      pending.current = [];
      setView((v) => fns.reduce((acc, f) => f(acc), v));
    });
  }, []);

  const refreshFingerprints = useCallback(async () => {
    const c = client.current;
    if (!c) return;
    try {
      const snap = await c.snapshot({ nets: ["G", "D"] });
      const fp = weightFingerprints(snap.bytes);
      const next = { G: fp.G ?? "", D: fp.D ?? "" };
      update((v) => {
        const same = v.fingerprints?.G === next.G && v.fingerprints.D === next.D;
        if (same) return v;
        return {
          ...v,
          previousFingerprints: v.fingerprints,
          fingerprints: { step: snap.step, dSteps: v.dSteps, ...next },
        };
      });
    } catch (e) {
      update((v) => ({ ...v, error: message(e) }));
    }
  }, [update]);

  const attach = useCallback(
    (c: TrainerClient) => {
      c.on("progress", (p) => {
        if (paused.current) void refreshFingerprints();
        update((v) => {
          const finite = Number.isFinite(p.dLoss) || Number.isFinite(p.gLoss);
          return {
            ...v,
            step: p.step,
            dSteps: p.dSteps,
            msPerStep: Number.isFinite(p.msPerStep) ? p.msPerStep : v.msPerStep,
            series: finite ? appendPoint(v.series, p) : v.series,
          };
        });
      });
      c.on("samples", (s) =>
        update((v) => ({
          ...v,
          samples: { ...s, fingerprint: bytesFingerprint(s.images) },
        })),
      );
      c.on("histograms", (h) =>
        update((v) => ({
          ...v,
          frames: appendFrame(v.frames, { step: h.step, real: h.real, fake: h.fake }),
        })),
      );
      c.on("state", (s) => {
        paused.current = s.paused;
        update((v) => ({ ...v, paused: s.paused, stepsPerSecond: s.stepsPerSecond }));
      });
      // A loaded snapshot moves weights without a progress report.
      c.on("weightsChanged", () => {
        if (paused.current) void refreshFingerprints();
      });
      c.on("error", (e) => update((v) => ({ ...v, error: e.message })));
    },
    [update, refreshFingerprints],
  );

  const start = useCallback(async () => {
    if (client.current) return;
    setView({ ...initial, phase: "loading", stage: "dataset", startedAt: performance.now() });
    try {
      digits.current = await loadDigitsWithProgress((f) =>
        update((v) => ({ ...v, datasetProgress: f })),
      );
      update((v) => ({ ...v, stage: "backend" }));
      const seed = randomSeed();
      const init = (c: TrainerClient, backends: BackendName[]) =>
        c.init({ preset, seed, backends, readEvery: 5, sampleEvery: 20, sampleCount: 64 });
      let c = TrainerClient.create();
      attach(c);
      client.current = c;
      let ready: ReadyInfo;
      let note: string | null = null;
      try {
        ready = await withTimeout(init(c, ["webgl", "wasm"]), INIT_TIMEOUT_MS);
      } catch (e) {
        // A backend that never finishes starting (seen with threaded wasm in some bundles) must
        // not leave the page hanging: start again on WebGL or the plain CPU engine, and say so.
        c.terminate();
        note = `The fast engines did not start (${message(e)}), so the studio fell back to a slower one.`;
        c = TrainerClient.create();
        attach(c);
        client.current = c;
        ready = await init(c, ["webgl", "cpu"]);
      }
      update((v) => ({
        ...v,
        phase: "ready",
        stage: null,
        ready,
        config: ready.config,
        step: ready.step,
        paused: false,
        lastAction: "play",
        fallbackNote: note,
      }));
      paused.current = false;
      c.play();
    } catch (e) {
      client.current?.terminate();
      client.current = null;
      update((v) => ({ ...v, phase: "failed", error: message(e) }));
    }
  }, [preset, attach, update]);

  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const play = useCallback(() => {
    paused.current = false;
    client.current?.play();
    update((v) => ({ ...v, paused: false, lastAction: "play" }));
  }, [update]);

  const pause = useCallback(() => {
    paused.current = true;
    client.current?.pause();
    update((v) => ({ ...v, paused: true }));
    void refreshFingerprints();
  }, [update, refreshFingerprints]);

  /** Exactly one D or G step; pauses first if training runs. */
  const step = useCallback(
    (which: "stepD" | "stepG") => {
      const c = client.current;
      if (!c) return;
      paused.current = true;
      c.pause();
      if (which === "stepD") c.stepD();
      else c.stepG();
      update((v) => ({ ...v, paused: true, lastAction: which }));
    },
    [update],
  );

  const setSpeed = useCallback(
    (sps: number | null) => {
      client.current?.setSpeed(sps);
      update((v) => ({ ...v, stepsPerSecond: sps }));
    },
    [update],
  );

  const setConfig = useCallback(
    async (overrides: LiveOverrides) => {
      const c = client.current;
      if (!c) return;
      try {
        const { config } = await c.setConfig(overrides);
        update((v) => ({ ...v, config, error: null }));
      } catch (e) {
        update((v) => ({ ...v, error: message(e) }));
      }
    },
    [update],
  );

  /** Fresh weights (or the given snapshot's); the charts start again. */
  const reset = useCallback(
    async (snapshot?: Uint8Array) => {
      const c = client.current;
      if (!c) return;
      const wasPaused = view.paused;
      const ready = await c.reset(snapshot ? { snapshot } : { seed: randomSeed() });
      setView((v) => ({
        ...v,
        ready,
        config: ready.config,
        step: ready.step,
        dSteps: 0,
        series: emptySeries(),
        frames: [],
        samples: null,
        fingerprints: null,
        previousFingerprints: null,
        generation: v.generation + 1,
        error: null,
      }));
      if (view.stepsPerSecond !== null) c.setSpeed(view.stepsPerSecond);
      if (!wasPaused) {
        paused.current = false;
        c.play();
      } else void c.sampleFixed().then((s) => update((v) => withSamples(v, s)));
    },
    [view.paused, view.stepsPerSecond, update],
  );

  /**
   * Loads a snapshot: into the running nets when the architecture matches, otherwise by
   * restarting with the snapshot's own config. A broken file is rejected before anything changes.
   */
  const loadSnapshot = useCallback(
    async (bytes: Uint8Array) => {
      const c = client.current;
      if (!c) throw new Error("start the studio first");
      try {
        const loaded = await c.loadSnapshot(bytes);
        setView((v) => ({
          ...v,
          step: loaded.step,
          dSteps: 0,
          series: emptySeries(),
          frames: [],
          fingerprints: null,
          previousFingerprints: null,
          generation: v.generation + 1,
          error: null,
        }));
        const s = await c.sampleFixed();
        update((v) => withSamples(v, s));
        return loaded.step;
      } catch (e) {
        if (!(e instanceof TrainerRequestError && e.code === "ARCHITECTURE")) throw e;
        await reset(bytes);
        return null;
      }
    },
    [reset, update],
  );

  return {
    view,
    loadSnapshot,
    client,
    digits,
    start,
    play,
    pause,
    step,
    setSpeed,
    setConfig,
    reset,
    refreshFingerprints,
    setError: (error: string | null) => update((v) => ({ ...v, error })),
  };
}

export type StudioTrainer = ReturnType<typeof useStudioTrainer>;
