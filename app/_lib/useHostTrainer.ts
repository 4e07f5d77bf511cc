// The teacher's browser is the trainer: this hook runs the GAN worker, mirrors its progress for
// the projector, and every few seconds uploads fakes, a snapshot and metrics to the room (binary,
// never JSON arrays). The class's verdicts come back as critic data for the human critic H.
"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { DEFAULT_PRESET, isPresetName, type PresetName } from "@/lib/gan/config";
import type { CriticData, RoomSettings, TrainingMetrics } from "@/lib/protocol";
import { TrainerClient } from "./trainer-client";
import type { RequestResult } from "./socket";

/** How often the room gets fresh fakes, a snapshot and metrics. */
const UPLOAD_EVERY_MS = 4000;
const FAKES_PER_UPLOAD = 64;
/** Points kept for the loss chart (older ones are thinned out). */
const MAX_POINTS = 600;
/** Caught fakes mixed into each D batch when the teacher turns the switch on. */
const CAUGHT_FAKES_PER_STEP = 8;
/** Backend measurement and the dataset download take seconds; a worker that never loads, forever. */
const INIT_TIMEOUT_MS = 180_000;

export type TrainerPhase = "idle" | "starting" | "running" | "paused" | "failed";

export interface LossHistory {
  steps: number[];
  dLoss: number[];
  gLoss: number[];
}

export interface HostTrainerView {
  phase: TrainerPhase;
  preset: PresetName;
  backend: string | null;
  step: number;
  msPerStep: number | null;
  dReal: number | null;
  dFake: number | null;
  losses: LossHistory;
  samples: { images: Uint8Array; count: number; step: number } | null;
  /** Step of the last fakes the room accepted, and when (local clock). */
  uploaded: { step: number; at: number } | null;
  /** Labelled images H has learned from (after the first reveal). */
  criticLabels: number;
  error: string | null;
}

interface Uploads {
  snapshot: (step: number, weights: Uint8Array) => Promise<RequestResult<unknown>>;
  metrics: (metrics: TrainingMetrics[]) => Promise<RequestResult<unknown>>;
  fakes: (step: number, images: Uint8Array) => Promise<RequestResult<unknown>>;
}

const empty: LossHistory = { steps: [], dLoss: [], gLoss: [] };

function presetFrom(name: string | null): PresetName {
  return name && isPresetName(name) ? name : DEFAULT_PRESET;
}

const BACKENDS = ["webgl", "wasm", "cpu"] as const;
type Backend = (typeof BACKENDS)[number];

function backendsFrom(name: string | null): readonly Backend[] | undefined {
  const found = BACKENDS.find((b) => b === name);
  return found ? BACKEND_LISTS[found] : undefined;
}
/** Stable arrays, so the start callback does not change identity on every render. */
const BACKEND_LISTS: Record<Backend, readonly Backend[]> = {
  webgl: ["webgl"],
  wasm: ["wasm"],
  cpu: ["cpu"],
};

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function useHostTrainer(opts: {
  presetName: string | null;
  /** Force one backend (?backend=webgl), instead of letting the worker measure the candidates. */
  backendName?: string | null;
  settings: RoomSettings | null;
  uploads: Uploads;
  /** False until the room exists: nothing is uploaded before that. */
  active: boolean;
  /** The room's newest snapshot, if it has one: a reloaded projector trains on from it. */
  resumeFrom?: () => Promise<Uint8Array | null>;
}) {
  const preset = presetFrom(opts.presetName);
  const backends = backendsFrom(opts.backendName ?? null);
  const [view, setView] = useState<HostTrainerView>({
    phase: "idle",
    preset,
    backend: null,
    step: 0,
    msPerStep: null,
    dReal: null,
    dFake: null,
    losses: empty,
    samples: null,
    uploaded: null,
    criticLabels: 0,
    error: null,
  });
  const client = useRef<TrainerClient | null>(null);
  const pendingMetrics = useRef<TrainingMetrics[]>([]);
  const lastUploadedStep = useRef(-1);
  const latest = useRef({
    uploads: opts.uploads,
    settings: opts.settings,
    active: opts.active,
    resumeFrom: opts.resumeFrom,
  });
  useEffect(() => {
    latest.current = {
      uploads: opts.uploads,
      settings: opts.settings,
      active: opts.active,
      resumeFrom: opts.resumeFrom,
    };
  });

  const patch = useCallback((p: Partial<HostTrainerView>) => setView((v) => ({ ...v, ...p })), []);

  const applySettings = useCallback((c: TrainerClient, s: RoomSettings | null) => {
    if (!s) return;
    c.setLambda(s.lambda);
    c.setCaughtFakes(s.feedCaughtFakes ? CAUGHT_FAKES_PER_STEP : 0);
    c.setSpeed(s.trainingSpeed >= 100 || s.trainingSpeed <= 0 ? null : s.trainingSpeed);
  }, []);

  const start = useCallback(async () => {
    if (client.current) return;
    patch({ phase: "starting", error: null });
    const c = TrainerClient.create();
    client.current = c;
    c.on("progress", (p) => {
      const finite = [p.dLoss, p.gLoss, p.dReal, p.dFake].every(Number.isFinite);
      if (finite) {
        const lambda = latest.current.settings?.lambda ?? 0;
        pendingMetrics.current.push({
          step: p.step,
          dLoss: p.dLoss,
          gLoss: p.gLoss,
          dReal: clamp01(p.dReal),
          dFake: clamp01(p.dFake),
          quality: null,
          fid: null,
          lambda,
        });
        if (pendingMetrics.current.length > 200)
          pendingMetrics.current.splice(0, pendingMetrics.current.length - 200);
      }
      setView((v) => {
        let losses = v.losses;
        if (finite) {
          losses = {
            steps: [...losses.steps, p.step],
            dLoss: [...losses.dLoss, p.dLoss],
            gLoss: [...losses.gLoss, p.gLoss],
          };
          if (losses.steps.length > MAX_POINTS) {
            const keep = (_: number, i: number) => i % 2 === 0;
            losses = {
              steps: losses.steps.filter(keep),
              dLoss: losses.dLoss.filter(keep),
              gLoss: losses.gLoss.filter(keep),
            };
          }
        }
        return {
          ...v,
          step: p.step,
          msPerStep: Number.isFinite(p.msPerStep) ? p.msPerStep : v.msPerStep,
          dReal: Number.isFinite(p.dReal) ? p.dReal : v.dReal,
          dFake: Number.isFinite(p.dFake) ? p.dFake : v.dFake,
          losses,
        };
      });
    });
    c.on("samples", (s) => patch({ samples: { images: s.images, count: s.count, step: s.step } }));
    c.on("state", (s) =>
      setView((v) =>
        v.phase === "starting" ? v : { ...v, phase: s.paused ? "paused" : "running" },
      ),
    );
    c.on("error", (e) => patch({ error: e.message }));
    try {
      // A room that already trained (the page was reloaded) goes on from its newest snapshot.
      const snapshot = await (latest.current.resumeFrom?.() ?? Promise.resolve(null)).catch(
        () => null,
      );
      const ready = await withTimeout(
        c.init({
          ...(snapshot ? { snapshot } : {}),
          preset,
          seed: randomSeed(),
          sampleCount: 64,
          // The worker answers requests (fakes, snapshots) only between readbacks: read often so
          // an upload never waits for ten slow steps. The projector's sample grid refreshes too.
          readEvery: 2,
          sampleEvery: 10,
          ...(backends ? { backends } : {}),
        }),
        INIT_TIMEOUT_MS,
        "The trainer did not start in time. This device may be too slow, or the page needs a reload.",
      );
      patch({ phase: "running", backend: ready.backend, step: ready.step });
      applySettings(c, latest.current.settings);
      c.play();
    } catch (err) {
      c.terminate();
      client.current = null;
      patch({ phase: "failed", error: err instanceof Error ? err.message : String(err) });
    }
  }, [preset, backends, patch, applySettings]);

  const pause = useCallback(() => client.current?.pause(), []);
  const resume = useCallback(() => client.current?.play(), []);

  // The teacher's settings drive the trainer: λ, caught fakes to D, speed.
  const { lambda, feedCaughtFakes, trainingSpeed } = opts.settings ?? {};
  useEffect(() => {
    if (client.current && view.phase !== "starting" && view.phase !== "idle") {
      applySettings(client.current, latest.current.settings);
    }
  }, [lambda, feedCaughtFakes, trainingSpeed, view.phase, applySettings]);

  // Uploads: fakes first (a round needs them), then the snapshot (D's verdicts), then metrics.
  const running = view.phase === "running" || view.phase === "paused";
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const c = client.current;
      const { uploads, active } = latest.current;
      if (c && active) {
        try {
          const fakes = await c.generate(FAKES_PER_UPLOAD);
          if (fakes.step !== lastUploadedStep.current) {
            const sent = await uploads.fakes(fakes.step, fakes.images);
            if (!sent.ok) throw new Error(`fakes: ${sent.message}`);
            // int8 halves the upload (classroom G+D ≈ 1.1 MB instead of 2.2 MB in float16).
            const snap = await c.snapshot({ nets: ["G", "D", "H"], precision: "int8" });
            const stored = await uploads.snapshot(snap.step, snap.bytes);
            if (!stored.ok) throw new Error(`snapshot: ${stored.message}`);
            lastUploadedStep.current = fakes.step;
            patch({ uploaded: { step: fakes.step, at: Date.now() }, error: null });
          }
          const metrics = pendingMetrics.current.splice(0, 200);
          if (metrics.length > 0) await uploads.metrics(metrics);
        } catch (err) {
          if (!stopped) patch({ error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (!stopped) timer = setTimeout(tick, UPLOAD_EVERY_MS);
    };
    timer = setTimeout(tick, 500);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running, patch]);

  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
    },
    [],
  );

  /** The class's verdicts after a reveal: H learns from them, caught fakes can feed D. */
  const addCriticData = useCallback(
    async (data: CriticData) => {
      const c = client.current;
      if (!c || data.items.length === 0) return;
      const images = new Uint8Array(data.items.length * 784);
      data.items.forEach((it, i) => images.set(it.image, i * 784));
      try {
        const report = await c.addHumanLabels(
          images,
          data.items.map((it) => it.realFraction),
          data.items.map((it) => it.kind === "fake"),
        );
        patch({ criticLabels: report.labelled });
      } catch (err) {
        patch({ error: err instanceof Error ? err.message : String(err) });
      }
    },
    [patch],
  );

  return { view, start, pause, resume, addCriticData };
}
