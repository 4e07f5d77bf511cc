// Draws a stored generator's digits in this browser: the snapshot's bytes are decoded, loaded into
// one G (reused while the architecture stays the same) and run on a fixed set of latent vectors,
// so every step of the timeline draws the same "people" and the change is the generator's alone.
"use client";

import type * as TF from "@tensorflow/tfjs-core";
import type { Gan } from "@/lib/gan/train";

/** The same seed and count as the PNG export, so the file matches the page. */
export const GRID = { count: 36, cols: 6, seed: 20_240 } as const;

interface Loaded {
  tf: typeof TF;
  gan: Gan;
  architecture: string;
  z: TF.Tensor2D;
}

export interface GeneratorDrawer {
  /** n × 784 bytes drawn by the generator in these snapshot bytes. */
  draw(snapshot: Uint8Array): Promise<Uint8Array>;
  /** Which tfjs backend draws (webgl or cpu). */
  backend(): string | null;
  dispose(): void;
}

async function initTf(): Promise<typeof TF> {
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-webgl");
  await import("@tensorflow/tfjs-backend-cpu");
  // Inference only, a few dozen digits: WebGL when there is one, the cpu backend otherwise.
  const webgl = await tf.setBackend("webgl").catch(() => false);
  if (!webgl) await tf.setBackend("cpu");
  await tf.ready();
  return tf;
}

export function createGeneratorDrawer(): GeneratorDrawer {
  let loaded: Loaded | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  async function drawNow(bytes: Uint8Array): Promise<Uint8Array> {
    const tf = loaded?.tf ?? (await initTf());
    const [snap, train, images, rng] = await Promise.all([
      import("@/lib/gan/snapshot"),
      import("@/lib/gan/train"),
      import("@/lib/gan/images"),
      import("@/lib/gan/rng"),
    ]);
    const decoded = snap.decodeSnapshot(bytes);
    if (!decoded.nets.G) throw new Error("This snapshot holds no generator.");
    if (disposed) throw new Error("The timeline was closed.");
    if (loaded && loaded.architecture === decoded.architectureId) {
      snap.loadSnapshotInto(loaded.gan, decoded, { nets: ["G"] });
    } else {
      if (loaded) {
        train.dispose(loaded.gan);
        loaded.z.dispose();
      }
      const gan = snap.createGanFromSnapshot(decoded);
      const z = rng.normalNoise(GRID.count, gan.config.latentDim, rng.createRng(GRID.seed));
      loaded = { tf, gan, architecture: decoded.architectureId, z };
    }
    const out = train.generate(loaded.gan, loaded.z);
    try {
      return await images.tensorToBytes(out);
    } finally {
      out.dispose();
    }
  }

  return {
    draw(bytes) {
      // One at a time: the nets are shared, so draws must not interleave.
      const job = queue.then(
        () => drawNow(bytes),
        () => drawNow(bytes),
      );
      queue = job.catch(() => undefined);
      return job;
    },
    backend: () => loaded?.tf.getBackend() ?? null,
    dispose() {
      disposed = true;
      void queue.then(() => {
        if (!loaded) return;
        void import("@/lib/gan/train").then((train) => {
          if (!loaded) return;
          train.dispose(loaded.gan);
          loaded.z.dispose();
          loaded = null;
        });
      });
    },
  };
}
