import { beforeAll, describe, expect, it } from "vitest";
import { HumanLabels } from "@/lib/gan/human-labels";
import { tensorToBytes } from "@/lib/gan/images";
import { createRng } from "@/lib/gan/rng";
import { useCpuBackend } from "./gan-test-utils";

/** n images, image i filled with the value 10·i. */
function images(n: number): Uint8Array {
  const out = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) out.fill(10 * i, i * 784, (i + 1) * 784);
  return out;
}

describe("human labels for the critic", () => {
  beforeAll(useCpuBackend);

  it("keeps as caught only the fakes most of the class called fake", async () => {
    const labels = new HumanLabels();
    labels.add(images(4), [0.2, 0.7, 0.1, 0.4], [true, true, false, true]);
    expect(labels.size).toBe(4);
    expect(labels.caughtCount).toBe(2);
    const batch = labels.caughtBatch(8, createRng(1))!;
    expect(batch.shape).toEqual([2, 28, 28, 1]);
    const bytes = await tensorToBytes(batch);
    for (let i = 0; i < 2; i++) expect([0, 30]).toContain(bytes[i * 784]);
    batch.dispose();
    expect(new HumanLabels().caughtBatch(4, createRng(1))).toBeUndefined();
  });

  it("forgets the oldest labels beyond its capacity", () => {
    const labels = new HumanLabels({ maxLabelled: 3, maxCaught: 1 });
    labels.add(images(5), [0, 0, 0, 0, 0], [true, true, true, true, true]);
    expect([labels.size, labels.caughtCount]).toEqual([3, 1]);
  });

  it("rejects mismatched or out-of-range input", () => {
    const labels = new HumanLabels();
    expect(() => labels.add(images(2), [0.5])).toThrow(/expected 1 images of 784 bytes/);
    expect(() => labels.add(images(1), [1.5])).toThrow(/fractions\[0\]: expected 0…1/);
    expect(() => labels.add(images(2), [0.5, 0.5], [true])).toThrow(/expected 2 fake flags/);
    expect(labels.size).toBe(0);
  });
});
