import { describe, expect, it } from "vitest";
import {
  binomial,
  bootstrapCI,
  extendStatsSeries,
  groupStats,
  humanVerdicts,
  seededRng,
  statsByGeneratorStep,
  type ItemId,
  type ItemRecord,
  type PlayerId,
  type Rng,
  type RoundId,
  type RoundRecord,
  type RoundState,
} from "./game-test-api";
import { image } from "./game-fixtures";

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** A simulated round: each image has its own difficulty (chance a student errs on it). */
function simulatedItems(
  rng: Rng,
  items: number,
  students: number,
  difficulty: () => number,
  dError: number,
): ItemRecord[] {
  return Array.from({ length: items }, (_, i) => {
    const fake = i % 2 === 1;
    const wrong = binomial(rng, students, difficulty());
    const dWrong = rng() < dError;
    return {
      itemId: `i${i}` as ItemId,
      kind: fake ? "fake" : "real",
      dProbability: fake === dWrong ? 0.8 : 0.2, // D says real (0.8) when it errs on a fake or is right on a real
      saidReal: fake ? wrong : students - wrong,
      saidFake: fake ? students - wrong : wrong,
    };
  });
}

describe("bootstrap confidence intervals", () => {
  it("covers the true rate of simulated Bernoulli data at about the stated 95 %", () => {
    const rng = seededRng(2024);
    const truth = 0.3;
    let covered = 0;
    const datasets = 200;
    for (let d = 0; d < datasets; d++) {
      const values = Array.from({ length: 80 }, () => (rng() < truth ? 1 : 0));
      const ci = bootstrapCI(values, mean, { rng, iterations: 1000, level: 0.95 })!;
      if (ci.low <= truth && truth <= ci.high) covered++;
    }
    if (process.env.GAME_STATS_REPORT) console.log({ covered, datasets });
    // 200 datasets: the coverage estimate's standard error is ≈ 1.5 points.
    expect(covered / datasets).toBeGreaterThan(0.9);
    expect(covered / datasets).toBeLessThan(0.99);
  });

  it("gets wider at a lower sample size and narrower at a lower level", () => {
    const rng = seededRng(7);
    const small = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const large = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const w = (v: number[], level: number) => {
      const ci = bootstrapCI(v, mean, { rng, level })!;
      return ci.high - ci.low;
    };
    expect(w(small, 0.95)).toBeGreaterThan(w(large, 0.95));
    expect(w(small, 0.8)).toBeLessThan(w(small, 0.95));
  });

  it("is reproducible with a seeded rng and undefined on no data", () => {
    const v = [1, 0, 0, 1, 1, 0, 1];
    expect(bootstrapCI(v, mean, { rng: seededRng(1) })).toEqual(
      bootstrapCI(v, mean, { rng: seededRng(1) }),
    );
    expect(bootstrapCI([], mean, { rng: seededRng(1) })).toBeNull();
    expect(bootstrapCI([2, 2, 2], mean, { rng: seededRng(1) })).toMatchObject({
      estimate: 2,
      low: 2,
      high: 2,
    });
    expect(() => bootstrapCI(v, mean, { rng: seededRng(1), level: 1.2 })).toThrow(/level/);
  });
});

describe("human vs police statistics", () => {
  it("covers the class's true error rate at about 95 % when images differ in difficulty", () => {
    const rng = seededRng(99);
    const truth = 0.35; // mean of Uniform(0.1, 0.6) difficulties
    const datasets = 200;
    let coveredClass = 0;
    let coveredPolice = 0;
    for (let d = 0; d < datasets; d++) {
      const items = simulatedItems(rng, 24, 20, () => 0.1 + 0.5 * rng(), 0.3);
      const s = groupStats(items, { rng, iterations: 400 });
      if (s.classError!.low <= truth && truth <= s.classError!.high) coveredClass++;
      if (s.policeError!.low <= 0.3 && 0.3 <= s.policeError!.high) coveredPolice++;
    }
    if (process.env.GAME_STATS_REPORT) console.log({ coveredClass, coveredPolice, datasets });
    expect(coveredClass / datasets).toBeGreaterThan(0.9);
    expect(coveredClass / datasets).toBeLessThan(0.995);
    expect(coveredPolice / datasets).toBeGreaterThan(0.88);
    expect(coveredPolice / datasets).toBeLessThan(0.995);
  });

  it("puts a class that guesses at chance: its error interval holds 50 %", () => {
    const rng = seededRng(5);
    const items = simulatedItems(rng, 20, 30, () => 0.5, 0.5);
    const s = groupStats(items, { rng });
    expect(s.classError!.low).toBeLessThan(0.5);
    expect(s.classError!.high).toBeGreaterThan(0.5);
  });

  it("computes error and fool rates from the verdicts", () => {
    const items: ItemRecord[] = [
      { itemId: "a" as ItemId, kind: "real", dProbability: 0.9, saidReal: 3, saidFake: 1 }, // D right
      { itemId: "b" as ItemId, kind: "fake", dProbability: 0.7, saidReal: 2, saidFake: 2 }, // D fooled
      { itemId: "c" as ItemId, kind: "fake", dProbability: 0.1, saidReal: 0, saidFake: 4 }, // D right
      { itemId: "d" as ItemId, kind: "fake", dProbability: null, saidReal: 0, saidFake: 0 }, // nobody judged
    ];
    const s = groupStats(items, { rng: seededRng(1), iterations: 200 });
    expect(s.items).toBe(3);
    expect(s.answers).toBe(12);
    expect(s.classError!.estimate).toBeCloseTo(3 / 12); // 1 + 2 + 0 wrong
    expect(s.classFoolRate!.estimate).toBeCloseTo(2 / 8);
    expect(s.policeError!.estimate).toBeCloseTo(1 / 3);
    expect(s.policeFoolRate!.estimate).toBeCloseTo(1 / 2);
    for (const ci of [s.classError!, s.classFoolRate!, s.policeError!, s.policeFoolRate!]) {
      expect(ci.low).toBeLessThanOrEqual(ci.estimate);
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
      expect(ci.low).toBeGreaterThanOrEqual(0);
      expect(ci.high).toBeLessThanOrEqual(1);
    }
  });

  it("pools rounds played on the same generator step and extends the series one reveal at a time", () => {
    const rng = seededRng(3);
    const round = (i: number, step: number): RoundRecord => ({
      roundId: `r${i}` as RoundId,
      index: i,
      generatorStep: step,
      items: simulatedItems(rng, 10, 12, () => 0.3, 0.2),
    });
    const history = [round(0, 100), round(1, 300), round(2, 100)];
    const bySteps = statsByGeneratorStep(history, { rng, iterations: 200 });
    expect(bySteps.map((s) => [s.generatorStep, s.rounds, s.answers])).toEqual([
      [100, 2, 240],
      [300, 1, 120],
    ]);
    let series = { byRound: [], byStep: [] } as Parameters<typeof extendStatsSeries>[0];
    for (let i = 0; i < history.length; i++) {
      series = extendStatsSeries(series, history.slice(0, i + 1), history[i]!, {
        rng,
        iterations: 200,
      });
    }
    expect(series.byRound.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(series.byStep.map((s) => [s.generatorStep, s.rounds])).toEqual([
      [100, 2],
      [300, 1],
    ]);
  });
});

describe("human verdicts for the critic", () => {
  it("gives each answered image the share of students who said real", () => {
    const item = (id: string, position: number) => ({
      id: id as ItemId,
      position,
      kind: "fake" as const,
      image: image(position),
      dProbability: 0.5,
      datasetIndex: null,
      generatorStep: 1,
    });
    const a = (playerId: string, verdict: "real" | "fake") => ({
      playerId: playerId as PlayerId,
      verdict,
      correct: verdict === "fake",
      latencyMs: 1,
      points: 0,
      at: 0,
    });
    // Seats 0–2 are p1–p3; items are in position order.
    const round: RoundState = {
      id: "r" as RoundId,
      index: 0,
      generatorStep: 1,
      startedAt: 0,
      deadline: 1,
      items: [item("x", 0), item("y", 1), item("z", 2)],
      answers: [[a("p1", "real"), a("p2", "real"), a("p3", "fake")], [a("p1", "fake")], []],
      streaks: [0, 0, 0],
      answerCount: 4,
      revealedAt: 2,
      police: {},
    };
    expect(humanVerdicts(round)).toEqual([
      { itemId: "x", realFraction: 2 / 3, n: 3 },
      { itemId: "y", realFraction: 0, n: 1 },
    ]);
    expect(humanVerdicts(round, (p) => p !== "p3")[0]).toEqual({
      itemId: "x",
      realFraction: 1,
      n: 2,
    });
  });
});

describe("binomial draws used by the bootstrap", () => {
  it("have the binomial mean and variance, for small and large classes", () => {
    const rng = seededRng(11);
    for (const [n, p] of [
      [10, 0.3],
      [25, 0.8],
      [500, 0.35],
      [5000, 0.5],
    ] as const) {
      const draws = Array.from({ length: 4000 }, () => binomial(rng, n, p));
      const m = mean(draws);
      const v = mean(draws.map((x) => (x - m) ** 2));
      expect(draws.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
      expect(Math.abs(m - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / 4000) + 1e-9);
      expect(v / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(v / (n * p * (1 - p))).toBeLessThan(1.1);
    }
    expect(binomial(rng, 7, 0)).toBe(0);
    expect(binomial(rng, 7, 1)).toBe(7);
  });
});
