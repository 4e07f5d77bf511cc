// The lab's set-up as URL query parameters: short names, every field written (a bookmark keeps
// its meaning if defaults change), drawn points packed two characters per point.
import { DEFAULT_CONFIG, FIELD_SCHEMAS, type LabConfig, type LabField, MAX_DRAWN } from "./config";
import { isPresetName, type LabPresetName } from "./presets";

const PARAM: Record<Exclude<LabField, "drawn">, string> = {
  target: "target",
  dStepsPerGStep: "k",
  dLearningRate: "dlr",
  gLearningRate: "glr",
  optimizer: "opt",
  noiseDim: "noise",
  gLayers: "gl",
  gUnits: "gu",
  dLayers: "dl",
  dUnits: "du",
  activation: "act",
  gLoss: "gloss",
  batchSize: "batch",
  seed: "seed",
  slowMotion: "slow",
  projector: "proj",
};
const DRAWN_PARAM = "pts";
const PRESET_PARAM = "preset";

// 64 levels per axis over [-1, 1] (a step of ~0.03, the size of the drawing jitter).
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LEVELS = ALPHABET.length;

const toLevel = (v: number) => Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * (LEVELS - 1));
const fromLevel = (l: number) => (l / (LEVELS - 1)) * 2 - 1;

/** Drawn points as text, two URL-safe characters per point. */
export function encodePoints(points: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i + 1 < points.length && i < 2 * MAX_DRAWN; i += 2) {
    s += ALPHABET[toLevel(points[i]!)]! + ALPHABET[toLevel(points[i + 1]!)]!;
  }
  return s;
}

/** Inverse of encodePoints (to the 64-level grid); characters outside the alphabet are dropped. */
export function decodePoints(text: string): number[] {
  const levels = [...text].map((c) => ALPHABET.indexOf(c)).filter((l) => l >= 0);
  const out: number[] = [];
  for (let i = 0; i + 1 < levels.length && out.length < 2 * MAX_DRAWN; i += 2) {
    out.push(fromLevel(levels[i]!), fromLevel(levels[i + 1]!));
  }
  return out;
}

/** Snaps points to what the URL can hold, so the running set-up equals the shared one. */
export function quantizePoints(points: ArrayLike<number>): number[] {
  return decodePoints(encodePoints(points));
}

export interface LabUrlState {
  readonly config: LabConfig;
  /** The preset whose explanation is shown, while the set-up is still that preset's. */
  readonly preset: LabPresetName | null;
}

export function encodeLabUrl(state: LabUrlState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.preset) p.set(PRESET_PARAM, state.preset);
  for (const [field, name] of Object.entries(PARAM) as [keyof typeof PARAM, string][]) {
    const v = state.config[field];
    p.set(name, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  if (state.config.target === "custom") p.set(DRAWN_PARAM, encodePoints(state.config.drawn));
  return p;
}

/** Reads a set-up from query parameters; missing or invalid fields take their defaults. */
export function decodeLabUrl(params: URLSearchParams): LabUrlState {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [field, name] of Object.entries(PARAM) as [keyof typeof PARAM, string][]) {
    const raw = params.get(name);
    if (raw === null) continue;
    const r = FIELD_SCHEMAS[field].safeParse(raw);
    if (r.success) config[field] = r.data;
  }
  const pts = params.get(DRAWN_PARAM);
  if (pts) config["drawn"] = decodePoints(pts);
  const preset = params.get(PRESET_PARAM);
  return {
    config: config as LabConfig,
    preset: preset && isPresetName(preset) ? preset : null,
  };
}
