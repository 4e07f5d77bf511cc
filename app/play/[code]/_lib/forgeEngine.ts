// The forge in a student's browser: the room's pinned generator and discriminator, downloaded
// once and run locally, so moving a slider redraws the digit and D's suspicion without the
// network. The backend is chosen by measuring (lib/gan/backend): WebGL on a real GPU, wasm where
// WebGL is software-rendered.
"use client";

import type * as TF from "@tensorflow/tfjs-core";
import type { Gan } from "@/lib/gan/train";
import { codeCategories, codeNamesDigit } from "@/lib/gan/latent-code";
import { gram, topEigenvectors, withoutLeadingRows } from "./directions";

/** Sliders on the generator's main directions. */
export const DIRECTIONS = 6;

export interface ForgeModel {
  readonly step: number;
  readonly latentDim: number;
  readonly backend: string;
  /** Size of the snapshot download and how long it took (ms). */
  readonly download: { readonly bytes: number; readonly ms: number };
  readonly directions: readonly Float32Array[];
  /**
   * K > 0: G reads z's first K entries as a K-way choice (their argmax). With `namesDigits` the
   * choice is the digit it draws (the auxiliary classifier taught it so): the forge offers it.
   */
  readonly categories: number;
  readonly namesDigits: boolean;
  /** G(z) as 784 bytes and D's P(real) for it; `ms` is the time the nets took. */
  render(z: Float32Array): { image: Uint8Array; suspicion: number; ms: number };
  dispose(): void;
}

export class ForgeUnavailable extends Error {
  override name = "ForgeUnavailable";
}

let tfReady: Promise<{ tf: typeof TF; backend: string }> | null = null;

function initTf() {
  tfReady ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    const { initBestBackend, WASM_URL_PATH } = await import("@/lib/gan/backend");
    const report = await initBestBackend({
      candidates: ["webgl", "wasm"],
      probeSteps: 2,
      wasmPath: WASM_URL_PATH,
      log: (m) => console.info(`[forge] ${m}`),
    });
    return { tf, backend: report.backend };
  })();
  return tfReady;
}

/** Main directions from G's first dense layer (and the batch norm after it, if any). */
function mainDirections(gan: Gan, k: number): Float32Array[] {
  const layers = gan.generator.layers;
  const denseAt = layers.findIndex((l) => l.getClassName() === "Dense");
  const dense = layers[denseAt];
  const kernel = dense?.getWeights()[0];
  const dim = gan.config.latentDim;
  if (!kernel || kernel.shape[0] !== dim) return [];
  const units = kernel.shape[1]!;
  const bn = layers.slice(denseAt + 1).find((l) => l.getClassName() === "BatchNormalization");
  let scale: Float32Array | undefined;
  const bnWeights = bn?.getWeights() ?? [];
  if (bnWeights.length === 4 && bnWeights[0]!.size === units) {
    const gamma = bnWeights[0]!.dataSync();
    const variance = bnWeights[3]!.dataSync();
    scale = Float32Array.from(gamma, (g, j) => g / Math.sqrt(variance[j]! + 1e-5));
  }
  // The code's rows move the drawing only through an argmax: the dials leave them alone.
  const weights = withoutLeadingRows(
    kernel.dataSync() as Float32Array,
    units,
    gan.config.latentCategories ?? 0,
  );
  return topEigenvectors(gram(weights, dim, units, scale), dim, k);
}

/** Downloads the room's forge snapshot for this seat and builds the nets. */
export async function loadForgeModel(code: string, seatToken: string): Promise<ForgeModel> {
  const started = performance.now();
  const [res, { tf, backend }] = await Promise.all([
    fetch(`/api/rooms/${encodeURIComponent(code)}/forge`, {
      headers: { Authorization: `Bearer ${seatToken}` },
      cache: "no-store",
    }),
    initTf(),
  ]);
  if (!res.ok) throw new ForgeUnavailable("The forge is not open right now.");
  const bytes = new Uint8Array(await res.arrayBuffer());
  const downloadMs = performance.now() - started;
  const [snap, train, images] = await Promise.all([
    import("@/lib/gan/snapshot"),
    import("@/lib/gan/train"),
    import("@/lib/gan/images"),
  ]);
  const decoded = snap.decodeSnapshot(bytes);
  if (!decoded.nets.G || !decoded.nets.D)
    throw new ForgeUnavailable("This snapshot lacks the generator or the police.");
  const gan = snap.createGanFromSnapshot(decoded);
  const dim = gan.config.latentDim;
  const directions = mainDirections(gan, DIRECTIONS);
  return {
    step: decoded.step,
    latentDim: dim,
    backend,
    download: { bytes: bytes.byteLength, ms: downloadMs },
    directions,
    categories: codeCategories(gan.config),
    namesDigits: codeNamesDigit(gan.config),
    render(z) {
      const t0 = performance.now();
      const [img, p] = tf.tidy(() => {
        const input = tf.tensor2d(z, [1, dim]);
        const drawn = train.generate(gan, input);
        return [drawn, train.discriminate(gan, drawn)] as const;
      });
      const image = images.tensorToBytesSync(img);
      const suspicion = p.dataSync()[0] ?? 0;
      tf.dispose([img, p]);
      return { image, suspicion, ms: performance.now() - t0 };
    },
    dispose() {
      train.dispose(gan);
    },
  };
}
