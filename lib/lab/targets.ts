// The real distributions of the GAN Lab: 2-D point clouds on the plane [-1, 1]², drawn from a
// seeded rng so a set-up is repeatable. Points are interleaved [x0, y0, x1, y1, …].
import type { Rng } from "@/lib/gan/rng";

export const TARGET_KINDS = [
  "ring",
  "moons",
  "gaussians",
  "spiral",
  "line",
  "gaussian",
  "custom",
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TARGET_LABELS: Record<TargetKind, string> = {
  ring: "Ring",
  moons: "Two moons",
  gaussians: "8 Gaussians",
  spiral: "Spiral",
  line: "Line",
  gaussian: "One Gaussian",
  custom: "Draw your own",
};

/** The visible plane: every target fits inside it, and the divergence histogram covers it. */
export const PLANE = { min: -1, max: 1 } as const;

/** Centres and spread of the mixture: 8 modes on a circle, far apart relative to their width. */
export const MIXTURE = { modes: 8, radius: 0.65, sigma: 0.05 } as const;
export const SINGLE_GAUSSIAN = { x: 0.35, y: 0.25, sigma: 0.12 } as const;
/** Jitter around each drawn point, so a handful of clicks still makes a distribution. */
export const CUSTOM_JITTER = 0.03;

export type Points = Float32Array;

function gaussianPair(rng: Rng): [number, number] {
  const u = 1 - rng.next();
  const v = rng.next();
  const r = Math.sqrt(-2 * Math.log(u));
  return [r * Math.cos(2 * Math.PI * v), r * Math.sin(2 * Math.PI * v)];
}

type PointFn = (rng: Rng) => [number, number];

const SAMPLERS: Record<Exclude<TargetKind, "custom">, PointFn> = {
  ring: (rng) => {
    const t = 2 * Math.PI * rng.next();
    const [e] = gaussianPair(rng);
    const r = 0.6 + 0.03 * e;
    return [r * Math.cos(t), r * Math.sin(t)];
  },
  // scikit-learn's two moons, centred and scaled into the plane.
  moons: (rng) => {
    const t = Math.PI * rng.next();
    const upper = rng.next() < 0.5;
    const [ex, ey] = gaussianPair(rng);
    const x = upper ? Math.cos(t) : 1 - Math.cos(t);
    const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    return [(x - 0.5) * 0.55 + 0.03 * ex, (y - 0.25) * 0.55 + 0.03 * ey];
  },
  gaussians: (rng) => {
    const m = rng.nextInt(MIXTURE.modes);
    const a = (2 * Math.PI * m) / MIXTURE.modes;
    const [ex, ey] = gaussianPair(rng);
    return [
      MIXTURE.radius * Math.cos(a) + MIXTURE.sigma * ex,
      MIXTURE.radius * Math.sin(a) + MIXTURE.sigma * ey,
    ];
  },
  // One arm, 1.5 turns: uniform along the arm's parameter.
  spiral: (rng) => {
    const t = 0.15 + 0.85 * rng.next();
    const a = 3 * Math.PI * t;
    const [ex, ey] = gaussianPair(rng);
    return [0.8 * t * Math.cos(a) + 0.02 * ex, 0.8 * t * Math.sin(a) + 0.02 * ey];
  },
  line: (rng) => {
    const t = rng.next() * 2 - 1;
    const [e] = gaussianPair(rng);
    // Along (0.7, 0.5) with a little spread across it.
    return [0.7 * t - 0.5 * 0.02 * e, 0.5 * t + 0.7 * 0.02 * e];
  },
  gaussian: (rng) => {
    const [ex, ey] = gaussianPair(rng);
    const s = SINGLE_GAUSSIAN;
    return [s.x + s.sigma * ex, s.y + s.sigma * ey];
  },
};

/** n points of the target; `custom` needs the drawn points (at least one). */
export function sampleTarget(
  kind: TargetKind,
  n: number,
  rng: Rng,
  drawn: ArrayLike<number> = [],
): Points {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n: expected an integer ≥ 0, got ${n}`);
  const out = new Float32Array(2 * n);
  if (kind === "custom") {
    const count = Math.floor(drawn.length / 2);
    if (count === 0) throw new Error("custom target: expected at least one drawn point, got none");
    for (let i = 0; i < n; i++) {
      const j = rng.nextInt(count);
      const [ex, ey] = gaussianPair(rng);
      out[2 * i] = drawn[2 * j]! + CUSTOM_JITTER * ex;
      out[2 * i + 1] = drawn[2 * j + 1]! + CUSTOM_JITTER * ey;
    }
    return out;
  }
  const fn = SAMPLERS[kind];
  for (let i = 0; i < n; i++) {
    const [x, y] = fn(rng);
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/** Standard-normal noise, n × dim, as plain numbers (the generator's input). */
export function sampleNoise(n: number, dim: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i += 2) {
    const [a, b] = gaussianPair(rng);
    out[i] = a;
    if (i + 1 < out.length) out[i + 1] = b;
  }
  return out;
}
