// A compact, versioned binary snapshot of G, D (and optionally H) weights.
//
//   0  "STFS"                 magic
//   4  u16 format version     (1)
//   6  u16 reserved           (0)
//   8  u32 header length      bytes of UTF-8 JSON that follow
//  12  u32 total length       of the whole snapshot, checksum included
//  16  header JSON            architecture id, step, config, tensor table
//   …  payload                float16 (or int8 × per-tensor scale) weights
// end  u32 CRC-32            of every byte before it
//
// Decoding validates everything before anything is assigned: a snapshot is loaded whole or not
// at all. The header carries the full config, so Node can rebuild the nets it describes.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { z } from "../zod";
import { architectureId, validateConfig, type GanConfig } from "./config";
import { weightNames } from "./models";
import {
  createGan,
  resetAverage,
  resetOptimizers,
  shownGenerator,
  type Gan,
  type NetName,
} from "./train";
import { crc32, float16ToFloat32, float32ToFloat16 } from "./snapshot-codec";

export const SNAPSHOT_MAGIC = "STFS";
export const SNAPSHOT_FORMAT_VERSION = 1;
const FIXED_BYTES = 16;
const CRC_BYTES = 4;
/** int8 only pays off (and only stays accurate) on big tensors; small ones stay float16. */
const INT8_MIN_ELEMENTS = 1024;

export const SnapshotErrorCode = {
  TRUNCATED: "TRUNCATED",
  CHECKSUM: "CHECKSUM",
  VERSION: "VERSION",
  ARCHITECTURE: "ARCHITECTURE",
  FORMAT: "FORMAT",
} as const;
export type SnapshotErrorCode = (typeof SnapshotErrorCode)[keyof typeof SnapshotErrorCode];

export class SnapshotError extends Error {
  override name = "SnapshotError";
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Precision = "float16" | "int8";

export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Weights as plain arrays, per net, in model.weights order. */
export interface SnapshotWeights {
  readonly config: GanConfig;
  readonly nets: Partial<Record<NetName, readonly NamedWeight[]>>;
}

export interface DecodedSnapshot extends SnapshotWeights {
  readonly formatVersion: number;
  readonly architectureId: string;
  readonly step: number;
}

export interface EncodeOptions {
  /** Which nets to include (default G and D). */
  readonly nets?: readonly NetName[];
  /** float16 everywhere (default), or int8 with a per-tensor scale for tensors ≥ 1024 values. */
  readonly precision?: Precision;
}

const NET_NAMES = ["G", "D", "H"] as const;

const tensorEntry = z.object({
  net: z.enum(NET_NAMES),
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(["float16", "int8"]),
  scale: z.number().positive().optional(),
  offset: z.number().int().nonnegative(),
  byteLength: z.number().int().nonnegative(),
});
const headerSchema = z.object({
  architectureId: z.string().min(1),
  step: z.number().int().nonnegative(),
  config: z.record(z.string(), z.unknown()),
  tensors: z.array(tensorEntry),
});
type Header = z.infer<typeof headerSchema>;

/**
 * The net a snapshot holds under `net`. For G that is the generator the class sees (its moving
 * average when the config keeps one); loading G sets the trained G and the average alike.
 */
function modelOf(gan: Gan, net: NetName): tfl.LayersModel {
  return net === "G" ? shownGenerator(gan) : net === "D" ? gan.discriminator : gan.critic;
}

/** Copies the chosen nets' weights out of the backend without blocking it. */
export async function readWeights(
  gan: Gan,
  nets: readonly NetName[] = ["G", "D"],
): Promise<SnapshotWeights> {
  // Every read is issued before the first await, so all nets come from the same training step
  // even if the loop keeps training while the data downloads.
  const pending = nets.map((net) => {
    const model = modelOf(gan, net);
    return {
      net,
      names: weightNames(model),
      shapes: model.weights.map((w) => w.shape.map((d) => d ?? 0)),
      values: Promise.all(model.weights.map((w) => w.read().data())),
    };
  });
  const config = gan.config;
  const out: Partial<Record<NetName, NamedWeight[]>> = {};
  for (const p of pending) {
    const values = await p.values;
    out[p.net] = p.names.map((name, i) => ({
      name,
      shape: p.shapes[i]!,
      values: values[i] as Float32Array,
    }));
  }
  return { config, nets: out };
}

function readWeightsSync(gan: Gan, nets: readonly NetName[]): SnapshotWeights {
  const out: Partial<Record<NetName, NamedWeight[]>> = {};
  for (const net of nets) {
    const model = modelOf(gan, net);
    const names = weightNames(model);
    out[net] = model.weights.map((w, i) => ({
      name: names[i]!,
      shape: w.shape.map((d) => d ?? 0),
      values: w.read().dataSync() as Float32Array,
    }));
  }
  return { config: gan.config, nets: out };
}

function isGan(source: Gan | SnapshotWeights): source is Gan {
  return "generator" in source;
}

/**
 * Encodes a GAN (read synchronously: prefer `readWeights` first on WebGL) or weights already
 * read into a snapshot.
 */
export function encodeSnapshot(
  source: Gan | SnapshotWeights,
  step: number,
  opts: EncodeOptions = {},
): Uint8Array {
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`step: expected a non-negative integer, got ${step}`);
  }
  const precision = opts.precision ?? "float16";
  const weights = isGan(source) ? readWeightsSync(source, opts.nets ?? ["G", "D"]) : source;
  const nets = opts.nets ?? (Object.keys(weights.nets) as NetName[]);
  const tensors: Header["tensors"] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const net of nets) {
    const list = weights.nets[net];
    if (!list) throw new Error(`expected weights for net ${net}, got none`);
    for (const w of list) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (size !== w.values.length) {
        throw new Error(`${net}/${w.name}: expected ${size} values, got ${w.values.length}`);
      }
      for (let i = 0; i < size; i++) {
        if (!Number.isFinite(w.values[i]!)) {
          throw new Error(`${net}/${w.name}: weight ${i} is ${w.values[i]} (training diverged?)`);
        }
      }
      const asInt8 = precision === "int8" && size >= INT8_MIN_ELEMENTS;
      const { bytes, scale } = asInt8 ? quantizeInt8(w.values) : { bytes: toFloat16(w.values) };
      tensors.push({
        net,
        name: w.name,
        shape: [...w.shape],
        dtype: asInt8 ? "int8" : "float16",
        ...(scale === undefined ? {} : { scale }),
        offset,
        byteLength: bytes.length,
      });
      chunks.push(bytes);
      offset += bytes.length;
    }
  }
  const header: Header = {
    architectureId: architectureId(weights.config),
    step,
    config: weights.config as unknown as Record<string, unknown>,
    tensors,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const total = FIXED_BYTES + headerBytes.length + offset + CRC_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SNAPSHOT_MAGIC.charCodeAt(i);
  view.setUint16(4, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  view.setUint32(12, total, true);
  out.set(headerBytes, FIXED_BYTES);
  let at = FIXED_BYTES + headerBytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  view.setUint32(total - CRC_BYTES, crc32(out.subarray(0, total - CRC_BYTES)), true);
  return out;
}

function toFloat16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const h = float32ToFloat16(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}

function quantizeInt8(values: Float32Array): { bytes: Uint8Array; scale: number } {
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
    bytes[i] = q & 0xff;
  }
  return { bytes, scale };
}

/** Parses and fully validates a snapshot; throws SnapshotError, never returns a partial one. */
export function decodeSnapshot(bytes: Uint8Array): DecodedSnapshot {
  const fail = (code: SnapshotErrorCode, msg: string): never => {
    throw new SnapshotError(code, msg);
  };
  if (bytes.length < FIXED_BYTES + CRC_BYTES) {
    fail("TRUNCATED", `expected at least ${FIXED_BYTES + CRC_BYTES} bytes, got ${bytes.length}`);
  }
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== SNAPSHOT_MAGIC) fail("FORMAT", `expected magic ${SNAPSHOT_MAGIC}, got ${magic}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    fail("VERSION", `expected snapshot format ${SNAPSHOT_FORMAT_VERSION}, got ${version}`);
  }
  const headerLength = view.getUint32(8, true);
  const total = view.getUint32(12, true);
  if (bytes.length < total) fail("TRUNCATED", `expected ${total} bytes, got ${bytes.length}`);
  if (bytes.length > total) fail("FORMAT", `expected ${total} bytes, got ${bytes.length}`);
  const stored = view.getUint32(total - CRC_BYTES, true);
  const actual = crc32(bytes.subarray(0, total - CRC_BYTES));
  if (stored !== actual) {
    fail("CHECKSUM", `checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  }
  const payloadStart = FIXED_BYTES + headerLength;
  const payloadLength = total - CRC_BYTES - payloadStart;
  if (payloadLength < 0) fail("FORMAT", `header length ${headerLength} exceeds the snapshot`);
  let header: Header;
  try {
    const json: unknown = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(FIXED_BYTES, payloadStart)),
    );
    header = headerSchema.parse(json);
  } catch (e) {
    return fail("FORMAT", `unreadable header: ${(e as Error).message}`);
  }
  const config = header.config as unknown as GanConfig;
  try {
    validateConfig(config);
  } catch (e) {
    fail("FORMAT", `invalid config in header: ${(e as Error).message}`);
  }
  if (architectureId(config) !== header.architectureId) {
    fail("FORMAT", `header architecture ${header.architectureId} does not match its config`);
  }
  const nets: Partial<Record<NetName, NamedWeight[]>> = {};
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const width = t.dtype === "int8" ? 1 : 2;
    if (t.byteLength !== size * width) {
      fail("FORMAT", `${t.net}/${t.name}: expected ${size * width} bytes, got ${t.byteLength}`);
    }
    if (t.offset + t.byteLength > payloadLength) {
      fail("FORMAT", `${t.net}/${t.name}: data runs past the payload`);
    }
    if (t.dtype === "int8" && t.scale === undefined) {
      fail("FORMAT", `${t.net}/${t.name}: int8 tensor without a scale`);
    }
    const raw = bytes.subarray(payloadStart + t.offset, payloadStart + t.offset + t.byteLength);
    const values = new Float32Array(size);
    if (t.dtype === "int8") {
      const s = t.scale!;
      for (let i = 0; i < size; i++) values[i] = ((raw[i]! << 24) >> 24) * s;
    } else {
      for (let i = 0; i < size; i++)
        values[i] = float16ToFloat32(raw[2 * i]! | (raw[2 * i + 1]! << 8));
    }
    (nets[t.net] ??= []).push({ name: t.name, shape: t.shape, values });
  }
  return {
    formatVersion: version,
    architectureId: header.architectureId,
    step: header.step,
    config,
    nets,
  };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** The config the snapshot was trained with: build nets from it to use the weights. */
export function configFromSnapshot(decoded: DecodedSnapshot): GanConfig {
  return decoded.config;
}

/**
 * Assigns the snapshot's weights (all nets it holds, or `opts.nets`) to the GAN, after checking
 * every name and shape; on any mismatch nothing is assigned. Resets the loaded nets' optimizers.
 * Returns the nets that were loaded.
 */
export function loadSnapshotInto(
  gan: Gan,
  decoded: DecodedSnapshot,
  opts: { nets?: readonly NetName[] } = {},
): NetName[] {
  const want = architectureId(gan.config);
  if (decoded.architectureId !== want) {
    throw new SnapshotError(
      "ARCHITECTURE",
      `expected architecture ${want}, got ${decoded.architectureId}`,
    );
  }
  const nets = (opts.nets ?? NET_NAMES).filter((n) => decoded.nets[n] !== undefined);
  if (opts.nets) {
    const missing = opts.nets.filter((n) => decoded.nets[n] === undefined);
    if (missing.length) {
      throw new SnapshotError("FORMAT", `expected weights for ${missing.join(", ")}, got none`);
    }
  }
  for (const net of nets) {
    const model = modelOf(gan, net);
    const names = weightNames(model);
    const list = decoded.nets[net]!;
    if (list.length !== names.length) {
      throw new SnapshotError(
        "ARCHITECTURE",
        `${net}: expected ${names.length} tensors, got ${list.length}`,
      );
    }
    list.forEach((w, i) => {
      const shape = model.weights[i]!.shape;
      if (w.name !== names[i] || w.shape.join("x") !== shape.join("x")) {
        throw new SnapshotError(
          "ARCHITECTURE",
          `${net}: expected ${names[i]} [${shape.join(", ")}], got ${w.name} [${w.shape.join(", ")}]`,
        );
      }
    });
  }
  for (const net of nets) {
    const tensors = decoded.nets[net]!.map((w) => tf.tensor(w.values, [...w.shape], "float32"));
    if (net === "G") {
      gan.generator.setWeights(tensors);
      resetAverage(gan);
    } else {
      modelOf(gan, net).setWeights(tensors);
    }
    tf.dispose(tensors);
  }
  resetOptimizers(gan, nets);
  return nets;
}

/** Builds the nets a snapshot describes and loads it (e.g. on the server, to score with D). */
export function createGanFromSnapshot(decoded: DecodedSnapshot, seed = 0): Gan {
  const gan = createGan(configFromSnapshot(decoded), seed);
  loadSnapshotInto(gan, decoded);
  return gan;
}
