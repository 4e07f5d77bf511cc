// Sample quality over time: the fixed-noise grid is scored by the classifier in its own worker
// every EVAL_EVERY generator steps; FID feeds the plateau rule that says when to stop.
"use client";

import { useEffect, useRef, useState } from "react";
import { createPlateauDetector, type PlateauState, type QualityReport } from "@/lib/gan/quality";
import type { QualityReady, QualityResponse, QualityResult } from "./qualityProtocol";
import type { Samples } from "./useStudioTrainer";

/** Generator steps between two evaluations. */
export const EVAL_EVERY = 50;

export interface QualityPoint {
  step: number;
  fid: number;
  inceptionScore: number;
}

export interface QualityView {
  /** The studio generation (reset / loaded snapshot) the points belong to. */
  generation: number;
  status: "off" | "loading" | "ready" | "failed";
  reference: QualityReady | null;
  points: QualityPoint[];
  latest: (QualityReport & { step: number; diversity: number }) | null;
  plateau: PlateauState | null;
  error: string | null;
}

const initial: QualityView = {
  generation: 0,
  status: "off",
  reference: null,
  points: [],
  latest: null,
  plateau: null,
  error: null,
};

class QualityClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: QualityResponse) => void>();
  private readonly worker = new Worker(new URL("../_workers/quality.worker.ts", import.meta.url), {
    type: "module",
    name: "gan-quality",
  });
  constructor() {
    this.worker.addEventListener("message", (e: MessageEvent<QualityResponse>) => {
      const cb = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      cb?.(e.data);
    });
  }
  private call<T>(req: { type: "init" } | { type: "evaluate"; images: Uint8Array }): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (r) =>
        r.type === "error" ? reject(new Error(r.message)) : resolve(r.result as T),
      );
      this.worker.postMessage({ ...req, id });
    });
  }
  init = () => this.call<QualityReady>({ type: "init" });
  evaluate = (images: Uint8Array) => this.call<QualityResult>({ type: "evaluate", images });
  terminate = () => this.worker.terminate();
}

export function useQuality(active: boolean, samples: Samples | null, generation: number) {
  const [view, setView] = useState<QualityView>(initial);
  const client = useRef<QualityClient | null>(null);
  const detector = useRef(createPlateauDetector());
  const busy = useRef(false);
  const lastStep = useRef<number | null>(null);

  useEffect(() => {
    if (!active || client.current) return;
    const c = new QualityClient();
    client.current = c;
    setView((v) => ({ ...v, status: "loading" }));
    c.init().then(
      (reference) => setView((v) => ({ ...v, status: "ready", reference })),
      (e: unknown) => setView((v) => ({ ...v, status: "failed", error: String(e) })),
    );
  }, [active]);

  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
    },
    [],
  );

  // A reset or a loaded snapshot starts a new history.
  const generationRef = useRef(generation);
  useEffect(() => {
    if (generationRef.current === generation) return;
    generationRef.current = generation;
    detector.current = createPlateauDetector();
    lastStep.current = null;
  }, [generation]);

  useEffect(() => {
    const c = client.current;
    if (!c || view.status !== "ready" || !samples || busy.current) return;
    const last = lastStep.current;
    if (last !== null && samples.step < last + EVAL_EVERY) return;
    busy.current = true;
    lastStep.current = samples.step;
    const step = samples.step;
    const gen = generation;
    c.evaluate(samples.images)
      .then(({ report, diversity }) => {
        if (gen !== generationRef.current) return;
        const plateau = detector.current.push(step, report.fid);
        setView((v) => ({
          ...v,
          generation: gen,
          points: [
            ...(v.generation === gen ? v.points : []),
            { step, fid: report.fid, inceptionScore: report.inceptionScore },
          ],
          latest: { ...report, step, diversity },
          plateau,
        }));
      })
      .catch((e: unknown) => setView((v) => ({ ...v, error: String(e) })))
      .finally(() => {
        busy.current = false;
      });
  }, [samples, view.status, generation]);

  // Until the new generation's first evaluation, show an empty history.
  return view.generation === generation
    ? view
    : { ...view, points: [], latest: null, plateau: null };
}
