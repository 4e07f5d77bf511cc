// Prepares a round's items: real digits from the bundled dataset and the generator's latest fakes,
// each judged by the police (D) on the server. The reducer shuffles and hides them.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { decodeDigitsGzip, digitPixels, IMAGE_PIXELS, type Digits } from "../../lib/gan/dataset";
import type { PreparedItem } from "../../lib/game/events";
import { forgerySlots } from "../../lib/game/forge-rules";

/** Judges images with the room's latest discriminator; null when the room has none yet. */
export interface Police {
  judge(roomId: string, images: Uint8Array[]): Promise<number[] | null>;
}

export interface FakePool {
  step: number;
  /** n × 784 bytes, newest upload. */
  images: Uint8Array;
}

let digitsPromise: Promise<Digits> | null = null;

/** The dataset, decoded once per process. */
export function loadDigits(root = process.cwd()): Promise<Digits> {
  digitsPromise ??= readFile(path.join(root, "public", "data", "mnist.bin.gz")).then((gz) =>
    decodeDigitsGzip(new Uint8Array(gz)),
  );
  return digitsPromise;
}

function pickDistinct(count: number, total: number, rng: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, total)) chosen.add(Math.floor(rng() * total));
  return [...chosen];
}

/** A student's forgery offered to a round (already drawn by the server from its noise vector). */
export interface ForgeryCandidate {
  id: string;
  step: number;
  image: Uint8Array;
}

/**
 * Half real, half fake (the odd one random), so guessing one answer for all scores 50 %. Up to
 * `forgerySlots` of the fakes are students' forgeries (oldest first); the rest are the machine's.
 */
export async function prepareItems(opts: {
  roomId: string;
  size: number;
  fakes: FakePool;
  police: Police;
  rng: () => number;
  forgeries?: readonly ForgeryCandidate[];
}): Promise<{ items: PreparedItem[]; generatorStep: number }> {
  const { size, fakes, rng } = opts;
  const digits = await loadDigits();
  const fakeCount = Math.floor(size / 2) + (size % 2 === 1 && rng() < 0.5 ? 1 : 0);
  const realCount = size - fakeCount;
  const available = fakes.images.byteLength / IMAGE_PIXELS;
  const forged = (opts.forgeries ?? []).slice(0, forgerySlots(fakeCount));
  const machineCount = fakeCount - forged.length;

  const realIdx = pickDistinct(realCount, digits.count, rng);
  const fakeIdx = pickDistinct(machineCount, available, rng);
  // Fewer uploaded fakes than needed (a tiny upload): reuse some, never mix in real digits.
  while (fakeIdx.length < machineCount) fakeIdx.push(Math.floor(rng() * available));

  const reals = realIdx.map((i) => ({ image: digitPixels(digits, i).slice(), datasetIndex: i }));
  const fakeImages = fakeIdx.map((i) =>
    fakes.images.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
  );
  const images = [...reals.map((r) => r.image), ...fakeImages, ...forged.map((f) => f.image)];
  const probabilities = await opts.police.judge(opts.roomId, images);

  const items: PreparedItem[] = [
    ...reals.map((r, i) => ({
      kind: "real" as const,
      image: r.image,
      dProbability: probabilities?.[i] ?? null,
      datasetIndex: r.datasetIndex,
      generatorStep: null,
    })),
    ...fakeImages.map((image, i) => ({
      kind: "fake" as const,
      image,
      dProbability: probabilities?.[reals.length + i] ?? null,
      datasetIndex: null,
      generatorStep: fakes.step,
    })),
    ...forged.map((f, i) => ({
      kind: "fake" as const,
      image: f.image.slice(),
      dProbability: probabilities?.[reals.length + fakeImages.length + i] ?? null,
      datasetIndex: null,
      generatorStep: f.step,
      forgeryId: f.id,
    })),
  ];
  return { items, generatorStep: fakes.step };
}
