// Every setting of a GAN Lab set-up, validated with zod, so the whole set-up can live in the URL
// and a teacher can share or bookmark it.
import { z } from "@/lib/zod";
import { TARGET_KINDS } from "./targets";

export const OPTIMIZERS = ["adam", "sgd", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const ACTIVATIONS = ["relu", "tanh"] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/**
 * nonSaturating: BCE(D(G(z)), 1), the course's G step ("label the fakes real").
 * minimax: the original paper's min log(1 − D(G(z))) = −BCE(D(G(z)), 0), whose gradient
 * vanishes when D is sure the fakes are fake.
 */
export const G_LOSSES = ["nonSaturating", "minimax"] as const;
export type GLoss = (typeof G_LOSSES)[number];

/** Most drawn points kept (the URL stays shareable). */
export const MAX_DRAWN = 300;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const rate = z.coerce.number().gt(0).max(1);
const flag = z.union([z.boolean(), z.enum(["1", "0"]).transform((s) => s === "1")]);

/** One schema per field: a bad field in a URL falls back to its default, not the whole set-up. */
export const FIELD_SCHEMAS = {
  target: z.enum(TARGET_KINDS),
  dStepsPerGStep: int(1, 20),
  dLearningRate: rate,
  gLearningRate: rate,
  optimizer: z.enum(OPTIMIZERS),
  noiseDim: int(1, 8),
  gLayers: int(1, 4),
  gUnits: int(2, 64),
  dLayers: int(1, 4),
  dUnits: int(2, 64),
  activation: z.enum(ACTIVATIONS),
  gLoss: z.enum(G_LOSSES),
  batchSize: int(8, 512),
  seed: int(0, 2 ** 31 - 1),
  slowMotion: flag,
  projector: flag,
  drawn: z
    .array(z.number().min(-1).max(1))
    .max(2 * MAX_DRAWN)
    .refine((a) => a.length % 2 === 0, "expected x, y pairs"),
} as const;

export const labConfigSchema = z.object(FIELD_SCHEMAS);
export type LabConfig = z.infer<typeof labConfigSchema>;
export type LabField = keyof LabConfig;

export const DEFAULT_CONFIG: LabConfig = {
  target: "ring",
  dStepsPerGStep: 1,
  dLearningRate: 0.005,
  gLearningRate: 0.005,
  optimizer: "adam",
  noiseDim: 2,
  gLayers: 2,
  gUnits: 24,
  dLayers: 2,
  dUnits: 24,
  activation: "relu",
  gLoss: "nonSaturating",
  batchSize: 128,
  seed: 1,
  slowMotion: false,
  projector: false,
  drawn: [],
};

/** Fields whose change needs fresh networks; the others apply while training runs. */
export const RESET_FIELDS = [
  "target",
  "noiseDim",
  "gLayers",
  "gUnits",
  "dLayers",
  "dUnits",
  "activation",
  "seed",
  "drawn",
] as const satisfies readonly LabField[];

export function needsReset(a: LabConfig, b: LabConfig): boolean {
  return RESET_FIELDS.some((f) =>
    f === "drawn" ? a.drawn.join() !== b.drawn.join() : a[f] !== b[f],
  );
}

/** Validates a whole config; throws with the first bad field named. */
export function parseConfig(value: unknown): LabConfig {
  const r = labConfigSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`lab config: ${issue.path.join(".")}: ${issue.message}`);
  }
  return r.data;
}
