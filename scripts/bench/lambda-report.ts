// Figures and tables for bench:lambda: fool rates with bootstrap intervals (lib/game/stats), the
// paired difference between the arms, and which stroke statistics gave the fakes away.
import { bootstrapCI, groupStats, type GroupStats, type Interval } from "@/lib/game/stats";
import { seededRng } from "@/lib/game/random";
import { STROKE_FEATURES, strokeStats, type StrokeFeature } from "@/lib/gan/simulated-class";
import { toItemRecords, type JudgedItem } from "./lambda-arm";

export const ITERATIONS = 2000;

export function pct(x: number): string {
  return `${(x * 100).toFixed(0)} %`;
}

/** "31 % [22–40]" */
export function ci(i: Interval | null): string {
  if (!i) return "–";
  return `${pct(i.estimate)} [${(i.low * 100).toFixed(0)}–${(i.high * 100).toFixed(0)}]`;
}

/** Signed percentage points: "+6 pp [−2, +14]". */
export function ciDiff(i: Interval | null): string {
  if (!i) return "–";
  const pp = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}`;
  return `${pp(i.estimate)} pp [${pp(i.low)}, ${pp(i.high)}]`;
}

export function statsOf(items: readonly JudgedItem[], seed: number): GroupStats {
  return groupStats(toItemRecords(items), { rng: seededRng(seed), iterations: ITERATIONS });
}

/**
 * B − A on the same noise vectors (item i of both arms came from the same z): the mean per-fake
 * difference in "said real", resampled by fake.
 */
export function pairedDiff(
  a: readonly JudgedItem[],
  b: readonly JudgedItem[],
  of: (it: JudgedItem) => number,
  seed: number,
): Interval | null {
  const fa = a.filter((it) => it.fake);
  const fb = b.filter((it) => it.fake);
  if (fa.length !== fb.length)
    throw new Error(`expected paired fakes, got ${fa.length} and ${fb.length}`);
  const diffs = fa.map((it, i) => of(fb[i]!) - of(it));
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return bootstrapCI(diffs, mean, { rng: seededRng(seed), iterations: ITERATIONS });
}

export const classSaidReal = (it: JudgedItem) => it.saidReal / (it.saidReal + it.saidFake);
export const policeSaidReal = (it: JudgedItem) => (it.dProbability >= 0.5 ? 1 : 0);

export function meanOf(items: readonly JudgedItem[], of: (it: JudgedItem) => number): number {
  return items.reduce((s, it) => s + of(it), 0) / Math.max(items.length, 1);
}

/** Real digits' central 95 % range of every statistic (the yardstick for "gave it away"). */
export function realRanges(
  dist: Record<StrokeFeature, Float64Array>,
): Record<StrokeFeature, [number, number]> {
  const q = (a: Float64Array, p: number) => a[Math.round((a.length - 1) * p)]!;
  return Object.fromEntries(
    STROKE_FEATURES.map((f) => [f, [q(dist[f], 0.025), q(dist[f], 0.975)]]),
  ) as Record<StrokeFeature, [number, number]>;
}

/** Share of the fakes outside the real central 95 % range, per statistic. */
export function outsideShares(
  items: readonly JudgedItem[],
  ranges: Record<StrokeFeature, [number, number]>,
): Record<StrokeFeature, number> {
  const fakes = items.filter((it) => it.fake);
  const out = Object.fromEntries(STROKE_FEATURES.map((f) => [f, 0])) as Record<
    StrokeFeature,
    number
  >;
  for (const it of fakes) {
    const s = strokeStats(it.image);
    for (const f of STROKE_FEATURES) if (s[f] < ranges[f][0] || s[f] > ranges[f][1]) out[f]++;
  }
  for (const f of STROKE_FEATURES) out[f] /= Math.max(fakes.length, 1);
  return out;
}

/** Pearson correlation (NaN when either side is constant). */
export function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    cov += (xs[i]! - mx) * (ys[i]! - my);
    vx += (xs[i]! - mx) ** 2;
    vy += (ys[i]! - my) ** 2;
  }
  return cov / Math.sqrt(vx * vy);
}

/** How well H predicts the class on the fakes: correlation of H(x) with the share saying real. */
export function criticTracksClass(items: readonly JudgedItem[]): number {
  const fakes = items.filter((it) => it.fake);
  return correlation(
    fakes.map((it) => it.hScore),
    fakes.map(classSaidReal),
  );
}
