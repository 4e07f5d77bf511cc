// What the trainer worker does with each message, without the worker: the Web Worker file only
// adapts postMessage and fetch to this, so the whole protocol runs (and is tested) in Node too.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendName, BackendReport } from "./backend";
import { createRealSampler, type RealSampler } from "./batches";
import { architectureId, resolveConfig, validateConfig, type GanConfig } from "./config";
import { DATASET_URL, type Digits } from "./dataset";
import { HumanLabels } from "./human-labels";
import { bytesToTensor, tensorToBytes } from "./images";
import { LoopControl, runTraining, type StepCounters } from "./loop";
import { createRng, normalNoise, shuffleInPlace, type Rng } from "./rng";
import {
  configFromSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  loadSnapshotInto,
  readWeights,
  SnapshotError,
} from "./snapshot";
import { createGan, discriminate, dispose, generate, updateLiveConfig, type Gan } from "./train";
import type {
  InitRequest,
  ReadyInfo,
  TrainerMessage,
  TrainerReplies,
  TrainerRequest,
} from "./worker-protocol";

export interface TrainerHostDeps {
  /** Sends a message to the page (the adapter transfers buffers). */
  post(message: TrainerMessage): void;
  loadDigits(url: string): Promise<Digits>;
  initBackend(candidates?: readonly BackendName[]): Promise<BackendReport>;
}

export interface TrainerHost {
  /** Handles one request; requests are processed in arrival order. */
  handle(request: TrainerRequest): Promise<void>;
  /** Stops training and frees every tensor. */
  close(): Promise<void>;
}

const HISTOGRAM_REAL = 128;

interface Session {
  readonly init: InitRequest;
  readonly gan: Gan;
  readonly sampler?: RealSampler;
  readonly control: LoopControl;
  readonly counters: StepCounters;
  readonly fixedNoise: tf.Tensor2D;
  readonly histogramReal?: tf.Tensor4D;
  readonly abort: AbortController;
  readonly rng: Rng;
  loop?: Promise<void>;
  readonly labels: HumanLabels;
  caughtPerStep: number;
}

export function createTrainerHost(deps: TrainerHostDeps): TrainerHost {
  let backend: Promise<BackendReport> | undefined;
  const datasets = new Map<string, Promise<Digits>>();
  let session: Session | undefined;
  let chain: Promise<void> = Promise.resolve();

  const reply = <K extends keyof TrainerReplies>(
    id: number,
    request: K,
    result: TrainerReplies[K],
  ) => deps.post({ type: "reply", id, request, result } as TrainerMessage);

  const postState = (s: Session) =>
    deps.post({
      type: "state",
      paused: s.control.paused,
      stepsPerSecond: s.control.stepsPerSecond,
      lambda: s.control.lambda,
      caughtFakesPerStep: s.caughtPerStep,
      step: s.counters.step,
      dSteps: s.counters.dSteps,
    });

  const current = (): Session => {
    if (!session) throw new Error("expected an init message first, got none");
    return session;
  };
  const training = (): Session => {
    const s = current();
    if (!s.sampler) throw new Error("this trainer has no dataset (started with datasetUrl: null)");
    return s;
  };

  const teardown = async () => {
    const s = session;
    session = undefined;
    if (!s) return;
    s.abort.abort();
    await s.loop;
    s.sampler?.dispose();
    tf.dispose([s.fixedNoise, ...(s.histogramReal ? [s.histogramReal] : [])]);
    dispose(s.gan);
  };

  const start = async (init: InitRequest): Promise<ReadyInfo> => {
    // The download runs while the backend is being measured.
    const url = init.datasetUrl === undefined ? DATASET_URL : init.datasetUrl;
    if (url !== null && !datasets.has(url)) {
      const loading = deps.loadDigits(url);
      loading.catch(() => datasets.delete(url));
      datasets.set(url, loading);
    }
    backend ??= deps.initBackend(init.backends).catch((e: unknown) => {
      backend = undefined; // let a later init try again
      throw e;
    });
    const report = await backend;
    const digits = url === null ? undefined : await datasets.get(url)!;
    await teardown();
    const decoded = init.snapshot ? decodeSnapshot(init.snapshot) : undefined;
    let cfg: GanConfig;
    if (decoded) {
      // The snapshot fixes the nets; only settings that need no new weights may be overridden.
      const { batchSize, gLearningRate, dLearningRate, dStepsPerGStep, labelSmoothing } =
        init.overrides ?? {};
      const live = { batchSize, gLearningRate, dLearningRate, dStepsPerGStep, labelSmoothing };
      const defined = Object.fromEntries(Object.entries(live).filter(([, v]) => v !== undefined));
      cfg = { ...configFromSnapshot(decoded), ...defined };
      validateConfig(cfg);
    } else {
      cfg = resolveConfig(init.preset, init.overrides);
    }
    const gan = createGan(cfg, init.seed);
    const counters = { step: 0, dSteps: 0 };
    if (decoded) {
      loadSnapshotInto(gan, decoded);
      counters.step = decoded.step;
    }
    const rng = createRng(init.seed ^ 0x5eed);
    const sampler = digits
      ? createRealSampler(digits, { batchSize: cfg.batchSize, seed: init.seed })
      : undefined;
    let histogramReal: tf.Tensor4D | undefined;
    if (sampler) {
      const order = shuffleInPlace(
        Int32Array.from({ length: sampler.size }, (_, i) => i),
        rng,
      );
      histogramReal = sampler.take(order.subarray(0, Math.min(HISTOGRAM_REAL, sampler.size)));
    }
    const s: Session = {
      init,
      gan,
      sampler,
      control: new LoopControl({ paused: true }),
      counters,
      fixedNoise: normalNoise(init.sampleCount ?? 64, cfg.latentDim, createRng(init.seed + 1)),
      histogramReal,
      abort: new AbortController(),
      rng,
      labels: new HumanLabels(),
      caughtPerStep: 0,
    };
    session = s;
    if (sampler) s.loop = startLoop(s);
    return {
      backend: report.backend,
      backendReport: report,
      config: cfg,
      architectureId: architectureId(cfg),
      step: counters.step,
      datasetSize: sampler?.size ?? 0,
    };
  };

  const startLoop = (s: Session): Promise<void> =>
    runTraining(
      {
        gan: s.gan,
        sampler: s.sampler!,
        control: s.control,
        counters: s.counters,
        readEvery: s.init.readEvery ?? 10,
        sampleEvery: s.init.sampleEvery ?? 25,
        fixedNoise: s.fixedNoise,
        histogramReal: s.histogramReal,
        extraFakes: () => s.labels.caughtBatch(s.caughtPerStep, s.rng),
      },
      (p) => {
        const { samples, histograms, ...progress } = p;
        deps.post({ type: "progress", ...progress });
        if (samples) {
          deps.post({
            type: "samples",
            step: p.step,
            images: samples,
            count: samples.length / 784,
          });
        }
        if (histograms) deps.post({ type: "histograms", step: p.step, ...histograms });
        if (p.kind === "stepD") deps.post({ type: "weightsChanged", which: "D", step: p.step });
        if (p.kind === "stepG") deps.post({ type: "weightsChanged", which: "G", step: p.step });
      },
      s.abort.signal,
    ).then(
      () => undefined,
      (e: unknown) => {
        s.control.pause();
        deps.post({ type: "error", message: `training stopped: ${errorMessage(e)}` });
      },
    );

  const imagesOf = async (t: tf.Tensor4D) => {
    try {
      return await tensorToBytes(t);
    } finally {
      t.dispose();
    }
  };

  const handleOne = async (req: TrainerRequest): Promise<void> => {
    switch (req.type) {
      case "init": {
        const info = await start(req);
        deps.post({ type: "ready", ...info });
        return reply(req.id, "init", info);
      }
      case "reset": {
        const prev = current().init;
        // A reset starts fresh weights unless it brings a snapshot of its own.
        const next = { ...prev, snapshot: undefined, ...stripUndefined(req) };
        const info = await start({ ...next, type: "init", id: req.id });
        deps.post({ type: "ready", ...info });
        return reply(req.id, "reset", info);
      }
      case "play":
        training().control.play();
        return postState(current());
      case "pause":
        current().control.pause();
        return postState(current());
      case "stepD":
        training().control.stepD();
        return;
      case "stepG":
        training().control.stepG();
        return;
      case "setSpeed":
        current().control.setSpeed(req.stepsPerSecond);
        return postState(current());
      case "setLambda":
        current().control.setLambda(req.lambda);
        return postState(current());
      case "setCaughtFakes": {
        if (!Number.isInteger(req.perStep) || req.perStep < 0 || req.perStep > 64) {
          throw new Error(`perStep: expected an integer in 0…64, got ${req.perStep}`);
        }
        current().caughtPerStep = req.perStep;
        return postState(current());
      }
      case "setConfig": {
        const s = current();
        updateLiveConfig(s.gan, req.overrides);
        if (s.sampler) s.sampler.batchSize = s.gan.config.batchSize;
        return reply(req.id, "setConfig", { config: s.gan.config });
      }
      case "addHumanLabels": {
        const s = current();
        s.labels.add(req.images, req.fractions, req.fake);
        const result = await s.labels.trainCritic(s.gan, s.rng);
        deps.post({ type: "weightsChanged", which: "H", step: s.counters.step });
        return reply(req.id, "addHumanLabels", result);
      }
      case "sampleFixed": {
        const s = current();
        const images = await imagesOf(generate(s.gan, s.fixedNoise));
        const count = s.fixedNoise.shape[0];
        return reply(req.id, "sampleFixed", { images, count, step: s.counters.step });
      }
      case "latent": {
        const s = current();
        const dim = s.gan.config.latentDim;
        if (req.z.length === 0 || req.z.length % dim !== 0) {
          throw new Error(`z: expected a multiple of ${dim} values, got ${req.z.length}`);
        }
        const z = tf.tensor2d(req.z, [req.z.length / dim, dim]);
        const images = await imagesOf(generate(s.gan, z));
        z.dispose();
        return reply(req.id, "latent", { images, count: req.z.length / dim });
      }
      case "generate": {
        const s = current();
        if (!Number.isInteger(req.count) || req.count < 1 || req.count > 1024) {
          throw new Error(`count: expected an integer in 1…1024, got ${req.count}`);
        }
        const step = s.counters.step;
        const z = normalNoise(req.count, s.gan.config.latentDim, s.rng);
        const images = await imagesOf(generate(s.gan, z));
        z.dispose();
        return reply(req.id, "generate", { images, count: req.count, step });
      }
      case "discriminate": {
        const s = current();
        const x = bytesToTensor(req.images);
        const p = discriminate(s.gan, x);
        const probabilities = (await p.data()) as Float32Array;
        tf.dispose([x, p]);
        return reply(req.id, "discriminate", { probabilities });
      }
      case "snapshot": {
        const s = current();
        const step = s.counters.step;
        const nets = req.nets ?? ["G", "D"];
        const weights = await readWeights(s.gan, nets);
        const bytes = encodeSnapshot(weights, step, { nets, precision: req.precision });
        return reply(req.id, "snapshot", { bytes, step });
      }
      case "loadSnapshot": {
        const s = current();
        const decoded = decodeSnapshot(req.bytes);
        const nets = loadSnapshotInto(s.gan, decoded);
        s.counters.step = decoded.step;
        for (const which of nets) deps.post({ type: "weightsChanged", which, step: decoded.step });
        return reply(req.id, "loadSnapshot", { step: decoded.step, nets });
      }
    }
  };

  return {
    handle(req) {
      const run = chain.then(() =>
        handleOne(req).catch((e: unknown) => {
          deps.post({
            type: "error",
            ...("id" in req ? { id: req.id } : {}),
            message: errorMessage(e),
            ...(e instanceof SnapshotError ? { code: e.code } : {}),
          });
        }),
      );
      chain = run;
      return run;
    },
    close: () => (chain = chain.then(teardown)),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
