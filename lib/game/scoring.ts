// Points for one answer. A player's score is exactly the sum of the points awarded to their
// answers; nothing else adds to it.
import type { Verdict } from "../protocol/schemas";
import { truthVerdict, type ItemId, type ItemState, type PoliceAnswer } from "./state";

export const POINTS = {
  correct: 100,
  /** Awarded in full for an instant answer, falling linearly to 0 at the deadline. */
  maxSpeedBonus: 50,
  /** Per consecutive correct answer beyond the first… */
  streakStep: 10,
  /** …up to this much. */
  maxStreakBonus: 50,
} as const;

export interface AwardedPoints {
  readonly correct: boolean;
  readonly points: number;
  readonly streakAfter: number;
  readonly breakdown: { readonly base: number; readonly speed: number; readonly streak: number };
}

/** Speed bonus from the server-measured latency; 0 at or after the deadline (the grace period). */
export function speedBonus(latencyMs: number, roundMs: number): number {
  if (!(roundMs > 0)) return 0;
  const remaining = Math.min(1, Math.max(0, (roundMs - latencyMs) / roundMs));
  return Math.round(POINTS.maxSpeedBonus * remaining);
}

/** Bonus for the `streak`-th consecutive correct answer (streak counts this one). */
export function streakBonus(streak: number): number {
  return Math.min(POINTS.maxStreakBonus, POINTS.streakStep * Math.max(0, streak - 1));
}

/** A student's answer: correct + speed + streak; a wrong answer scores 0 and resets the streak. */
export function scoreAnswer(a: {
  correct: boolean;
  latencyMs: number;
  roundMs: number;
  streakBefore: number;
}): AwardedPoints {
  return award(a.correct, a.streakBefore, speedBonus(a.latencyMs, a.roundMs));
}

/** D says real iff it gives the image at least even odds of being real. */
export function policeVerdict(dProbability: number): Verdict {
  return dProbability >= 0.5 ? "real" : "fake";
}

/**
 * The police's answer: correct + streak, but no speed bonus. D answers every image in a few
 * milliseconds, so it would always collect the full bonus: the leaderboard would then reward the
 * machine's reflexes rather than its eye for fakes, which is what students compete on.
 */
export function scorePoliceAnswer(a: { correct: boolean; streakBefore: number }): AwardedPoints {
  return award(a.correct, a.streakBefore, 0);
}

/** Base + speed + streak for a correct answer; a wrong one scores 0 and resets the streak. */
function award(correct: boolean, streakBefore: number, speed: number): AwardedPoints {
  if (!correct) {
    return {
      correct: false,
      points: 0,
      streakAfter: 0,
      breakdown: { base: 0, speed: 0, streak: 0 },
    };
  }
  const streakAfter = streakBefore + 1;
  const breakdown = { base: POINTS.correct, speed, streak: streakBonus(streakAfter) };
  return {
    correct: true,
    points: breakdown.base + breakdown.speed + breakdown.streak,
    streakAfter,
    breakdown,
  };
}

/**
 * The police's answers to a round's items, in position order, scored from D's probabilities.
 * An item D did not judge breaks its streak, like a student's missed answer.
 */
export function policeAnswers(items: readonly ItemState[], streakBefore: number) {
  const answers: Record<ItemId, PoliceAnswer> = {};
  let streak = streakBefore;
  let points = 0;
  for (const item of items) {
    if (item.dProbability === null) {
      streak = 0;
      continue;
    }
    const verdict = policeVerdict(item.dProbability);
    const scored = scorePoliceAnswer({
      correct: verdict === truthVerdict(item.kind),
      streakBefore: streak,
    });
    answers[item.id] = { verdict, correct: scored.correct, points: scored.points };
    streak = scored.streakAfter;
    points += scored.points;
  }
  return { answers, streak, points };
}
