// The police as a player whose answers the server computes: D from the room's latest snapshot,
// run with tfjs on Node (cpu backend; inference only, a few images per round).
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS } from "../lib/gan/dataset";
import { bytesToTensor, tensorToBytes } from "../lib/gan/images";
import { createRng, normalNoise } from "../lib/gan/rng";
import {
  createGanFromSnapshot,
  decodeSnapshot,
  loadSnapshotInto,
  type DecodedSnapshot,
} from "../lib/gan/snapshot";
import { discriminate, dispose, generate, type Gan } from "../lib/gan/train";
import { architectureId } from "../lib/gan/config";
import type { FakePool, Police } from "./rooms/items";

let ready: Promise<void> | null = null;
function ensureBackend(): Promise<void> {
  ready ??= tf.setBackend("cpu").then(() => tf.ready());
  return ready;
}

interface Entry {
  /** The newest snapshot, loaded into the nets only when a round needs D. */
  pending: DecodedSnapshot | null;
  step: number;
  gan: Gan | null;
}

export interface RoomPolice extends Police {
  /** Validates a snapshot (throws SnapshotError) and keeps it as the room's latest. */
  setSnapshot(roomId: string, bytes: Uint8Array): { step: number };
  /** Fakes drawn by the last snapshot's G, when no trainer is uploading any (closed tab). */
  generate(roomId: string, count: number, rng: () => number): Promise<FakePool | null>;
  forget(roomId: string): void;
}

export function createPolice(): RoomPolice {
  const rooms = new Map<string, Entry>();

  function load(entry: Entry): Gan | null {
    if (entry.pending) {
      const decoded = entry.pending;
      entry.pending = null;
      if (entry.gan && architectureId(entry.gan.config) === decoded.architectureId) {
        // G too: generate() draws the fakes of a room whose trainer is gone.
        loadSnapshotInto(entry.gan, decoded, { nets: decoded.nets.G ? ["G", "D"] : ["D"] });
      } else {
        if (entry.gan) dispose(entry.gan);
        entry.gan = createGanFromSnapshot(decoded);
      }
    }
    return entry.gan;
  }

  return {
    setSnapshot(roomId, bytes) {
      const decoded = decodeSnapshot(bytes); // throws before anything is kept
      if (!decoded.nets.D) throw new Error("snapshot has no discriminator weights");
      const entry = rooms.get(roomId) ?? { pending: null, gan: null, step: 0 };
      entry.pending = decoded;
      entry.step = decoded.step;
      rooms.set(roomId, entry);
      return { step: decoded.step };
    },
    async judge(roomId, images) {
      const entry = rooms.get(roomId);
      if (!entry || images.length === 0) return null;
      await ensureBackend();
      const gan = load(entry);
      if (!gan) return null;
      const flat = new Uint8Array(images.length * IMAGE_PIXELS);
      images.forEach((img, i) => flat.set(img, i * IMAGE_PIXELS));
      const input = bytesToTensor(flat);
      const probs = discriminate(gan, input);
      const values = Array.from(await probs.data());
      tf.dispose([input, probs]);
      return values.map((p) => Math.min(1, Math.max(0, p)));
    },
    async generate(roomId, count, rng) {
      const entry = rooms.get(roomId);
      if (!entry) return null;
      await ensureBackend();
      const gan = load(entry);
      if (!gan) return null;
      const z = normalNoise(count, gan.config.latentDim, createRng(Math.floor(rng() * 2 ** 31)));
      const images = generate(gan, z);
      const bytes = await tensorToBytes(images);
      tf.dispose([z, images]);
      return { step: entry.step, images: bytes };
    },
    forget(roomId) {
      const entry = rooms.get(roomId);
      if (entry?.gan) dispose(entry.gan);
      rooms.delete(roomId);
    },
  };
}
