// The "main directions" of a generator's noise space: the unit vectors of z that move its first
// layer most. With W the first dense layer's kernel [latentDim × units] (each column scaled by the
// batch normalisation that follows it), those are the top eigenvectors of W·Wᵀ — moving z along
// them changes the drawing most, so a few sliders cover what matters (the idea behind GANSpace).
// Pure arithmetic; the forge engine reads the weights.

/** Top `k` eigenvectors of a symmetric n×n matrix (row-major), by power iteration with deflation. */
export function topEigenvectors(
  matrix: Float32Array,
  n: number,
  k: number,
  iterations = 60,
  seed = 1,
): Float32Array[] {
  if (matrix.length !== n * n) throw new Error(`expected ${n}×${n} values, got ${matrix.length}`);
  const m = Float64Array.from(matrix);
  const out: Float32Array[] = [];
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  for (let e = 0; e < Math.min(k, n); e++) {
    let v = Float64Array.from({ length: n }, rand);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += m[i * n + j]! * v[j]!;
        w[i] = acc;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    out.push(Float32Array.from(v));
    // Deflate: remove this direction so the next iteration finds the next one.
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) m[i * n + j] = m[i * n + j]! - lambda * v[i]! * v[j]!;
  }
  return out;
}

/** W·Wᵀ for W of shape [rows × cols] (row-major), with column j scaled by `scale[j]`. */
export function gram(
  w: Float32Array,
  rows: number,
  cols: number,
  scale?: Float32Array,
): Float32Array {
  const scaled = new Float32Array(w.length);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) scaled[i * cols + j] = w[i * cols + j]! * (scale?.[j] ?? 1);
  const g = new Float32Array(rows * rows);
  for (let a = 0; a < rows; a++)
    for (let b = a; b < rows; b++) {
      let acc = 0;
      const ra = a * cols;
      const rb = b * cols;
      for (let j = 0; j < cols; j++) acc += scaled[ra + j]! * scaled[rb + j]!;
      g[a * rows + b] = acc;
      g[b * rows + a] = acc;
    }
  return g;
}

/** z = anchor + Σ offsets[k] · directions[k], each value clamped to ±limit. */
export function composeNoise(
  anchor: Float32Array,
  directions: readonly Float32Array[],
  offsets: readonly number[],
  limit: number,
): Float32Array {
  const z = anchor.slice();
  directions.forEach((d, k) => {
    const o = offsets[k] ?? 0;
    if (o !== 0) for (let i = 0; i < z.length; i++) z[i] = z[i]! + o * d[i]!;
  });
  for (let i = 0; i < z.length; i++) z[i] = Math.max(-limit, Math.min(limit, z[i]!));
  return z;
}

/**
 * A point between two favourites. Spherical interpolation keeps |z| where the generator was
 * trained (a straight line's midpoint of two normal draws is unusually short).
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const na = Math.hypot(...a);
  const nb = Math.hypot(...b);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  const cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / (na * nb))) : 1;
  const omega = Math.acos(cos);
  const out = new Float32Array(a.length);
  if (omega < 1e-4) {
    for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
    return out;
  }
  const sa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const sb = Math.sin(t * omega) / Math.sin(omega);
  for (let i = 0; i < a.length; i++) out[i] = sa * a[i]! + sb * b[i]!;
  return out;
}

/** A standard normal vector from `random` (uniform in [0, 1)), Box–Muller. */
export function normalVector(n: number, random: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Zeroes rows `0…skip−1` of a [rows × cols] matrix (row-major): inputs the directions ignore. */
export function withoutLeadingRows(w: Float32Array, cols: number, skip: number): Float32Array {
  const out = w.slice();
  out.fill(0, 0, Math.min(out.length, skip * cols));
  return out;
}
