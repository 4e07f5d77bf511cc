// What the page sees of the lab engine: a snapshot replaced a few times a second.
import type { DivergencePoint } from "@/lib/lab/history";
import type { LabDStats } from "@/lib/lab/train";

export type LabBackend = "cpu" | "webgl";
export type StepKind = "D" | "G";

export interface LabSnapshot {
  readonly status: "loading" | "ready" | "needsDrawing" | "error";
  readonly error: string | null;
  readonly backend: LabBackend | null;
  readonly playing: boolean;
  readonly dSteps: number;
  readonly gSteps: number;
  readonly lastAction: StepKind | null;
  readonly d: LabDStats | null;
  readonly gLoss: number | null;
  readonly js: number | null;
  readonly floor: number | null;
  /** Mean length of −∂L_G/∂x over the shown generated points. */
  readonly meanPull: number | null;
  readonly fps: number;
  readonly stepsPerSecond: number;
  /** Mean milliseconds per frame spent training, computing the picture, and drawing it. */
  readonly timing: { train: number; view: number; draw: number };
  readonly curves: { step: number[]; dLoss: number[]; gLoss: number[] };
  readonly divergence: DivergencePoint[];
  /** Fingerprints of the drawn decision map and generated points (tests read them). */
  readonly mapHash: string;
  readonly pointsHash: string;
  /** Points painted so far in draw mode (null outside it). */
  readonly drawnCount: number | null;
}

export const EMPTY_SNAPSHOT: LabSnapshot = {
  status: "loading",
  error: null,
  backend: null,
  playing: false,
  dSteps: 0,
  gSteps: 0,
  lastAction: null,
  d: null,
  gLoss: null,
  js: null,
  floor: null,
  meanPull: null,
  fps: 0,
  stepsPerSecond: 0,
  timing: { train: 0, view: 0, draw: 0 },
  curves: { step: [], dLoss: [], gLoss: [] },
  divergence: [],
  mapHash: "",
  pointsHash: "",
  drawnCount: null,
};

/** FNV-1a over the float bits: equal arrays, equal strings. */
export function fingerprint(a: Float32Array): string {
  const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
