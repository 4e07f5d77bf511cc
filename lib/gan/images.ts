// Images as the rest of the app sees them: 784 bytes per digit (0 = background, 255 = ink),
// the same layout as the dataset file, and sample grids for a canvas.
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS, IMAGE_SIDE } from "./dataset";
import { bytesToUnit } from "./batches";

function assertImageTensor(t: tf.Tensor): void {
  const [, h, w, c] = t.shape;
  if (t.rank !== 4 || h !== IMAGE_SIDE || w !== IMAGE_SIDE || c !== 1) {
    throw new Error(`expected images of shape [n, 28, 28, 1], got [${t.shape.join(", ")}]`);
  }
}

function assertImageBytes(bytes: Uint8Array): number {
  if (bytes.length === 0 || bytes.length % IMAGE_PIXELS !== 0) {
    throw new Error(`expected a positive multiple of ${IMAGE_PIXELS} bytes, got ${bytes.length}`);
  }
  return bytes.length / IMAGE_PIXELS;
}

/** [-1, 1] floats → 0…255 bytes (rounded, clamped). */
export function unitToBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round((values[i]! + 1) * 127.5);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/** Reads [n, 28, 28, 1] in [-1, 1] back as n × 784 bytes (does not dispose the tensor). */
export async function tensorToBytes(images: tf.Tensor): Promise<Uint8Array> {
  assertImageTensor(images);
  return unitToBytes(await images.data());
}

/** Synchronous variant for Node or the cpu/wasm backends (blocks on WebGL). */
export function tensorToBytesSync(images: tf.Tensor): Uint8Array {
  assertImageTensor(images);
  return unitToBytes(images.dataSync());
}

/** n × 784 bytes → [n, 28, 28, 1] in [-1, 1]; the caller disposes it. */
export function bytesToTensor(bytes: Uint8Array): tf.Tensor4D {
  const n = assertImageBytes(bytes);
  return tf.tensor4d(bytesToUnit(bytes), [n, IMAGE_SIDE, IMAGE_SIDE, 1]);
}

export interface GridOptions {
  /** "rgba" fits ImageData / canvas putImageData; "gray" is one byte per pixel. */
  readonly format?: "rgba" | "gray";
  /** Pixels between cells (drawn in the background value). */
  readonly gap?: number;
  /** Ink is white on black by default; true draws dark ink on white paper. */
  readonly invert?: boolean;
}

export interface Grid {
  readonly width: number;
  readonly height: number;
  readonly format: "rgba" | "gray";
  readonly data: Uint8ClampedArray;
}

/** Lays out n × 784 byte images in a grid with `cols` columns. */
export function sampleGrid(images: Uint8Array, cols: number, opts: GridOptions = {}): Grid {
  const n = assertImageBytes(images);
  if (!Number.isInteger(cols) || cols <= 0) {
    throw new RangeError(`cols: expected a positive integer, got ${cols}`);
  }
  const format = opts.format ?? "rgba";
  const gap = opts.gap ?? 1;
  const channels = format === "rgba" ? 4 : 1;
  const c = Math.min(cols, n);
  const rows = Math.ceil(n / c);
  const width = c * IMAGE_SIDE + (c - 1) * gap;
  const height = rows * IMAGE_SIDE + (rows - 1) * gap;
  const data = new Uint8ClampedArray(width * height * channels);
  const background = opts.invert ? 255 : 0;
  const put = (x: number, y: number, v: number) => {
    const o = (y * width + x) * channels;
    if (channels === 1) {
      data[o] = v;
    } else {
      data[o] = v;
      data[o + 1] = v;
      data[o + 2] = v;
      data[o + 3] = 255;
    }
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) put(x, y, background);
  for (let k = 0; k < n; k++) {
    const ox = (k % c) * (IMAGE_SIDE + gap);
    const oy = Math.floor(k / c) * (IMAGE_SIDE + gap);
    for (let y = 0; y < IMAGE_SIDE; y++) {
      for (let x = 0; x < IMAGE_SIDE; x++) {
        const v = images[k * IMAGE_PIXELS + y * IMAGE_SIDE + x]!;
        put(ox + x, oy + y, opts.invert ? 255 - v : v);
      }
    }
  }
  return { width, height, format, data };
}
