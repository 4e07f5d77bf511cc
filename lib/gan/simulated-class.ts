// A scripted class for experiments (npm run bench:lambda): students who judge a digit by a few
// stroke statistics and call it fake when one of them falls outside the range they know from
// real digits. Pure: no tensors, no DOM; the randomness is an injected seeded rng.
//
// The rule, per student s and image x:
//   1. measure x's stroke statistics (strokeStats);
//   2. for each statistic s attends to, s's range is the real digits' central interval with a
//      tail of `tail_s` cut on each side (tail_s drawn from opts.tail);
//   3. verdict = "fake" if any attended statistic is outside its range, else "real";
//   4. with probability lapse_s (drawn from opts.lapse) s ignores all that and guesses 50/50.
import { IMAGE_PIXELS, IMAGE_SIDE } from "./dataset";
import { createRng, type Rng } from "./rng";

/** Pixels at or above this byte value count as ink for the mass-of-ink statistics. */
const INK = 32;
/** Pixels at or above this count as the stroke's core (bounding box, connected parts). */
const CORE = 128;
/** Pixels at or above this are fully inked; inked pixels below it are soft edge. */
const SOLID = 192;

export const STROKE_FEATURES = [
  /** Mean pixel value over the whole image, 0…1: how much ink there is. */
  "inkMass",
  /** Mean value of inked pixels, 0…1: faint grey strokes vs solid ones. */
  "inkedMean",
  /** Share of inked pixels that are soft edge (grey), 0…1: blur. */
  "softEdges",
  /** Rows spanned by the stroke core. */
  "height",
  /** Columns spanned by the stroke core. */
  "width",
  /** Distance of the ink's centre of mass from the image centre, pixels. */
  "centreOffset",
  /** Share of the core in its largest 8-connected part, 0…1: specks and broken strokes. */
  "largestPart",
] as const;

export type StrokeFeature = (typeof STROKE_FEATURES)[number];
export type StrokeStats = Readonly<Record<StrokeFeature, number>>;

function assertImage(image: Uint8Array): void {
  if (image.length !== IMAGE_PIXELS) {
    throw new Error(`expected one image of ${IMAGE_PIXELS} bytes, got ${image.length}`);
  }
}

/** The stroke statistics of one 28×28 digit (784 bytes, 0 = background, 255 = ink). */
export function strokeStats(image: Uint8Array): StrokeStats {
  assertImage(image);
  let mass = 0;
  let inked = 0;
  let inkedSum = 0;
  let soft = 0;
  let mx = 0;
  let my = 0;
  let top = IMAGE_SIDE;
  let bottom = -1;
  let left = IMAGE_SIDE;
  let right = -1;
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const v = image[y * IMAGE_SIDE + x]!;
      mass += v;
      mx += v * x;
      my += v * y;
      if (v >= INK) {
        inked++;
        inkedSum += v;
        if (v < SOLID) soft++;
      }
      if (v >= CORE) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  const centre = (IMAGE_SIDE - 1) / 2;
  return {
    inkMass: mass / 255 / IMAGE_PIXELS,
    inkedMean: inked > 0 ? inkedSum / inked / 255 : 0,
    softEdges: inked > 0 ? soft / inked : 0,
    height: bottom >= 0 ? bottom - top + 1 : 0,
    width: right >= 0 ? right - left + 1 : 0,
    centreOffset: mass > 0 ? Math.hypot(mx / mass - centre, my / mass - centre) : IMAGE_SIDE,
    largestPart: largestPartShare(image),
  };
}

/** Share of core pixels in the largest 8-connected component (0 when there is no core). */
function largestPartShare(image: Uint8Array): number {
  const seen = new Uint8Array(IMAGE_PIXELS);
  const stack: number[] = [];
  let total = 0;
  let largest = 0;
  for (let start = 0; start < IMAGE_PIXELS; start++) {
    if (seen[start] || image[start]! < CORE) continue;
    let size = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const px = p % IMAGE_SIDE;
      const py = (p - px) / IMAGE_SIDE;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          const y = py + dy;
          if (x < 0 || y < 0 || x >= IMAGE_SIDE || y >= IMAGE_SIDE) continue;
          const q = y * IMAGE_SIDE + x;
          if (!seen[q] && image[q]! >= CORE) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    total += size;
    largest = Math.max(largest, size);
  }
  return total > 0 ? largest / total : 0;
}

export interface SimulatedStudent {
  /** The statistics this student looks at, each with the range it accepts as real. */
  readonly ranges: Readonly<Partial<Record<StrokeFeature, readonly [number, number]>>>;
  /** Probability of ignoring the rule and guessing 50/50 on an image. */
  readonly lapse: number;
}

export interface SimulatedClass {
  readonly students: readonly SimulatedStudent[];
}

export interface SimulatedClassOptions {
  /** Students in the class (default 30). */
  readonly students?: number;
  readonly seed?: number;
  /** Each student's tail cut from each side of the real range, drawn uniformly (default 0.5–3 %). */
  readonly tail?: readonly [number, number];
  /** Probability that a student attends to each statistic (default 0.6; at least two are kept). */
  readonly attention?: number;
  /** Each student's lapse probability, drawn uniformly (default 2–10 %). */
  readonly lapse?: readonly [number, number];
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function uniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + (hi - lo) * rng.next();
}

/** Sorted values of every statistic over `images` (n × 784 bytes). */
export function featureDistribution(images: Uint8Array): Record<StrokeFeature, Float64Array> {
  if (images.length === 0 || images.length % IMAGE_PIXELS !== 0) {
    throw new Error(`expected a positive multiple of ${IMAGE_PIXELS} bytes, got ${images.length}`);
  }
  const n = images.length / IMAGE_PIXELS;
  const out = Object.fromEntries(STROKE_FEATURES.map((f) => [f, new Float64Array(n)])) as Record<
    StrokeFeature,
    Float64Array
  >;
  for (let i = 0; i < n; i++) {
    const s = strokeStats(images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS));
    for (const f of STROKE_FEATURES) out[f][i] = s[f];
  }
  for (const f of STROKE_FEATURES) out[f].sort();
  return out;
}

/** A class whose students learned their ranges from `realImages` (n × 784 bytes of real digits). */
export function calibrateClass(
  realImages: Uint8Array,
  opts: SimulatedClassOptions = {},
): SimulatedClass {
  const count = opts.students ?? 30;
  const tail = opts.tail ?? [0.005, 0.03];
  const lapse = opts.lapse ?? [0.02, 0.1];
  const attention = opts.attention ?? 0.6;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`students: expected a positive integer, got ${count}`);
  }
  if (!(tail[0] >= 0 && tail[0] <= tail[1] && tail[1] < 0.5)) {
    throw new RangeError(`tail: expected 0 ≤ low ≤ high < 0.5, got [${tail.join(", ")}]`);
  }
  if (!(lapse[0] >= 0 && lapse[0] <= lapse[1] && lapse[1] <= 1)) {
    throw new RangeError(`lapse: expected 0 ≤ low ≤ high ≤ 1, got [${lapse.join(", ")}]`);
  }
  if (!(attention >= 0 && attention <= 1)) {
    throw new RangeError(`attention: expected 0…1, got ${attention}`);
  }
  const dist = featureDistribution(realImages);
  const rng = createRng(opts.seed ?? 0);
  const students: SimulatedStudent[] = [];
  for (let s = 0; s < count; s++) {
    let attended = STROKE_FEATURES.filter(() => rng.next() < attention);
    // Everyone looks at something: top up to two statistics drawn at random.
    while (attended.length < 2) {
      const f = STROKE_FEATURES[rng.nextInt(STROKE_FEATURES.length)]!;
      if (!attended.includes(f)) attended = [...attended, f];
    }
    const t = uniform(rng, tail);
    const ranges = Object.fromEntries(
      attended.map((f) => [f, [quantile(dist[f], t), quantile(dist[f], 1 - t)] as const]),
    );
    students.push({ ranges, lapse: uniform(rng, lapse) });
  }
  return { students };
}

export type Verdict = "real" | "fake";

/** One student's verdict on an image whose statistics are `stats`. */
export function studentVerdict(student: SimulatedStudent, stats: StrokeStats, rng: Rng): Verdict {
  if (rng.next() < student.lapse) return rng.next() < 0.5 ? "real" : "fake";
  for (const [f, range] of Object.entries(student.ranges) as [StrokeFeature, [number, number]][]) {
    const v = stats[f];
    if (v < range[0] || v > range[1]) return "fake";
  }
  return "real";
}

export interface ClassVerdict {
  readonly saidReal: number;
  readonly saidFake: number;
}

/** Every student judges every image (n × 784 bytes); returns the tally per image. */
export function judgeImages(cls: SimulatedClass, images: Uint8Array, rng: Rng): ClassVerdict[] {
  if (images.length === 0 || images.length % IMAGE_PIXELS !== 0) {
    throw new Error(`expected a positive multiple of ${IMAGE_PIXELS} bytes, got ${images.length}`);
  }
  const out: ClassVerdict[] = [];
  for (let i = 0; i < images.length / IMAGE_PIXELS; i++) {
    const stats = strokeStats(images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS));
    let saidReal = 0;
    for (const student of cls.students)
      if (studentVerdict(student, stats, rng) === "real") saidReal++;
    out.push({ saidReal, saidFake: cls.students.length - saidReal });
  }
  return out;
}

/** Share of the class that said "real", per image: the human critic's training target. */
export function realFractions(verdicts: readonly ClassVerdict[]): number[] {
  return verdicts.map((v) => v.saidReal / (v.saidReal + v.saidFake));
}
