// Messages between the studio and its quality worker (app/studio/_workers/quality.worker.ts),
// which scores generated digits with the bundled MNIST classifier off the main thread.
import type { QualityReport } from "@/lib/gan/quality";

export type QualityRequest =
  | { readonly type: "init"; readonly id: number }
  /** n × 784 bytes of generated digits. */
  | { readonly type: "evaluate"; readonly id: number; readonly images: Uint8Array };

export interface QualityReady {
  readonly backend: string;
  /** The real digits' own scores: what a perfect generator would reach. */
  readonly realInceptionScore: number;
  readonly realFid: number;
  /** Mean pairwise distance between real digits (see meanPairwiseDistance). */
  readonly referenceDiversity: number;
  readonly ms: number;
}

export interface QualityResult {
  readonly report: QualityReport;
  /** Mean pairwise distance between the scored samples. */
  readonly diversity: number;
  readonly ms: number;
}

export type QualityResponse =
  | { readonly type: "ready"; readonly id: number; readonly result: QualityReady }
  | { readonly type: "evaluated"; readonly id: number; readonly result: QualityResult }
  | { readonly type: "error"; readonly id: number; readonly message: string };
