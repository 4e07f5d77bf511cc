// Messages between a page and the trainer Web Worker (app/_workers/trainer.worker.ts).
// Requests that expect an answer carry an `id`; the worker answers with a `reply` of the same
// id (or an `error` with it). Everything else the worker sends is an event. Image data travels
// as n × 784 bytes (Uint8Array, transferred, never copied through JSON).
import type { BackendName, BackendReport } from "./backend";
import type { GanConfig, GanConfigOverrides, LiveOverrides, PresetName } from "./config";
import type { CriticTraining } from "./human-labels";
import type { Histograms, TrainingProgress } from "./loop";
import type { Precision } from "./snapshot";
import type { NetName } from "./train";

export interface InitRequest {
  readonly type: "init";
  readonly id: number;
  readonly preset: PresetName;
  readonly overrides?: GanConfigOverrides;
  readonly seed: number;
  /** The compact digit file; null for a generate-only worker (students exploring G). */
  readonly datasetUrl?: string | null;
  /** Start from this snapshot: its config wins over preset and overrides (bar live fields). */
  readonly snapshot?: Uint8Array;
  /** Backends to measure (default: webgl and wasm in browsers). */
  readonly backends?: readonly BackendName[];
  /** Read losses back every N iterations (default 10). */
  readonly readEvery?: number;
  /** Send the fixed-noise sample grid every N iterations (default 25). */
  readonly sampleEvery?: number;
  /** Images in the fixed-noise grid (default 64). */
  readonly sampleCount?: number;
}

/** Requests and the result each one's reply carries. */
export interface TrainerReplies {
  init: ReadyInfo;
  reset: ReadyInfo;
  setConfig: { config: GanConfig };
  addHumanLabels: CriticReport;
  sampleFixed: { images: Uint8Array; count: number; step: number };
  latent: { images: Uint8Array; count: number };
  generate: { images: Uint8Array; count: number; step: number };
  discriminate: { probabilities: Float32Array };
  snapshot: { bytes: Uint8Array; step: number };
  loadSnapshot: { step: number; nets: NetName[] };
}

export type TrainerRequest =
  | InitRequest
  | ({ readonly type: "reset"; readonly id: number } & Partial<
      Pick<InitRequest, "preset" | "overrides" | "seed" | "snapshot">
    >)
  | { readonly type: "play" }
  | { readonly type: "pause" }
  | { readonly type: "stepD" }
  | { readonly type: "stepG" }
  /** Iterations per second; null = as fast as possible; below 1 = slow motion. */
  | { readonly type: "setSpeed"; readonly stepsPerSecond: number | null }
  | { readonly type: "setLambda"; readonly lambda: number }
  | { readonly type: "setConfig"; readonly id: number; readonly overrides: LiveOverrides }
  /** Feed up to `perStep` fakes the class caught to each D step as extra fakes (0 = off). */
  | { readonly type: "setCaughtFakes"; readonly perStep: number }
  | {
      readonly type: "addHumanLabels";
      readonly id: number;
      /** n × 784 bytes. */
      readonly images: Uint8Array;
      /** Fraction of students who said "real", per image. */
      readonly fractions: readonly number[];
      /** Which images were fakes (lets the worker keep the fakes the class caught). */
      readonly fake?: readonly boolean[];
    }
  | { readonly type: "sampleFixed"; readonly id: number }
  /** z: n × latentDim values → n images. */
  | { readonly type: "latent"; readonly id: number; readonly z: Float32Array }
  /** `count` fresh fakes, e.g. for a round. */
  | { readonly type: "generate"; readonly id: number; readonly count: number }
  | { readonly type: "discriminate"; readonly id: number; readonly images: Uint8Array }
  | {
      readonly type: "snapshot";
      readonly id: number;
      readonly nets?: readonly NetName[];
      readonly precision?: Precision;
    }
  | { readonly type: "loadSnapshot"; readonly id: number; readonly bytes: Uint8Array };

export type TrainerRequestType = TrainerRequest["type"];
export type RequestWithReply = Extract<TrainerRequest, { id: number }>;

export interface ReadyInfo {
  readonly backend: BackendName;
  readonly backendReport: BackendReport;
  readonly config: GanConfig;
  readonly architectureId: string;
  readonly step: number;
  /** Training digits available (0 for a generate-only worker). */
  readonly datasetSize: number;
}

/** The result of training H on a round's verdicts. */
export type CriticReport = CriticTraining;

export interface TrainerState {
  readonly paused: boolean;
  readonly stepsPerSecond: number | null;
  readonly lambda: number;
  readonly caughtFakesPerStep: number;
  readonly step: number;
  readonly dSteps: number;
}

export type TrainerEvent =
  | ({ readonly type: "ready" } & ReadyInfo)
  | ({ readonly type: "progress" } & Omit<TrainingProgress, "samples" | "histograms">)
  | {
      readonly type: "samples";
      readonly step: number;
      readonly images: Uint8Array;
      readonly count: number;
    }
  | ({ readonly type: "histograms"; readonly step: number } & Histograms)
  | { readonly type: "weightsChanged"; readonly which: NetName; readonly step: number }
  | ({ readonly type: "state" } & TrainerState);

export type TrainerReply = {
  [K in keyof TrainerReplies]: {
    readonly type: "reply";
    readonly id: number;
    readonly request: K;
    readonly result: TrainerReplies[K];
  };
}[keyof TrainerReplies];

export interface TrainerError {
  readonly type: "error";
  /** The request that failed, if any (a failing training loop has none). */
  readonly id?: number;
  readonly message: string;
  /** e.g. a SnapshotError code. */
  readonly code?: string;
}

export type TrainerMessage = TrainerEvent | TrainerReply | TrainerError;

/** The buffers to transfer with a message (so big byte arrays are moved, not copied). */
export function transferables(message: TrainerRequest | TrainerMessage): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) {
      // Only whole buffers can be transferred; a view into a larger one is copied instead.
      if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.push(v.buffer);
    }
  };
  for (const v of Object.values(message)) add(v);
  if (message.type === "reply") for (const v of Object.values(message.result)) add(v);
  return out;
}

const REQUEST_TYPES: ReadonlySet<string> = new Set<TrainerRequestType>([
  "init",
  "reset",
  "play",
  "pause",
  "stepD",
  "stepG",
  "setSpeed",
  "setLambda",
  "setConfig",
  "setCaughtFakes",
  "addHumanLabels",
  "sampleFixed",
  "latent",
  "generate",
  "discriminate",
  "snapshot",
  "loadSnapshot",
]);

/** Shallow check that a message is a request; handlers validate their fields. */
export function isTrainerRequest(data: unknown): data is TrainerRequest {
  return (
    typeof data === "object" &&
    data !== null &&
    REQUEST_TYPES.has((data as { type?: unknown }).type as string)
  );
}
