// Bounded histories of the training run for the charts: when full, every other point is dropped,
// so a long run keeps its whole shape at half the resolution.

export interface Series {
  readonly step: number[];
  readonly dLoss: number[];
  readonly gLoss: number[];
  readonly dReal: number[];
  readonly dFake: number[];
  readonly gGradNorm: number[];
}

export interface HistogramFrame {
  readonly step: number;
  readonly real: readonly number[];
  readonly fake: readonly number[];
}

export const MAX_POINTS = 800;
export const MAX_FRAMES = 240;

export const emptySeries = (): Series => ({
  step: [],
  dLoss: [],
  gLoss: [],
  dReal: [],
  dFake: [],
  gGradNorm: [],
});

export interface Point {
  step: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  gGradNorm: number;
}

/** Appends a point (a new object, for React); a point at an earlier step replaces the tail. */
export function appendPoint(s: Series, p: Point): Series {
  const keys = Object.keys(s) as (keyof Series)[];
  let cut = s.step.length;
  while (cut > 0 && s.step[cut - 1]! >= p.step) cut--;
  const next = Object.fromEntries(keys.map((k) => [k, [...s[k].slice(0, cut), p[k]]])) as unknown;
  const out = next as Series;
  if (out.step.length <= MAX_POINTS) return out;
  return Object.fromEntries(
    keys.map((k) => [k, out[k].filter((_, i) => i % 2 === 0 || i === out.step.length - 1)]),
  ) as unknown as Series;
}

export function appendFrame(frames: readonly HistogramFrame[], f: HistogramFrame) {
  const kept = frames.filter((x) => x.step < f.step);
  kept.push(f);
  if (kept.length <= MAX_FRAMES) return kept;
  return kept.filter((_, i) => i % 2 === 0 || i === kept.length - 1);
}

/** Mean of the last `n` finite values (NaN when there are none). */
export function recentMean(values: readonly number[], n: number): number {
  const tail = values.slice(-n).filter(Number.isFinite);
  return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN;
}
