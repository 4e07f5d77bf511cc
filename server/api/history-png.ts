// The sample grid of a stored generator as a PNG: G from the snapshot, run with tfjs on Node's
// cpu backend, drawn with lib/gan's sampleGrid, and encoded by a minimal 8-bit grayscale PNG
// writer (zlib deflate + CRC-32; no image package needed).
import { deflateSync } from "node:zlib";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS } from "../../lib/gan/dataset";
import { sampleGrid, tensorToBytes } from "../../lib/gan/images";
import { createRng, normalNoise } from "../../lib/gan/rng";
import { createGanFromSnapshot, decodeSnapshot } from "../../lib/gan/snapshot";
import { crc32 } from "../../lib/gan/snapshot-codec";
import { dispose, generate } from "../../lib/gan/train";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit grayscale image (one byte per pixel, row-major) as a PNG file. */
export function encodeGrayPng(width: number, height: number, pixels: ArrayLike<number>): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`expected positive integer dimensions, got ${width}×${height}`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  // compression, filter method and interlace stay 0
  // Each scanline starts with its filter type; 0 (none) keeps the writer trivial.
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixels[y * width + x]!;
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Nearest-neighbour enlargement, so 28-pixel digits stay crisp in any viewer. */
export function upscale(width: number, height: number, pixels: ArrayLike<number>, factor: number) {
  const w = width * factor;
  const out = new Uint8Array(w * height * factor);
  for (let y = 0; y < height * factor; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < w; x++) out[y * w + x] = pixels[row + Math.floor(x / factor)]!;
  }
  return { width: w, height: height * factor, pixels: out };
}

export interface GridRequest {
  /** Digits drawn. */
  count: number;
  cols: number;
  /** Seed of the latent vectors: the same seed draws the same z for every snapshot. */
  seed: number;
  /** Pixel enlargement factor. */
  scale: number;
}

/** Digits per uninterrupted stretch of work on the event loop. */
const GENERATE_BATCH = 6;

let backend: Promise<void> | null = null;
function ensureBackend(): Promise<void> {
  // The same cpu backend the police uses; setting it again is a no-op.
  backend ??= tf.setBackend("cpu").then(() => tf.ready());
  return backend;
}

/** Digits drawn by the snapshot's generator, n × 784 bytes. Throws SnapshotError if unusable. */
export async function generateFromSnapshot(
  weights: Uint8Array,
  count: number,
  seed: number,
): Promise<Uint8Array> {
  const decoded = decodeSnapshot(weights);
  if (!decoded.nets.G) throw new Error("the snapshot has no generator weights");
  await ensureBackend();
  const gan = createGanFromSnapshot(decoded);
  const z = normalNoise(count, gan.config.latentDim, createRng(seed));
  const out = new Uint8Array(count * IMAGE_PIXELS);
  try {
    // A few digits at a time, yielding between batches: a full-size G takes seconds on the cpu
    // backend, and the sockets of a live class must not wait that long. Inference mode makes
    // the digits independent of the batching.
    for (let start = 0; start < count; start += GENERATE_BATCH) {
      const n = Math.min(GENERATE_BATCH, count - start);
      const zs = tf.slice(z, [start, 0], [n, gan.config.latentDim]);
      const images = generate(gan, zs);
      out.set(await tensorToBytes(images), start * IMAGE_PIXELS);
      tf.dispose([zs, images]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  } finally {
    z.dispose();
    dispose(gan);
  }
}

/** The PNG of a snapshot's sample grid: dark ink on white paper, like the page draws it. */
export async function snapshotGridPng(weights: Uint8Array, req: GridRequest): Promise<Buffer> {
  const digits = await generateFromSnapshot(weights, req.count, req.seed);
  const grid = sampleGrid(digits, req.cols, { format: "gray", gap: 2, invert: true });
  const big = upscale(grid.width, grid.height, grid.data, req.scale);
  return encodeGrayPng(big.width, big.height, big.pixels);
}
