// The solo "spot the fake" round: ten images mixed from the dataset and the current generator,
// the player's verdicts, D's verdicts, and who was right. Pure: the caller brings the images,
// the randomness and D's probabilities.
import { IMAGE_PIXELS } from "@/lib/gan/dataset";

export type Verdict = "real" | "fake";

export interface SoloItem {
  readonly image: Uint8Array;
  readonly truth: Verdict;
}

export interface ItemResult {
  readonly truth: Verdict;
  readonly yours: Verdict | null;
  readonly youCorrect: boolean;
  /** D's probability that the image is real, and its verdict (real from 0.5). */
  readonly dProbability: number;
  readonly dVerdict: Verdict;
  readonly dCorrect: boolean;
}

export interface RoundResult {
  readonly items: readonly ItemResult[];
  readonly youCorrect: number;
  readonly dCorrect: number;
  readonly total: number;
}

export const ROUND_SIZE = 10;

/** How many fakes a round of `size` items gets: between 30 % and 70 %, never all or none. */
export function fakeCount(size: number, random: () => number): number {
  const low = Math.max(1, Math.round(size * 0.3));
  const high = Math.min(size - 1, Math.round(size * 0.7));
  return low + Math.floor(random() * (high - low + 1));
}

/** Shuffles real and fake images (n × 784 bytes each) into one round. */
export function buildRound(
  reals: readonly Uint8Array[],
  fakes: Uint8Array,
  random: () => number,
): SoloItem[] {
  const fakeImages: Uint8Array[] = [];
  for (let i = 0; i + IMAGE_PIXELS <= fakes.length; i += IMAGE_PIXELS) {
    fakeImages.push(fakes.slice(i, i + IMAGE_PIXELS));
  }
  const items: SoloItem[] = [
    ...reals.map((image) => ({ image, truth: "real" as const })),
    ...fakeImages.map((image) => ({ image, truth: "fake" as const })),
  ];
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const verdictOf = (pReal: number): Verdict => (pReal >= 0.5 ? "real" : "fake");

/** Scores the player's verdicts (null = unanswered, counted wrong) and D's against the truth. */
export function scoreRound(
  items: readonly SoloItem[],
  answers: readonly (Verdict | null)[],
  dProbabilities: ArrayLike<number>,
): RoundResult {
  if (answers.length !== items.length || dProbabilities.length !== items.length) {
    throw new Error(
      `expected ${items.length} answers and probabilities, got ${answers.length} and ${dProbabilities.length}`,
    );
  }
  const results = items.map((item, i): ItemResult => {
    const p = dProbabilities[i]!;
    const dVerdict = verdictOf(p);
    const yours = answers[i] ?? null;
    return {
      truth: item.truth,
      yours,
      youCorrect: yours === item.truth,
      dProbability: p,
      dVerdict,
      dCorrect: dVerdict === item.truth,
    };
  });
  return {
    items: results,
    youCorrect: results.filter((r) => r.youCorrect).length,
    dCorrect: results.filter((r) => r.dCorrect).length,
    total: results.length,
  };
}
