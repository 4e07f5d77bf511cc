// The lab's training loop on the page's main thread (tiny MLPs: the tfjs cpu backend takes a few
// milliseconds a step, less than a worker round trip would cost to ship every frame's picture).
// Each animation frame trains for a fixed time budget, then recomputes and redraws the plane, so
// rendering never starves training and training never freezes the page. React subscribes to a
// snapshot published a few times a second; it never calls the training functions.
import * as tf from "@tensorflow/tfjs-core";
import { needsReset, type LabConfig } from "@/lib/lab/config";
import {
  appendCurves,
  appendDivergence,
  emptyCurves,
  type Curves,
  type DivergencePoint,
} from "@/lib/lab/history";
import {
  createLab,
  disposeLab,
  labDStep,
  labGStep,
  updateLab,
  type Lab,
  type LabDStats,
} from "@/lib/lab/train";
import {
  decisionMap,
  drawSamples,
  generatePoints,
  generatorPull,
  labDivergence,
  manifoldNoise,
  meanLength,
  type LabSamples,
} from "@/lib/lab/view";
import { drawPlane, type Layers, type PlaneFrame } from "./draw";
import { FrameMeter } from "./meter";
import {
  EMPTY_SNAPSHOT,
  fingerprint,
  type LabBackend,
  type LabSnapshot,
  type StepKind,
} from "./snapshot";

export type { LabBackend, LabSnapshot, StepKind } from "./snapshot";

export const MAP_RES = 32;
export const MANIFOLD_RES = 15;
/** Training time per animation frame while playing at full speed. */
export const TRAIN_BUDGET_MS = 12;
/** Slow motion: one single D or G step this often, each one drawn. */
export const SLOW_STEP_MS = 700;
const PUBLISH_MS = 250;

export class LabEngine {
  private snapshot: LabSnapshot = EMPTY_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private lab: Lab | null = null;
  private samples: LabSamples | null = null;
  private config: LabConfig | null = null;
  private frame: PlaneFrame | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private layers: Layers = {
    map: true,
    real: true,
    generated: true,
    manifold: true,
    arrows: true,
  };
  private drawing: number[] | null = null;
  private raf: number | null = null;
  private playing = false;
  private dirty = true;
  /** At full speed the map and the arrows are recomputed on alternate frames. */
  private mapTurn = true;
  private curves: Curves = emptyCurves();
  private divergence: DivergencePoint[] = [];
  private lastD: LabDStats | null = null;
  private lastG: number | null = null;
  private lastAction: StepKind | null = null;
  private slowQueue: StepKind[] = [];
  private lastSlowAt = 0;
  private lastPublish = 0;
  private js: number | null = null;
  private jsAtStep = -1;
  private readonly meter = new FrameMeter();
  private backend: LabBackend | null = null;
  private disposed = false;

  constructor(private readonly wantBackend: LabBackend = "cpu") {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): LabSnapshot => this.snapshot;

  async start(): Promise<void> {
    // React's development mode mounts twice: start, dispose, start again.
    this.disposed = false;
    try {
      if (this.wantBackend === "webgl") await import("@tensorflow/tfjs-backend-webgl");
      else await import("@tensorflow/tfjs-backend-cpu");
      const ok = await tf.setBackend(this.wantBackend);
      if (!ok) throw new Error(`the ${this.wantBackend} backend is not available here`);
      await tf.ready();
      this.backend = this.wantBackend;
    } catch (e) {
      this.fail(e);
      return;
    }
    if (this.disposed) return;
    if (this.config) this.rebuild(this.config);
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    this.raf = requestAnimationFrame(this.tick);
  }

  dispose(): void {
    this.disposed = true;
    if (this.raf !== null) cancelAnimationFrame(this.raf);
    this.raf = null;
    this.playing = false;
    if (this.lab) disposeLab(this.lab);
    this.lab = null;
  }

  setCanvas(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    this.dirty = true;
  }

  /** The canvas changed size (or the layers): draw again without recomputing. */
  redraw(): void {
    this.draw();
  }

  setLayers(layers: Layers): void {
    this.layers = layers;
    this.draw();
  }

  setConfig(cfg: LabConfig): void {
    const old = this.config;
    this.config = cfg;
    if (!this.backend) return;
    if (!this.lab || !old || needsReset(old, cfg)) this.rebuild(cfg);
    else {
      updateLab(this.lab, cfg);
      if (!cfg.slowMotion) this.slowQueue = [];
      this.publish(true);
    }
  }

  /** Fresh networks from the config's seed. */
  reset(): void {
    if (this.config && this.backend) this.rebuild(this.config);
  }

  play(): void {
    if (!this.lab) return;
    this.playing = true;
    this.lastSlowAt = 0;
    this.publish(true);
  }

  pause(): void {
    this.playing = false;
    this.slowQueue = [];
    this.publish(true);
  }

  /** Exactly one D or G step (pauses first), then a fresh picture. */
  step(kind: StepKind): void {
    if (!this.lab) return;
    this.playing = false;
    this.slowQueue = [];
    this.single(kind);
    this.jsAtStep = -1;
    this.refresh();
    this.publish(true);
  }

  /** Draw mode: the points being drawn replace the picture until `endDrawing`. */
  beginDrawing(initial: readonly number[]): void {
    this.pause();
    this.drawing = [...initial];
    this.draw();
    this.emitDrawing();
  }

  addDrawnPoint(x: number, y: number): number {
    if (!this.drawing) return 0;
    const d = this.drawing;
    const last = d.length >= 2 ? Math.hypot(d[d.length - 2]! - x, d[d.length - 1]! - y) : Infinity;
    if (last > 0.025) d.push(x, y);
    this.draw();
    this.emitDrawing();
    return d.length / 2;
  }

  endDrawing(): number[] {
    const d = this.drawing ?? [];
    this.drawing = null;
    this.dirty = true;
    this.draw();
    this.emitDrawing();
    return d;
  }

  private emitDrawing(): void {
    const drawnCount = this.drawing ? this.drawing.length / 2 : null;
    if (this.snapshot.drawnCount === drawnCount) return;
    this.snapshot = { ...this.snapshot, drawnCount };
    this.emit();
  }

  private rebuild(cfg: LabConfig): void {
    if (this.lab) disposeLab(this.lab);
    this.lab = null;
    this.samples = null;
    this.frame = null;
    this.curves = emptyCurves();
    this.divergence = [];
    this.lastD = null;
    this.lastG = null;
    this.lastAction = null;
    this.js = null;
    this.jsAtStep = -1;
    this.slowQueue = [];
    if (cfg.target === "custom" && cfg.drawn.length < 2) {
      this.playing = false;
      this.snapshot = {
        ...EMPTY_SNAPSHOT,
        status: "needsDrawing",
        backend: this.backend,
        drawnCount: this.drawing ? this.drawing.length / 2 : null,
      };
      this.draw();
      this.emit();
      return;
    }
    try {
      this.lab = createLab(cfg);
      this.samples = drawSamples(this.lab);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.refresh();
    this.publish(true);
  }

  private fail(e: unknown): void {
    this.playing = false;
    const message = e instanceof Error ? e.message : String(e);
    this.snapshot = { ...this.snapshot, status: "error", error: message };
    this.emit();
  }

  private single(kind: StepKind): void {
    const lab = this.lab!;
    if (kind === "D") this.lastD = labDStep(lab);
    else {
      this.lastG = labGStep(lab).loss;
      if (this.lastD) appendCurves(this.curves, lab.gSteps, this.lastD.loss, this.lastG);
      this.meter.countStep();
    }
    this.lastAction = kind;
  }

  private tick = (now: number): void => {
    this.raf = requestAnimationFrame(this.tick);
    const lab = this.lab;
    if (!lab) return;
    let trained = false;
    let fullSpeed = false;
    if (this.playing) {
      try {
        if (lab.config.slowMotion) {
          if (now - this.lastSlowAt >= SLOW_STEP_MS) {
            this.lastSlowAt = now;
            if (this.slowQueue.length === 0) {
              this.slowQueue = [...Array<StepKind>(lab.config.dStepsPerGStep).fill("D"), "G"];
            }
            this.single(this.slowQueue.shift()!);
            trained = true;
          }
        } else {
          const start = performance.now();
          do {
            for (let i = 0; i < lab.config.dStepsPerGStep; i++) this.single("D");
            this.single("G");
          } while (performance.now() - start < TRAIN_BUDGET_MS);
          this.meter.add("train", performance.now() - start);
          this.lastAction = null;
          trained = true;
          fullSpeed = true;
        }
      } catch (e) {
        this.fail(e);
        return;
      }
    }
    if (trained || this.dirty) {
      // The two costliest parts (D over the grid, gradients through D) share the frames: each
      // is at most one frame old, and training keeps more of the time.
      this.refresh(fullSpeed && !this.dirty ? (this.mapTurn ? "map" : "pull") : "all");
      this.mapTurn = !this.mapTurn;
      this.meter.countFrame();
    }
    this.meter.tick(now);
    if (this.playing) this.publish(false);
  };

  /** Recomputes the picture from the networks (all of it, or all but the map or the arrows). */
  private refresh(part: "all" | "map" | "pull" = "all"): void {
    const lab = this.lab;
    const samples = this.samples;
    if (!lab || !samples) return;
    const start = performance.now();
    const points = generatePoints(lab, samples.viewNoise);
    const dim1 = lab.config.noiseDim === 1;
    const res = dim1 ? MANIFOLD_RES * 4 : MANIFOLD_RES;
    const old = this.frame;
    this.frame = {
      map: part !== "pull" || !old ? decisionMap(lab, MAP_RES) : old.map,
      mapRes: MAP_RES,
      real: samples.real,
      points,
      pull: part !== "map" || !old ? generatorPull(lab, points) : old.pull,
      manifold: generatePoints(lab, manifoldNoise(lab.config.noiseDim, res)),
      manifoldRes: res,
      manifoldIsCurve: dim1,
    };
    this.dirty = false;
    this.meter.add("view", performance.now() - start);
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const start = performance.now();
    drawPlane(canvas, {
      frame: this.drawing ? null : this.frame,
      layers: this.layers,
      drawing: this.drawing,
      banner: this.playing && this.lab?.config.slowMotion ? this.lastAction : null,
    });
    this.meter.add("draw", performance.now() - start);
  }

  private publish(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastPublish < PUBLISH_MS) return;
    this.lastPublish = now;
    const lab = this.lab;
    if (!lab || !this.samples) return;
    // The divergence costs a pass of G over 2,000 noise vectors: once per publish at most.
    const stepKey = lab.gSteps * 1e6 + lab.dSteps;
    if (this.jsAtStep !== stepKey) {
      this.jsAtStep = stepKey;
      this.js = labDivergence(lab, this.samples);
      const last = this.divergence[this.divergence.length - 1];
      if (!last || last.step !== lab.gSteps) {
        this.divergence = appendDivergence(this.divergence, { step: lab.gSteps, js: this.js });
      } else {
        this.divergence = [...this.divergence.slice(0, -1), { step: lab.gSteps, js: this.js }];
      }
    }
    const f = this.frame;
    this.snapshot = {
      status: "ready",
      error: null,
      backend: this.backend,
      playing: this.playing,
      dSteps: lab.dSteps,
      gSteps: lab.gSteps,
      lastAction: this.lastAction,
      d: this.lastD,
      gLoss: this.lastG,
      js: this.js,
      floor: this.samples.floor,
      meanPull: f && f.pull.length > 0 ? meanLength(f.pull) : null,
      fps: this.playing ? this.meter.fps : 0,
      stepsPerSecond: this.playing ? this.meter.stepsPerSecond : 0,
      timing: this.meter.timing,
      curves: {
        step: [...this.curves.step],
        dLoss: [...this.curves.dLoss],
        gLoss: [...this.curves.gLoss],
      },
      divergence: this.divergence,
      mapHash: f ? fingerprint(f.map) : "",
      pointsHash: f ? fingerprint(f.points) : "",
      drawnCount: this.drawing ? this.drawing.length / 2 : null,
    };
    this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
