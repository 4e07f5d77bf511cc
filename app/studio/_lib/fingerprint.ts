// Short fingerprints of each network's trainable weights, read from a snapshot the trainer made.
// They let the page (and its tests) see which network a single step changed: a D step must leave
// G's fingerprint alone and vice versa. Batchnorm running statistics are left out on purpose: G
// runs in training mode while producing fakes for D, so those statistics move during a D step
// although no gradient reaches G.
import type { NetName } from "@/lib/gan/train";

const FIXED_BYTES = 16;
const CRC_BYTES = 4;
const NON_TRAINABLE = /moving_(mean|variance)$/;

interface TensorEntry {
  net: NetName;
  name: string;
  offset: number;
  byteLength: number;
}

/** FNV-1a over bytes, continued from `hash`. */
function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Per-net fingerprints (8 hex digits) of the trainable weights in an encoded snapshot. The
 * snapshot's own decoder has already checked it in the worker; this only reads its table.
 */
export function weightFingerprints(snapshot: Uint8Array): Partial<Record<NetName, string>> {
  const view = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
  if (snapshot.length < FIXED_BYTES + CRC_BYTES) {
    throw new Error(`expected a snapshot of at least 20 bytes, got ${snapshot.length}`);
  }
  const headerLength = view.getUint32(8, true);
  const payloadStart = FIXED_BYTES + headerLength;
  const header = JSON.parse(
    new TextDecoder().decode(snapshot.subarray(FIXED_BYTES, payloadStart)),
  ) as { tensors: TensorEntry[] };
  const hashes: Partial<Record<NetName, number>> = {};
  for (const t of header.tensors) {
    if (NON_TRAINABLE.test(t.name)) continue;
    const start = payloadStart + t.offset;
    hashes[t.net] = fnv1a(snapshot.subarray(start, start + t.byteLength), hashes[t.net]);
  }
  const out: Partial<Record<NetName, string>> = {};
  for (const [net, h] of Object.entries(hashes) as [NetName, number][]) {
    out[net] = h.toString(16).padStart(8, "0");
  }
  return out;
}

/** A fingerprint of image bytes (to tell whether the sample grid changed). */
export function bytesFingerprint(bytes: Uint8Array): string {
  return fnv1a(bytes).toString(16).padStart(8, "0");
}
