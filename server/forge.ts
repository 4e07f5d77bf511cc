// The forge's renderer: draws a student's forgery from their noise vector with the generator of
// the room's pinned snapshot, and asks that snapshot's discriminator how real it looks. The
// student's own pixels are never trusted: only the vector crosses the wire. Requests that arrive
// together (a class submitting at once) are drawn in one batch per room.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS } from "../lib/gan/dataset";
import { tensorToBytes } from "../lib/gan/images";
import { createGanFromSnapshot, decodeSnapshot } from "../lib/gan/snapshot";
import { discriminate, dispose, generate, type Gan } from "../lib/gan/train";

export interface ForgeSnapshot {
  readonly step: number;
  readonly weights: Uint8Array;
}

export interface Rendered {
  readonly image: Uint8Array;
  /** P(real) by the snapshot's discriminator; null when the snapshot has none. */
  readonly suspicion: number | null;
}

export interface ForgeRenderer {
  /** The generator's latent size for this snapshot (decodes it once per room and step). */
  latentDim(roomId: string, snapshot: ForgeSnapshot): number;
  /** Draws one forgery; concurrent calls for a room are batched. */
  render(roomId: string, snapshot: ForgeSnapshot, noise: Float32Array): Promise<Rendered>;
  forget(roomId: string): void;
}

interface Entry {
  step: number;
  gan: Gan;
}

interface Job {
  noise: Float32Array;
  resolve: (r: Rendered) => void;
  reject: (e: unknown) => void;
}

/** Largest batch drawn at once (bounds the event loop's pause to a few tens of ms). */
const MAX_BATCH = 32;

let ready: Promise<void> | null = null;
function ensureBackend(): Promise<void> {
  ready ??= tf.setBackend("cpu").then(() => tf.ready());
  return ready;
}

export function createForgeRenderer(): ForgeRenderer {
  const rooms = new Map<string, Entry>();
  const queues = new Map<string, { snapshot: ForgeSnapshot; jobs: Job[] }>();
  let chain: Promise<void> = Promise.resolve();

  function entryFor(roomId: string, snapshot: ForgeSnapshot): Entry {
    const existing = rooms.get(roomId);
    if (existing && existing.step === snapshot.step) return existing;
    const decoded = decodeSnapshot(snapshot.weights); // throws SnapshotError before any change
    if (!decoded.nets.G) throw new Error("the forge's snapshot has no generator");
    const gan = createGanFromSnapshot(decoded);
    if (existing) dispose(existing.gan);
    const entry = { step: snapshot.step, gan };
    rooms.set(roomId, entry);
    return entry;
  }

  async function drawBatch(roomId: string, snapshot: ForgeSnapshot, jobs: Job[]): Promise<void> {
    try {
      await ensureBackend();
      const { gan } = entryFor(roomId, snapshot);
      const dim = gan.config.latentDim;
      const flat = new Float32Array(jobs.length * dim);
      jobs.forEach((j, i) => flat.set(j.noise, i * dim));
      const z = tf.tensor2d(flat, [jobs.length, dim]);
      const images = generate(gan, z);
      const probs = discriminate(gan, images);
      const [bytes, p] = await Promise.all([tensorToBytes(images), probs.data()]);
      tf.dispose([z, images, probs]);
      jobs.forEach((j, i) =>
        j.resolve({
          image: bytes.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
          suspicion: Math.min(1, Math.max(0, p[i]!)),
        }),
      );
    } catch (err) {
      for (const j of jobs) j.reject(err);
    }
  }

  function flush(roomId: string): void {
    const queue = queues.get(roomId);
    if (!queue) return;
    queues.delete(roomId);
    for (let i = 0; i < queue.jobs.length; i += MAX_BATCH) {
      const batch = queue.jobs.slice(i, i + MAX_BATCH);
      chain = chain.then(() => drawBatch(roomId, queue.snapshot, batch));
    }
  }

  return {
    latentDim(roomId, snapshot) {
      const existing = rooms.get(roomId);
      if (existing && existing.step === snapshot.step) return existing.gan.config.latentDim;
      return decodeSnapshot(snapshot.weights).config.latentDim;
    },
    render(roomId, snapshot, noise) {
      return new Promise<Rendered>((resolve, reject) => {
        let queue = queues.get(roomId);
        // A different snapshot starts its own batch: one batch, one generator.
        if (queue && queue.snapshot.step !== snapshot.step) flush(roomId);
        queue = queues.get(roomId);
        if (!queue) {
          queue = { snapshot, jobs: [] };
          queues.set(roomId, queue);
          setImmediate(() => flush(roomId));
        }
        queue.jobs.push({ noise, resolve, reject });
      });
    },
    forget(roomId) {
      const entry = rooms.get(roomId);
      rooms.delete(roomId);
      // After any batch still drawing with it.
      if (entry) chain = chain.then(() => dispose(entry.gan));
    },
  };
}
