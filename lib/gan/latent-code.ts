// G's categorical code in plain numbers (the tensor version is `codeOf` in ./train): which of K
// categories a noise vector names, and how to make it name another. With the auxiliary
// classifier the category is the digit G draws, so pages can let a person choose it.
import type { GanConfig } from "./config";

/** K when G reads z's first K entries as a choice (0: no code). */
export function codeCategories(cfg: Pick<GanConfig, "latentCategories">): number {
  return cfg.latentCategories ?? 0;
}

/** True when the code names the digit (the auxiliary classifier taught G so). */
export function codeNamesDigit(
  cfg: Pick<GanConfig, "latentCategories" | "auxClassWeight" | "numClasses">,
): boolean {
  return (cfg.auxClassWeight ?? 0) > 0 && cfg.latentCategories === cfg.numClasses;
}

/** The category G's code reads from z: argmax of its first `categories` entries. */
export function codeOfNoise(z: ArrayLike<number>, categories: number): number {
  let best = 0;
  for (let i = 1; i < categories; i++) if (z[i]! > z[best]!) best = i;
  return best;
}

/**
 * z with its code set to `category`: that entry becomes the largest of the first `categories`
 * (by a clear margin, within ±limit); every other value stays, so the drawing keeps its style.
 */
export function withCode(
  z: Float32Array,
  category: number,
  categories: number,
  limit: number,
): Float32Array {
  if (!Number.isInteger(category) || category < 0 || category >= categories) {
    throw new RangeError(`category: expected an integer in 0…${categories - 1}, got ${category}`);
  }
  const out = z.slice();
  const margin = 0.5;
  const cap = limit - margin;
  for (let i = 0; i < categories; i++) if (i !== category) out[i] = Math.min(out[i]!, cap);
  let others = -Infinity;
  for (let i = 0; i < categories; i++) if (i !== category) others = Math.max(others, out[i]!);
  out[category] = Math.max(out[category]!, Math.min(limit, others + margin));
  return out;
}
