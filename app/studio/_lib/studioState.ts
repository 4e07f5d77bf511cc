// The studio's view state: what the trainer hook mirrors from the worker, and small helpers.
import type { GanConfig } from "@/lib/gan/config";
import type { ReadyInfo } from "@/lib/gan/worker-protocol";
import { bytesFingerprint } from "./fingerprint";
import { emptySeries, type HistogramFrame, type Series } from "./history";

export type Phase = "idle" | "loading" | "ready" | "failed";
export type LastAction = "stepD" | "stepG" | "play" | null;

export interface Samples {
  images: Uint8Array;
  count: number;
  step: number;
  fingerprint: string;
}

export interface Fingerprints {
  step: number;
  dSteps: number;
  G: string;
  D: string;
}

export interface StudioView {
  phase: Phase;
  /** While loading: what is happening, and download progress (null = indeterminate). */
  stage: "dataset" | "backend" | null;
  datasetProgress: number | null;
  startedAt: number | null;
  ready: ReadyInfo | null;
  /** Set when the first choice of engines failed to start and a slower one was used. */
  fallbackNote: string | null;
  config: GanConfig | null;
  paused: boolean;
  stepsPerSecond: number | null;
  step: number;
  dSteps: number;
  msPerStep: number | null;
  series: Series;
  frames: HistogramFrame[];
  samples: Samples | null;
  lastAction: LastAction;
  fingerprints: Fingerprints | null;
  previousFingerprints: Fingerprints | null;
  /** Bumped on reset / load: views keyed on it start their histories again. */
  generation: number;
  error: string | null;
}

export const initial: StudioView = {
  phase: "idle",
  stage: null,
  datasetProgress: null,
  startedAt: null,
  ready: null,
  fallbackNote: null,
  config: null,
  paused: true,
  stepsPerSecond: null,
  step: 0,
  dSteps: 0,
  msPerStep: null,
  series: emptySeries(),
  frames: [],
  samples: null,
  lastAction: null,
  fingerprints: null,
  previousFingerprints: null,
  generation: 0,
  error: null,
};

/** How long the first choice of backends may take to start before the studio falls back. */
export const INIT_TIMEOUT_MS = 25_000;

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer after ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export const randomSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function withSamples(v: StudioView, s: { images: Uint8Array; count: number; step: number }) {
  return { ...v, samples: { ...s, fingerprint: bytesFingerprint(s.images) } };
}
