// The training loop, the same in a browser worker and in Node: k D steps per G step, a yield
// between iterations, losses read back only every N iterations (each readback stalls a GPU
// pipeline), progress reported through a callback, stopped by an AbortSignal. A LoopControl lets
// the page pause, single-step D or G, change λ and run in slow motion while the loop runs.
import * as tf from "@tensorflow/tfjs-core";
import type { RealSampler } from "./batches";
import { tensorToBytes } from "./images";
import { LoopControl, type LoopAction } from "./loop-control";
import {
  discriminate,
  disposeStats,
  generate,
  readStats,
  trainDiscriminatorStep,
  trainGeneratorStep,
  type DStepStats,
  type Gan,
  type GStepStats,
} from "./train";

export { LoopControl, type LoopAction };

/** Lets other work (messages, rendering) run: setImmediate in Node, a MessageChannel in workers. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

export interface Histograms {
  /** Counts of D(x) in equal bins over [0, 1], for real and for generated images. */
  readonly real: number[];
  readonly fake: number[];
}

export interface TrainingProgress {
  readonly kind: LoopAction;
  /** Generator steps so far. */
  readonly step: number;
  /** Discriminator steps so far. */
  readonly dSteps: number;
  /** Latest values (NaN until that step has run once). */
  readonly dLoss: number;
  readonly gLoss: number;
  readonly dReal: number;
  readonly dFake: number;
  readonly gGradNorm: number;
  /** Busy time per iteration (k D steps + 1 G step) since the last report, waits excluded. */
  readonly msPerStep: number;
  /** Fixed-noise samples, n × 784 bytes, when this report carries them. */
  readonly samples?: Uint8Array;
  readonly histograms?: Histograms;
}

export interface StepCounters {
  /** Generator steps. */
  step: number;
  /** Discriminator steps. */
  dSteps: number;
}

export interface TrainingOptions {
  readonly gan: Gan;
  readonly sampler: RealSampler;
  readonly control?: LoopControl;
  /** Read losses back every N iterations (default 10); every iteration in slow motion. */
  readonly readEvery?: number;
  /** Attach fixed-noise samples every N iterations (default 50, 0 = never). */
  readonly sampleEvery?: number;
  /** The noise behind the sample grid (kept fixed so students see one face change). */
  readonly fixedNoise?: tf.Tensor2D;
  /** Real images for D(x) histograms on sample reports. */
  readonly histogramReal?: tf.Tensor4D;
  readonly histogramBins?: number;
  /** Extra fakes for each D step (e.g. fakes the class caught); the loop disposes them. */
  readonly extraFakes?: () => tf.Tensor4D | undefined;
  /** Stop after this many generator steps in total. */
  readonly maxSteps?: number;
  /**
   * Live step counters, updated after every step; pass your own object to read them at any time
   * or to continue from a snapshot's step.
   */
  readonly counters?: StepCounters;
  readonly now?: () => number;
  readonly yieldFn?: () => Promise<void>;
}

const SLOW_READ_SPS = 5;
const SLOW_SAMPLE_SPS = 2;

/** Runs until aborted (or maxSteps); resolves with the step counters reached. */
export async function runTraining(
  opts: TrainingOptions,
  onProgress: (p: TrainingProgress) => void,
  signal: AbortSignal,
): Promise<{ step: number; dSteps: number }> {
  const { gan, sampler } = opts;
  const control = opts.control ?? new LoopControl();
  const readEvery = opts.readEvery ?? 10;
  const sampleEvery = opts.sampleEvery ?? 50;
  const now = opts.now ?? (() => performance.now());
  const yieldFn = opts.yieldFn ?? yieldToEventLoop;
  if (!Number.isInteger(readEvery) || readEvery < 1) {
    throw new RangeError(`readEvery: expected a positive integer, got ${readEvery}`);
  }
  const counters = opts.counters ?? { step: 0, dSteps: 0 };
  let last = { dLoss: NaN, gLoss: NaN, dReal: NaN, dFake: NaN, gGradNorm: NaN };
  let pendingD: DStepStats | undefined;
  let pendingG: GStepStats | undefined;
  let busyMs = 0;
  let iterationsSinceReport = 0;
  let sinceRead = 0;
  let sinceSample = 0;

  const dStep = () => {
    const { images: real, labels } = sampler.nextLabelled(gan.config.batchSize);
    const extra = opts.extraFakes?.();
    try {
      if (pendingD) disposeStats(pendingD);
      pendingD = trainDiscriminatorStep(gan, real, {
        realLabels: labels,
        ...(extra ? { extraFakes: extra } : {}),
      });
      counters.dSteps++;
    } finally {
      real.dispose();
      extra?.dispose();
    }
  };
  const gStep = (gradNorm: boolean) => {
    if (pendingG) disposeStats(pendingG);
    pendingG = trainGeneratorStep(gan, { lambda: control.lambda, gradNorm });
    counters.step++;
  };

  const report = async (kind: LoopAction, withSamples: boolean, started: number) => {
    if (pendingD) {
      const d = await readStats(pendingD);
      last = { ...last, dLoss: d.loss, dReal: d.dReal, dFake: d.dFake };
      pendingD = undefined;
    }
    if (pendingG) {
      const g = await readStats(pendingG);
      last = { ...last, gLoss: g.loss, gGradNorm: g.gradNorm ?? last.gGradNorm };
      pendingG = undefined;
    }
    const extras = withSamples ? await sampleAndHistogram() : {};
    // The readback waits for the queued GPU work, so it belongs to the steps' cost.
    busyMs += now() - started;
    const msPerStep = iterationsSinceReport > 0 ? busyMs / iterationsSinceReport : NaN;
    busyMs = 0;
    iterationsSinceReport = 0;
    const { step, dSteps } = counters;
    onProgress({ kind, step, dSteps, ...last, msPerStep, ...extras });
  };

  const sampleAndHistogram = async (): Promise<Partial<TrainingProgress>> => {
    if (!opts.fixedNoise) return {};
    const fakes = generate(gan, opts.fixedNoise);
    try {
      const samples = await tensorToBytes(fakes);
      if (!opts.histogramReal) return { samples };
      const bins = opts.histogramBins ?? 10;
      const pReal = discriminate(gan, opts.histogramReal);
      const pFake = discriminate(gan, fakes);
      const [r, f] = await Promise.all([pReal.data(), pFake.data()]);
      tf.dispose([pReal, pFake]);
      return { samples, histograms: { real: histogram(r, bins), fake: histogram(f, bins) } };
    } finally {
      fakes.dispose();
    }
  };

  try {
    while (opts.maxSteps === undefined || counters.step < opts.maxSteps) {
      // Show where training stopped before waiting for the page to press play or step.
      if (control.paused && iterationsSinceReport > 0) await report("iteration", true, now());
      const action = await control.next(signal);
      if (action === null) break;
      const started = now();
      const sps = control.stepsPerSecond;
      const effectiveRead = sps !== null && sps <= SLOW_READ_SPS ? 1 : readEvery;
      const effectiveSample = sps !== null && sps <= SLOW_SAMPLE_SPS ? 1 : sampleEvery;
      let read = action !== "iteration";
      let sample = read && sampleEvery > 0;
      if (action === "iteration") {
        sinceRead++;
        sinceSample++;
        read = sinceRead >= effectiveRead;
        sample = sampleEvery > 0 && sinceSample >= effectiveSample;
        for (let i = 0; i < gan.config.dStepsPerGStep; i++) dStep();
        gStep(read);
      } else if (action === "stepD") {
        dStep();
      } else {
        gStep(true);
      }
      iterationsSinceReport++;
      if (read || sample) {
        sinceRead = 0;
        if (sample) sinceSample = 0;
        await report(action, sample, started);
      } else {
        busyMs += now() - started;
      }
      if (sps !== null) {
        const wait = 1000 / sps - (now() - started);
        if (wait > 0) await control.changed(signal, wait);
      } else {
        await yieldFn();
      }
    }
    if (iterationsSinceReport > 0 && !signal.aborted) await report("iteration", false, now());
  } finally {
    if (pendingD) disposeStats(pendingD);
    if (pendingG) disposeStats(pendingG);
  }
  return { step: counters.step, dSteps: counters.dSteps };
}

/** Counts of values in [0, 1] over `bins` equal bins (1 goes in the last bin). */
export function histogram(values: ArrayLike<number>, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
    counts[b]!++;
  }
  return counts;
}
