// The forge's pure rules: which noise vectors the server draws, and what fooling classmates pays.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  NOISE_LIMIT,
  POINTS_PER_FOOLED,
  decodeNoise,
  encodeNoise,
  forgeryPoints,
  forgerySlots,
} from "@/lib/game/forge-rules";
import { ErrorCode } from "@/lib/protocol/codes";
import { ForgeSubmit, MAX_LATENT_DIM } from "@/lib/protocol/schemas";

const inRange = fc.float({ min: -NOISE_LIMIT, max: NOISE_LIMIT, noNaN: true });

describe("noise vector validation", () => {
  it("accepts every vector of the generator's length with finite values within the limit, bit for bit", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 128 })
          .chain((n) => fc.array(inRange, { minLength: n, maxLength: n })),
        (values) => {
          const z = Float32Array.from(values);
          const checked = decodeNoise(encodeNoise(z), z.length);
          expect(checked.ok).toBe(true);
          if (checked.ok) expect(Array.from(checked.noise)).toEqual(Array.from(z));
        },
      ),
    );
  });

  it("rejects a vector one value too short or too long, or not whole float32s, with NOISE_LENGTH", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 128 }), fc.integer({ min: 1, max: 3 }), (n, cut) => {
        const bytes = encodeNoise(new Float32Array(n));
        expect(decodeNoise(bytes.slice(0, (n - 1) * 4), n)).toEqual({
          ok: false,
          code: ErrorCode.NoiseLength,
        });
        expect(decodeNoise(encodeNoise(new Float32Array(n + 1)), n)).toMatchObject({
          code: ErrorCode.NoiseLength,
        });
        expect(decodeNoise(bytes.slice(0, bytes.length - cut), n)).toMatchObject({
          code: ErrorCode.NoiseLength,
        });
      }),
    );
    expect(decodeNoise(new Uint8Array(0), 100)).toMatchObject({ code: ErrorCode.NoiseLength });
  });

  it("rejects NaN and infinities anywhere with NOISE_NOT_FINITE", () => {
    fc.assert(
      fc.property(
        fc.array(inRange, { minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity),
        (values, at, bad) => {
          const z = Float32Array.from(values);
          z[at % z.length] = bad;
          expect(decodeNoise(encodeNoise(z), z.length)).toEqual({
            ok: false,
            code: ErrorCode.NoiseNotFinite,
          });
        },
      ),
    );
  });

  it("rejects any value beyond ±NOISE_LIMIT with NOISE_OUT_OF_RANGE, and accepts the limit itself", () => {
    fc.assert(
      fc.property(
        fc.array(inRange, { minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.float({ min: Math.fround(NOISE_LIMIT + 0.001), max: Math.fround(3e38), noNaN: true }),
        fc.boolean(),
        (values, at, huge, negative) => {
          const z = Float32Array.from(values);
          z[at % z.length] = negative ? -huge : huge;
          expect(decodeNoise(encodeNoise(z), z.length)).toEqual({
            ok: false,
            code: ErrorCode.NoiseOutOfRange,
          });
        },
      ),
    );
    const edge = Float32Array.from([NOISE_LIMIT, -NOISE_LIMIT]);
    expect(decodeNoise(encodeNoise(edge), 2).ok).toBe(true);
  });

  it("reads a vector from a byte view at any offset (socket.io hands out views of one buffer)", () => {
    const z = Float32Array.from([0.5, -1.25, 3]);
    const padded = new Uint8Array(1 + z.length * 4);
    padded.set(encodeNoise(z), 1);
    const checked = decodeNoise(padded.subarray(1), 3);
    expect(checked.ok && Array.from(checked.noise)).toEqual([0.5, -1.25, 3]);
  });

  it("the wire schema takes binary up to MAX_LATENT_DIM floats and refuses JSON arrays and bigger blobs", () => {
    const ok = ForgeSubmit.safeParse({ step: 3, noise: encodeNoise(new Float32Array(100)) });
    expect(ok.success).toBe(true);
    expect(
      ForgeSubmit.safeParse({ step: 3, noise: Array.from({ length: 100 }, () => 0) }).success,
    ).toBe(false);
    expect(
      ForgeSubmit.safeParse({ step: 3, noise: new Uint8Array(MAX_LATENT_DIM * 4 + 4) }).success,
    ).toBe(false);
    expect(ForgeSubmit.safeParse({ step: -1, noise: new Uint8Array(8) }).success).toBe(false);
  });
});

describe("points for fooling", () => {
  it("pays POINTS_PER_FOOLED per classmate fooled: zero for none, additive across classmates", () => {
    expect(forgeryPoints(0)).toBe(0);
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), (a, b) => {
        expect(forgeryPoints(a)).toBe(POINTS_PER_FOOLED * a);
        expect(forgeryPoints(a + b)).toBe(forgeryPoints(a) + forgeryPoints(b));
      }),
    );
  });

  it("gives students' forgeries at most half of a round's fakes, rounded up", () => {
    expect([0, 1, 2, 3, 4, 5, 15].map(forgerySlots)).toEqual([0, 1, 1, 2, 2, 3, 8]);
    fc.assert(
      fc.property(fc.nat(100), (fakes) => {
        expect(forgerySlots(fakes)).toBeLessThanOrEqual(fakes);
        expect(fakes - forgerySlots(fakes)).toBeGreaterThanOrEqual(Math.floor(fakes / 2));
      }),
    );
  });
});
