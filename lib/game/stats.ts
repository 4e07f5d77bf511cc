// Who is the better police? Error and fool rates of the class and of D on the same images, with
// percentile-bootstrap 95 % intervals. 50 % error is chance: the fakes are indistinguishable.
import { randomInt, type Rng } from "./random";
import {
  ItemKind,
  answersTo,
  type ItemId,
  type ItemRecord,
  type RoundId,
  type RoundRecord,
  type RoundState,
} from "./state";

export interface Interval {
  /** The statistic on the observed data. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

export interface BootstrapOptions {
  readonly rng: Rng;
  /** Resamples; 1,000 gives stable 95 % limits for the sizes here. */
  readonly iterations?: number;
  /** Coverage, e.g. 0.95. */
  readonly level?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/**
 * Percentile bootstrap: resample `values` with replacement, apply `stat`, take the central
 * `level` share of the results. Resamples where `stat` is undefined (NaN) are skipped. Returns
 * null when the statistic is undefined on the data itself.
 */
export function bootstrapCI<T>(
  values: readonly T[],
  stat: (sample: readonly T[]) => number,
  opts: BootstrapOptions,
): Interval | null {
  const iterations = opts.iterations ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`expected 0 < level < 1, got ${level}`);
  if (!(iterations >= 1)) throw new RangeError(`expected iterations ≥ 1, got ${iterations}`);
  if (values.length === 0) return null;
  const estimate = stat(values);
  if (Number.isNaN(estimate)) return null;
  const results: number[] = [];
  const sample = new Array<T>(values.length);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < values.length; j++) sample[j] = values[randomInt(opts.rng, values.length)]!;
    const s = stat(sample);
    if (!Number.isNaN(s)) results.push(s);
  }
  if (results.length === 0) return { estimate, low: estimate, high: estimate, level };
  results.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { estimate, low: quantile(results, tail), high: quantile(results, 1 - tail), level };
}

/** Standard normal draw (Box–Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * Binomial(n, p) with one uniform draw, by inverting the CDF (≈ n·p steps); for a large class,
 * where the normal approximation is already accurate (variance ≥ 25), a rounded, clamped one.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5; // walk from the nearer end
  const q = flip ? 1 - p : p;
  let prob = Math.pow(1 - q, n);
  const variance = n * q * (1 - q);
  if (prob > 0 && variance < 25) {
    const u = rng();
    let k = 0;
    let cdf = prob;
    const ratio = q / (1 - q);
    while (u > cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * ratio;
      k++;
      cdf += prob;
    }
    return flip ? n - k : k;
  }
  const k = Math.round(n * q + Math.sqrt(variance) * gaussian(rng));
  const clamped = Math.min(n, Math.max(0, k));
  return flip ? n - clamped : clamped;
}

/** Per item: how many judged it and how many of them got it wrong / called it real. */
interface Tally {
  readonly fake: boolean;
  readonly n: number;
  readonly wrong: number;
  readonly saidReal: number;
}

function classTallies(items: readonly ItemRecord[]): Tally[] {
  return items
    .filter((i) => i.saidReal + i.saidFake > 0)
    .map((i) => {
      const fake = i.kind === ItemKind.Fake;
      return {
        fake,
        n: i.saidReal + i.saidFake,
        wrong: fake ? i.saidReal : i.saidFake,
        saidReal: i.saidReal,
      };
    });
}

function policeTallies(items: readonly ItemRecord[]): Tally[] {
  return items
    .filter((i) => i.dProbability !== null)
    .map((i) => {
      const fake = i.kind === ItemKind.Fake;
      const saidReal = i.dProbability! >= 0.5 ? 1 : 0;
      return { fake, n: 1, wrong: fake ? saidReal : 1 - saidReal, saidReal };
    });
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : NaN);

/** Share of wrong answers, pooled over the given items. */
function errorRate(tallies: readonly Tally[]): number {
  let wrong = 0;
  let n = 0;
  for (const t of tallies) {
    wrong += t.wrong;
    n += t.n;
  }
  return ratio(wrong, n);
}

/** Share of answers on fakes that said real. */
function foolRate(tallies: readonly Tally[]): number {
  let real = 0;
  let n = 0;
  for (const t of tallies) {
    if (!t.fake) continue;
    real += t.saidReal;
    n += t.n;
  }
  return ratio(real, n);
}

/**
 * Two-stage resampling for the class: images are resampled (the main source of variation: some
 * fakes are easy, some are not), then each resampled image's answers are redrawn from its own
 * observed rate (binomially). Students are not resampled as units, so the correlation between one
 * student's answers is ignored; with ~10 images a round the image stage dominates anyway.
 */
function withinItemResample(rng: Rng, stat: (t: readonly Tally[]) => number) {
  return (sample: readonly Tally[]) =>
    stat(
      sample.map((t) => {
        const wrong = binomial(rng, t.n, t.wrong / t.n);
        const saidReal = t.fake ? wrong : t.n - wrong;
        return { ...t, wrong, saidReal };
      }),
    );
}

export interface GroupStats {
  /** Images the class answered / D judged. */
  readonly items: number;
  readonly answers: number;
  readonly classError: Interval | null;
  readonly policeError: Interval | null;
  readonly classFoolRate: Interval | null;
  readonly policeFoolRate: Interval | null;
}

export interface RoundStats extends GroupStats {
  readonly roundId: RoundId;
  readonly index: number;
  readonly generatorStep: number;
}

export interface StepStats extends GroupStats {
  readonly generatorStep: number;
  readonly rounds: number;
}

export interface StatsSeries {
  readonly byRound: readonly RoundStats[];
  readonly byStep: readonly StepStats[];
}

export function groupStats(items: readonly ItemRecord[], opts: BootstrapOptions): GroupStats {
  const cls = classTallies(items);
  const pol = policeTallies(items);
  const point = (t: readonly Tally[], f: (t: readonly Tally[]) => number) => f(t);
  // The observed estimate must be the plain rate: only resamples redraw answers within images.
  const classCI = (f: (t: readonly Tally[]) => number) => {
    const ci = bootstrapCI(cls, withinItemResample(opts.rng, f), opts);
    return ci && { ...ci, estimate: point(cls, f) };
  };
  return {
    items: cls.length,
    answers: cls.reduce((s, t) => s + t.n, 0),
    classError: classCI(errorRate),
    policeError: bootstrapCI(pol, errorRate, opts),
    classFoolRate: classCI(foolRate),
    policeFoolRate: bootstrapCI(pol, foolRate, opts),
  };
}

export function roundStats(record: RoundRecord, opts: BootstrapOptions): RoundStats {
  return {
    roundId: record.roundId,
    index: record.index,
    generatorStep: record.generatorStep,
    ...groupStats(record.items, opts),
  };
}

/** Rounds played on the same generator snapshot are pooled. Sorted by step. */
export function statsByGeneratorStep(
  history: readonly RoundRecord[],
  opts: BootstrapOptions,
): StepStats[] {
  const groups = new Map<number, RoundRecord[]>();
  for (const r of history) groups.set(r.generatorStep, [...(groups.get(r.generatorStep) ?? []), r]);
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([generatorStep, rounds]) => ({
      generatorStep,
      rounds: rounds.length,
      ...groupStats(
        rounds.flatMap((r) => r.items),
        opts,
      ),
    }));
}

export function statsSeries(history: readonly RoundRecord[], opts: BootstrapOptions): StatsSeries {
  return {
    byRound: history.map((r) => roundStats(r, opts)),
    byStep: statsByGeneratorStep(history, opts),
  };
}

/**
 * The series after `record` (already the last entry of `history`) was revealed: only the new
 * round and its generator step are computed, so a reveal costs the same in round 1 and round 50.
 */
export function extendStatsSeries(
  series: StatsSeries,
  history: readonly RoundRecord[],
  record: RoundRecord,
  opts: BootstrapOptions,
): StatsSeries {
  const step = record.generatorStep;
  const [updated] = statsByGeneratorStep(
    history.filter((r) => r.generatorStep === step),
    opts,
  );
  const byStep = series.byStep.filter((s) => s.generatorStep !== step);
  if (updated) byStep.push(updated);
  byStep.sort((a, b) => a.generatorStep - b.generatorStep);
  return { byRound: [...series.byRound, roundStats(record, opts)], byStep };
}

export interface HumanVerdict {
  readonly itemId: ItemId;
  /** Share of the students who answered that said real. */
  readonly realFraction: number;
  readonly n: number;
}

/**
 * The class's verdict per image, the human critic's training target. Images nobody answered are
 * left out. `counts` filters players (e.g. drop kicked ones); all count by default.
 */
export function humanVerdicts(
  round: RoundState,
  counts: (playerId: string) => boolean = () => true,
): HumanVerdict[] {
  const out: HumanVerdict[] = [];
  for (const item of round.items) {
    let real = 0;
    let n = 0;
    for (const a of answersTo(round, item.position)) {
      if (!counts(a.playerId)) continue;
      n++;
      if (a.verdict === "real") real++;
    }
    if (n > 0) out.push({ itemId: item.id, realFraction: real / n, n });
  }
  return out;
}
