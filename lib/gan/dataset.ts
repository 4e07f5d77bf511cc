// Decoder for the compact digit file written by scripts/build-dataset.mjs. Isomorphic: the
// browser and Node both hand it the gzip bytes; DecompressionStream exists in both.

export const DATASET_URL = "/data/mnist.bin.gz";
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
const MAGIC = "MNST";
const HEADER_BYTES = 16;
const FORMAT_VERSION = 1;

export interface Digits {
  /** Number of digits in the file. */
  readonly count: number;
  /** The last `heldOut` digits are a held-out split: the classifier never trains on them. */
  readonly heldOut: number;
  /** labels[i] ∈ 0…9 */
  readonly labels: Uint8Array;
  /** count × 784 bytes, 0 = background, 255 = ink, row-major. */
  readonly pixels: Uint8Array;
}

export class DatasetFormatError extends Error {
  override name = "DatasetFormatError";
}

/** Decodes the uncompressed bytes; throws DatasetFormatError on anything malformed. */
export function decodeDigits(bytes: Uint8Array): Digits {
  if (bytes.length < HEADER_BYTES) {
    throw new DatasetFormatError(`expected at least ${HEADER_BYTES} bytes, got ${bytes.length}`);
  }
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== MAGIC) throw new DatasetFormatError(`expected magic ${MAGIC}, got ${magic}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== FORMAT_VERSION) {
    throw new DatasetFormatError(`expected format version ${FORMAT_VERSION}, got ${version}`);
  }
  const width = view.getUint8(5);
  const height = view.getUint8(6);
  if (width !== IMAGE_SIDE || height !== IMAGE_SIDE) {
    throw new DatasetFormatError(`expected 28×28 images, got ${width}×${height}`);
  }
  const count = view.getUint32(8, true);
  const heldOut = view.getUint32(12, true);
  const expected = HEADER_BYTES + count + count * IMAGE_PIXELS;
  if (bytes.length !== expected) {
    throw new DatasetFormatError(
      `expected ${expected} bytes for ${count} digits, got ${bytes.length}`,
    );
  }
  if (heldOut > count) throw new DatasetFormatError(`held-out ${heldOut} exceeds count ${count}`);
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  for (let i = 0; i < count; i++) {
    if (labels[i]! > 9) throw new DatasetFormatError(`label ${labels[i]} at ${i} is not a digit`);
  }
  const pixels = bytes.subarray(HEADER_BYTES + count);
  return { count, heldOut, labels, pixels };
}

/** Gunzips and decodes the file's bytes. */
export async function decodeDigitsGzip(gz: Uint8Array): Promise<Digits> {
  const stream = new Blob([gz as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  return decodeDigits(raw);
}

/** One digit's 784 bytes (a view, not a copy). */
export function digitPixels(digits: Digits, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= digits.count) {
    throw new RangeError(`expected a digit index in 0…${digits.count - 1}, got ${index}`);
  }
  return digits.pixels.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
}

/** Browser helper: fetches and decodes the bundled dataset. */
export async function fetchDigits(
  url = DATASET_URL,
  fetchImpl: typeof fetch = fetch,
): Promise<Digits> {
  const res = await fetchImpl(url);
  if (!res.ok) throw new DatasetFormatError(`could not load ${url}: HTTP ${res.status}`);
  return decodeDigitsGzip(new Uint8Array(await res.arrayBuffer()));
}
