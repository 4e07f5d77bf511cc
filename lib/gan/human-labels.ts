// The class's verdicts, kept for training the human critic H: (image, fraction of students who
// said "real") pairs, plus the fakes the class caught, which D may see as extra fakes.
import * as tf from "@tensorflow/tfjs-core";
import { IMAGE_PIXELS } from "./dataset";
import { bytesToTensor } from "./images";
import type { Rng } from "./rng";
import { bceWithLogits, trainCriticStep, type Gan } from "./train";

export interface CriticTraining {
  /** Labelled images held for training H. */
  readonly labelled: number;
  /** Fakes the class caught, held as extra fakes for D. */
  readonly caughtFakes: number;
  /** H's mean BCE on all held labels before and after this round of training. */
  readonly lossBefore: number;
  readonly lossAfter: number;
}

export interface HumanLabelOptions {
  readonly maxLabelled?: number;
  readonly maxCaught?: number;
}

export class HumanLabels {
  private labelled: { image: Uint8Array; fraction: number }[] = [];
  private caught: Uint8Array[] = [];
  private readonly maxLabelled: number;
  private readonly maxCaught: number;

  constructor(opts: HumanLabelOptions = {}) {
    this.maxLabelled = opts.maxLabelled ?? 2048;
    this.maxCaught = opts.maxCaught ?? 512;
  }

  get size(): number {
    return this.labelled.length;
  }
  get caughtCount(): number {
    return this.caught.length;
  }

  /**
   * Adds one round's verdicts: n × 784 image bytes, the fraction who said "real" for each, and
   * optionally which were fakes (a fake most students called fake was caught). Oldest go first.
   */
  add(images: Uint8Array, fractions: readonly number[], fake?: readonly boolean[]): void {
    const n = fractions.length;
    if (n === 0 || images.length !== n * IMAGE_PIXELS) {
      throw new Error(
        `expected ${n} images of 784 bytes for ${n} fractions, got ${images.length} bytes`,
      );
    }
    if (fake && fake.length !== n) throw new Error(`expected ${n} fake flags, got ${fake.length}`);
    fractions.forEach((f, i) => {
      if (!(f >= 0 && f <= 1)) throw new Error(`fractions[${i}]: expected 0…1, got ${f}`);
    });
    for (let i = 0; i < n; i++) {
      const image = images.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      this.labelled.push({ image, fraction: fractions[i]! });
      if (fake?.[i] && fractions[i]! < 0.5) this.caught.push(image);
    }
    this.labelled = this.labelled.slice(-this.maxLabelled);
    this.caught = this.caught.slice(-this.maxCaught);
  }

  /** Up to n caught fakes drawn at random, [m, 28, 28, 1]; undefined when there are none. */
  caughtBatch(n: number, rng: Rng): tf.Tensor4D | undefined {
    const m = Math.min(n, this.caught.length);
    if (m === 0) return undefined;
    const bytes = new Uint8Array(m * IMAGE_PIXELS);
    for (let i = 0; i < m; i++) {
      bytes.set(this.caught[rng.nextInt(this.caught.length)]!, i * IMAGE_PIXELS);
    }
    return bytesToTensor(bytes);
  }

  /** H's mean BCE against all held fractions (NaN when there are none). */
  async criticLoss(gan: Gan): Promise<number> {
    if (this.labelled.length === 0) return NaN;
    const images = concat(this.labelled.map((l) => l.image));
    const loss = tf.tidy(() => {
      const x = bytesToTensor(images);
      const logits = tf.reshape(gan.critic.apply(x, { training: false }) as tf.Tensor, [-1]);
      return tf.mean(bceWithLogits(logits, tf.tensor1d(this.labelled.map((l) => l.fraction))));
    });
    const v = (await loss.data())[0]!;
    loss.dispose();
    return v;
  }

  /** `steps` minibatch updates of H on random held labels, yielding between them. */
  async trainCritic(
    gan: Gan,
    rng: Rng,
    opts: { steps?: number; batchSize?: number; yieldFn?: () => Promise<void> } = {},
  ): Promise<CriticTraining> {
    const lossBefore = await this.criticLoss(gan);
    const batch = Math.min(opts.batchSize ?? 64, this.labelled.length);
    const yieldFn = opts.yieldFn ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
    for (let step = 0; batch > 0 && step < (opts.steps ?? 30); step++) {
      const picked = Array.from(
        { length: batch },
        () => this.labelled[rng.nextInt(this.labelled.length)]!,
      );
      const x = bytesToTensor(concat(picked.map((p) => p.image)));
      trainCriticStep(
        gan,
        x,
        picked.map((p) => p.fraction),
      ).dispose();
      x.dispose();
      await yieldFn();
    }
    const lossAfter = await this.criticLoss(gan);
    return { labelled: this.size, caughtFakes: this.caughtCount, lossBefore, lossAfter };
  }
}

function concat(images: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(images.length * IMAGE_PIXELS);
  images.forEach((im, i) => out.set(im, i * IMAGE_PIXELS));
  return out;
}
