// Loss and divergence curves that stay small however long the lab runs: past `cap` points every
// other point is dropped, and from then on only every `stride`-th new point is kept.

export interface Curves {
  /** G step of each kept point. */
  readonly step: number[];
  readonly dLoss: number[];
  readonly gLoss: number[];
  stride: number;
  /** Points offered since the last one kept. */
  skipped: number;
}

export interface DivergencePoint {
  readonly step: number;
  readonly js: number;
}

export const CURVE_CAP = 1500;

export function emptyCurves(): Curves {
  return { step: [], dLoss: [], gLoss: [], stride: 1, skipped: 0 };
}

export function appendCurves(
  c: Curves,
  step: number,
  dLoss: number,
  gLoss: number,
  cap = CURVE_CAP,
): void {
  c.skipped++;
  if (c.skipped < c.stride) return;
  c.skipped = 0;
  c.step.push(step);
  c.dLoss.push(dLoss);
  c.gLoss.push(gLoss);
  if (c.step.length > cap) {
    for (const a of [c.step, c.dLoss, c.gLoss]) {
      const kept = a.filter((_, i) => i % 2 === 0);
      a.length = 0;
      a.push(...kept);
    }
    c.stride *= 2;
  }
}

/** The same thinning for the divergence curve (one point per evaluation). */
export function appendDivergence(
  d: DivergencePoint[],
  point: DivergencePoint,
  cap = CURVE_CAP,
): DivergencePoint[] {
  const next = [...d, point];
  return next.length > cap ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
}
