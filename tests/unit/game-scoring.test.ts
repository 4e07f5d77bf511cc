import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  POINTS,
  policeVerdict,
  scoreAnswer,
  scorePoliceAnswer,
  speedBonus,
  streakBonus,
} from "@/lib/game";

const ROUND_MS = 20_000;

describe("scoring a student's answer", () => {
  it("gives 100 + the full speed bonus for an instant first correct answer", () => {
    const s = scoreAnswer({ correct: true, latencyMs: 0, roundMs: ROUND_MS, streakBefore: 0 });
    expect(s.points).toBe(150);
    expect(s.breakdown).toEqual({ base: 100, speed: 50, streak: 0 });
    expect(s.streakAfter).toBe(1);
  });

  it("gives half the speed bonus at half time and none at or after the deadline", () => {
    expect(speedBonus(10_000, ROUND_MS)).toBe(25);
    expect(speedBonus(ROUND_MS, ROUND_MS)).toBe(0);
    expect(speedBonus(ROUND_MS + 200, ROUND_MS)).toBe(0);
    expect(
      scoreAnswer({ correct: true, latencyMs: 15_000, roundMs: ROUND_MS, streakBefore: 0 }).points,
    ).toBe(113);
  });

  it("adds 10 per consecutive correct answer beyond the first, capped at 50", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(streakBonus)).toEqual([0, 10, 20, 30, 40, 50, 50, 50]);
    const third = scoreAnswer({
      correct: true,
      latencyMs: ROUND_MS,
      roundMs: ROUND_MS,
      streakBefore: 2,
    });
    expect(third.points).toBe(120);
    expect(third.streakAfter).toBe(3);
  });

  it("gives 0 for a wrong answer, however fast, and resets the streak", () => {
    const s = scoreAnswer({ correct: false, latencyMs: 0, roundMs: ROUND_MS, streakBefore: 7 });
    expect(s.points).toBe(0);
    expect(s.streakAfter).toBe(0);
  });

  it("keeps every award within 0…200 and equal to its breakdown", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1_000, max: 120_000 }),
        fc.nat(100),
        (correct, latencyMs, roundMs, streakBefore) => {
          const s = scoreAnswer({ correct, latencyMs, roundMs, streakBefore });
          const b = s.breakdown;
          expect(s.points).toBe(b.base + b.speed + b.streak);
          expect(s.points).toBeGreaterThanOrEqual(0);
          expect(s.points).toBeLessThanOrEqual(
            POINTS.correct + POINTS.maxSpeedBonus + POINTS.maxStreakBonus,
          );
          expect(Number.isInteger(s.points)).toBe(true);
        },
      ),
    );
  });

  it("never rewards a slower correct answer more than a faster one", () => {
    fc.assert(
      fc.property(fc.nat(30_000), fc.nat(30_000), (a, b) => {
        const [fast, slow] = a <= b ? [a, b] : [b, a];
        expect(speedBonus(fast, ROUND_MS)).toBeGreaterThanOrEqual(speedBonus(slow, ROUND_MS));
      }),
    );
  });
});

describe("scoring the police (D)", () => {
  it("says real exactly when D's probability is at least one half", () => {
    expect(policeVerdict(0.5)).toBe("real");
    expect(policeVerdict(0.4999)).toBe("fake");
    expect(policeVerdict(1)).toBe("real");
    expect(policeVerdict(0)).toBe("fake");
  });

  it("earns correct points and streak bonus but never a speed bonus", () => {
    expect(scorePoliceAnswer({ correct: true, streakBefore: 0 }).points).toBe(100);
    expect(scorePoliceAnswer({ correct: true, streakBefore: 3 }).points).toBe(130);
    expect(scorePoliceAnswer({ correct: true, streakBefore: 3 }).breakdown.speed).toBe(0);
    expect(scorePoliceAnswer({ correct: false, streakBefore: 3 })).toMatchObject({
      points: 0,
      streakAfter: 0,
    });
  });
});
