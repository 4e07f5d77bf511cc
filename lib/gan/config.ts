// Every hyper-parameter of the GAN in one typed object, with named presets. The shape-relevant
// fields form `architectureId`, which snapshots carry so weights never load into the wrong nets.

export interface CriticConfig {
  /** Conv filters of the human critic H (same family as D, smaller). */
  readonly filters: readonly [number, number];
  readonly learningRate: number;
}

export interface GanConfig {
  /** Size of the noise vector z ~ N(0, 1). */
  readonly latentDim: number;
  /**
   * K > 0: G reads the first K entries of z as a K-way choice, replacing them by the one-hot of
   * their argmax (a uniform category, since they are i.i.d. normal) before its dense layer. The
   * noise everyone draws stays N(0, 1); G's input space becomes K separate pieces, so it can
   * switch between digit shapes instead of morphing through in-between hybrids. 0 or absent = off.
   */
  readonly latentCategories?: number;
  /**
   * G's last upsampling (14×14 → 28×28): "deconv" = a stride-2 transposed conv (the design's);
   * "resize-conv" = nearest-neighbour ×2 then a stride-1 conv, which avoids the uneven overlap
   * of a transposed conv (checkerboard speckle on the strokes). Absent = "deconv".
   */
  readonly gOutput?: "deconv" | "resize-conv";
  /** G: channels of the 7×7 block after the dense layer, then of the 14×14 transposed conv. */
  readonly generatorFilters: readonly [number, number];
  /** D: channels of its two stride-2 convolutions (28→14→7). */
  readonly discriminatorFilters: readonly [number, number];
  /** Square kernel size of every (transposed) convolution. */
  readonly kernelSize: number;
  /** Slope of leakyReLU for x < 0. */
  readonly leakyAlpha: number;
  /** Momentum of G's batchnorm running statistics (used when sampling in inference mode). */
  readonly batchNormMomentum: number;
  readonly batchSize: number;
  readonly gLearningRate: number;
  readonly dLearningRate: number;
  /** Adam β1 (0.5 in DCGAN: less momentum keeps the two players from overshooting). */
  readonly beta1: number;
  /** k: discriminator steps per generator step. */
  readonly dStepsPerGStep: number;
  /** One-sided label smoothing: real images get label 1 − labelSmoothing; fakes stay 0. */
  readonly labelSmoothing: number;
  /** Dropout rate after each of D's convolutions during training (0 = none). */
  readonly dDropout: number;
  /**
   * w > 0: an auxiliary classifier (AC-GAN). D gets a second head that names the digit, trained on
   * the real digits' labels; G's categorical code (`latentCategories` = `numClasses`) is the digit
   * it must draw, and G's loss adds w · CE(D's class head on G(z), code). The D step and G step
   * keep their real/fake halves unchanged. 0 or absent = off (the design's plain DCGAN).
   */
  readonly auxClassWeight?: number;
  /**
   * d > 0: the class sees an exponential moving average of G's weights instead of G itself
   * (average ← d·average + (1 − d)·G after every G step; d ramps up from 0.1 over the first
   * steps so the average does not drag the random start along). Smooths the step-to-step wobble
   * of the GAN game. Sampling (`generate`) and snapshots use the average; training uses G.
   * 0 or absent = off.
   */
  readonly gAverageDecay?: number;
  readonly critic: CriticConfig;
  /** Class-conditional generation (choose the digit) is a later extension; must stay false. */
  readonly conditional: boolean;
  readonly numClasses: number;
}

const BASELINE: GanConfig = {
  latentDim: 100,
  generatorFilters: [128, 64],
  discriminatorFilters: [64, 128],
  kernelSize: 5,
  leakyAlpha: 0.2,
  batchNormMomentum: 0.9,
  batchSize: 64,
  gLearningRate: 2e-4,
  dLearningRate: 2e-4,
  beta1: 0.5,
  dStepsPerGStep: 1,
  labelSmoothing: 0,
  dDropout: 0,
  critic: { filters: [16, 32], learningRate: 1e-3 },
  conditional: false,
  numClasses: 10,
};

/**
 * What turns the design's DCGAN into one that draws clear digits within a lesson: an auxiliary
 * classifier (G's 10-way code is the digit; D also names digits, learnt from the real labels),
 * a resize + conv output layer instead of the last transposed conv (no speckle from uneven
 * overlap), and a moving average of G's weights for what the class sees.
 */
export const FAST_DIGITS = {
  latentCategories: 10,
  auxClassWeight: 1,
  gOutput: "resize-conv",
  gAverageDecay: 0.99,
} as const satisfies Partial<GanConfig>;

/** The fields that switch FAST_DIGITS off again: the design's plain DCGAN step. */
export const PLAIN_DCGAN = {
  latentCategories: 0,
  auxClassWeight: 0,
  gOutput: "deconv",
  gAverageDecay: 0,
} as const satisfies Partial<GanConfig>;

export const PRESETS = {
  /** Exactly the design's DCGAN (the model the PyTorch reference figure is for). */
  baseline: BASELINE,
  /**
   * The default in class. The baseline's nets with 4×4 kernels and a D of half the channels (a
   * step costs ~0.45× the baseline's), plus the recipe that lifted quality (`FAST_DIGITS`).
   * Measured with `bench:gan:quality` (Node wasm, 100 fixed samples, the committed classifier):
   * the plain DCGAN, and eleven single levers on it (TTUR, k = 2, batch 128, dropout, EMA, a
   * categorical code, resize-conv, G 256→64, label smoothing…), stay on a plateau of ~25–45 %
   * confident samples up to step 1,000. The auxiliary classifier alone gives 60–75 % from step
   * ~700; with the resize-conv output ≥ 80 % is first reached at step 150 (seeds 1 and 2; seed 3
   * peaks at 74 %); the moving average of G keeps it at ~65–85 % afterwards. Table in
   * docs/BENCHMARKS.md.
   */
  classroom: {
    ...BASELINE,
    ...FAST_DIGITS,
    kernelSize: 4,
    discriminatorFilters: [32, 64],
  },
  /** Slow devices: half the filters, smaller batches, the same recipe. */
  small: {
    ...BASELINE,
    ...FAST_DIGITS,
    generatorFilters: [64, 32],
    discriminatorFilters: [32, 64],
    batchSize: 32,
    labelSmoothing: 0.1,
  },
  /** Tests and e2e on software WebGL / the cpu backend: a step in well under a second. */
  tiny: {
    ...BASELINE,
    latentDim: 16,
    generatorFilters: [16, 8],
    discriminatorFilters: [8, 16],
    batchSize: 16,
    critic: { filters: [4, 8], learningRate: 1e-3 },
    // The classroom's recipe, so tests and e2e run the code paths a class runs.
    ...FAST_DIGITS,
  },
} as const satisfies Record<string, GanConfig>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
export const DEFAULT_PRESET: PresetName = "classroom";

/** Fields that may be overridden; nested critic settings are merged, not replaced. */
export type GanConfigOverrides = Partial<Omit<GanConfig, "critic">> & {
  readonly critic?: Partial<CriticConfig>;
};

export class GanConfigError extends Error {
  override name = "GanConfigError";
}

/** Identifies the weight shapes: two configs with the same id can exchange weights. */
export function architectureId(cfg: GanConfig): string {
  const [g1, g2] = cfg.generatorFilters;
  const [d1, d2] = cfg.discriminatorFilters;
  const [h1, h2] = cfg.critic.filters;
  const cond = cfg.conditional ? `-c${cfg.numClasses}` : "";
  const cat = (cfg.latentCategories ?? 0) > 0 ? `-cat${cfg.latentCategories}` : "";
  const out = cfg.gOutput === "resize-conv" ? "r" : "";
  const aux = auxClasses(cfg) > 0 ? `-ac${auxClasses(cfg)}` : "";
  return `dcgan-z${cfg.latentDim}${cat}-g${g1}x${g2}${out}-d${d1}x${d2}${aux}-h${h1}x${h2}-k${cfg.kernelSize}${cond}`;
}

/** Number of classes D's auxiliary head names (0: no head). */
export function auxClasses(cfg: GanConfig): number {
  return (cfg.auxClassWeight ?? 0) > 0 ? cfg.numClasses : 0;
}

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** The preset with the overrides applied, validated; throws GanConfigError naming the field. */
export function resolveConfig(
  preset: PresetName = DEFAULT_PRESET,
  overrides: GanConfigOverrides = {},
): GanConfig {
  if (!isPresetName(preset)) {
    throw new GanConfigError(`expected a preset in ${PRESET_NAMES.join(", ")}, got "${preset}"`);
  }
  const base: GanConfig = PRESETS[preset];
  const cfg: GanConfig = {
    ...base,
    ...overrides,
    critic: { ...base.critic, ...overrides.critic },
  };
  validateConfig(cfg);
  return cfg;
}

/** Throws GanConfigError on the first invalid field. */
export function validateConfig(cfg: GanConfig): void {
  const int = (name: string, v: unknown, min: number, max: number) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new GanConfigError(`${name}: expected an integer in ${min}…${max}, got ${String(v)}`);
    }
  };
  const real = (name: string, v: unknown, min: number, max: number, openMin = false) => {
    const below = typeof v === "number" && (openMin ? v <= min : v < min);
    if (typeof v !== "number" || !Number.isFinite(v) || below || v > max) {
      const range = `${openMin ? "(" : "["}${min}, ${max}]`;
      throw new GanConfigError(`${name}: expected a number in ${range}, got ${String(v)}`);
    }
  };
  const pair = (name: string, v: unknown) => {
    if (!Array.isArray(v) || v.length !== 2) {
      throw new GanConfigError(`${name}: expected two filter counts, got ${JSON.stringify(v)}`);
    }
    int(`${name}[0]`, v[0], 1, 1024);
    int(`${name}[1]`, v[1], 1, 1024);
  };
  int("latentDim", cfg.latentDim, 1, 1024);
  if (cfg.gOutput !== undefined && cfg.gOutput !== "deconv" && cfg.gOutput !== "resize-conv") {
    throw new GanConfigError(
      `gOutput: expected "deconv" or "resize-conv", got ${JSON.stringify(cfg.gOutput)}`,
    );
  }
  if (cfg.latentCategories !== undefined) {
    int("latentCategories", cfg.latentCategories, 0, Math.max(0, cfg.latentDim - 1));
    if (cfg.latentCategories === 1) {
      throw new GanConfigError(
        "latentCategories: expected 0 (off) or at least 2 categories, got 1",
      );
    }
  }
  pair("generatorFilters", cfg.generatorFilters);
  pair("discriminatorFilters", cfg.discriminatorFilters);
  int("kernelSize", cfg.kernelSize, 1, 9);
  real("leakyAlpha", cfg.leakyAlpha, 0, 1);
  real("batchNormMomentum", cfg.batchNormMomentum, 0, 1);
  int("batchSize", cfg.batchSize, 1, 1024);
  real("gLearningRate", cfg.gLearningRate, 0, 1, true);
  real("dLearningRate", cfg.dLearningRate, 0, 1, true);
  real("beta1", cfg.beta1, 0, 0.9999);
  int("dStepsPerGStep", cfg.dStepsPerGStep, 1, 20);
  real("labelSmoothing", cfg.labelSmoothing, 0, 0.5);
  real("dDropout", cfg.dDropout, 0, 0.9);
  if (cfg.gAverageDecay !== undefined) real("gAverageDecay", cfg.gAverageDecay, 0, 0.9999);
  if (cfg.auxClassWeight !== undefined) {
    real("auxClassWeight", cfg.auxClassWeight, 0, 10);
    if (cfg.auxClassWeight > 0 && cfg.latentCategories !== cfg.numClasses) {
      throw new GanConfigError(
        `auxClassWeight: needs latentCategories = numClasses (${cfg.numClasses}) so G's code names a digit, got ${String(cfg.latentCategories ?? 0)}`,
      );
    }
  }
  if (typeof cfg.critic !== "object" || cfg.critic === null) {
    throw new GanConfigError(`critic: expected an object, got ${String(cfg.critic)}`);
  }
  pair("critic.filters", cfg.critic.filters);
  real("critic.learningRate", cfg.critic.learningRate, 0, 1, true);
  int("numClasses", cfg.numClasses, 1, 1000);
  if (cfg.conditional !== false) {
    throw new GanConfigError(
      `conditional: expected false (class-conditional generation is not built yet), got ${String(cfg.conditional)}`,
    );
  }
}

/** Settings that can change while training runs (no new weights needed). */
export const LIVE_FIELDS = [
  "batchSize",
  "gLearningRate",
  "dLearningRate",
  "dStepsPerGStep",
  "labelSmoothing",
] as const;
export type LiveOverrides = Partial<Pick<GanConfig, (typeof LIVE_FIELDS)[number]>>;
