// Draws one picture of the lab on a 2-D canvas: D's P(real) as a colour map, G's manifold, the
// real and generated points, and the pull of G's next step on each generated point.
import { PLANE } from "@/lib/lab/targets";
import type { StepKind } from "./snapshot";

export interface PlaneFrame {
  /** P(real) on a mapRes × mapRes grid, row 0 at the bottom of the plane. */
  readonly map: Float32Array;
  readonly mapRes: number;
  readonly real: Float32Array;
  readonly points: Float32Array;
  /** −∂L_G/∂x per generated point. */
  readonly pull: Float32Array;
  readonly manifold: Float32Array;
  readonly manifoldRes: number;
  readonly manifoldIsCurve: boolean;
}

export interface Layers {
  map: boolean;
  real: boolean;
  generated: boolean;
  manifold: boolean;
  arrows: boolean;
}

export const COLORS = {
  real: "#1d4ed8",
  fake: "#c2410c",
  arrow: "#0f172a",
  manifold: "rgba(15, 23, 42, 0.28)",
} as const;

/** Arrow length in plane units per unit of gradient, and the longest arrow drawn. */
export const ARROW_SCALE = 0.12;
export const ARROW_MAX = 0.15;

const BLUE = [37, 99, 235] as const;
const ORANGE = [234, 88, 12] as const;

/** Pastel diverging colour: orange (sure it is fake) → white (½) → blue (sure it is real). */
export function mapColor(p: number): [number, number, number] {
  const t = Math.min(1, Math.abs(p - 0.5) * 2) * 0.62;
  const c = p >= 0.5 ? BLUE : ORANGE;
  return [
    Math.round(255 + (c[0] - 255) * t),
    Math.round(255 + (c[1] - 255) * t),
    Math.round(255 + (c[2] - 255) * t),
  ];
}

let mapCanvas: HTMLCanvasElement | null = null;

function drawMap(ctx: CanvasRenderingContext2D, frame: PlaneFrame, size: number): void {
  const res = frame.mapRes;
  mapCanvas ??= document.createElement("canvas");
  if (mapCanvas.width !== res) {
    mapCanvas.width = res;
    mapCanvas.height = res;
  }
  const mctx = mapCanvas.getContext("2d")!;
  const img = mctx.createImageData(res, res);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const [R, G, B] = mapColor(frame.map[r * res + c]!);
      // Image rows run top-down; the map's rows bottom-up.
      const o = ((res - 1 - r) * res + c) * 4;
      img.data[o] = R;
      img.data[o + 1] = G;
      img.data[o + 2] = B;
      img.data[o + 3] = 255;
    }
  }
  mctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(mapCanvas, 0, 0, size, size);
}

export function drawPlane(
  canvas: HTMLCanvasElement,
  opts: {
    frame: PlaneFrame | null;
    layers: Layers;
    drawing: readonly number[] | null;
    banner: StepKind | null;
  },
): void {
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const size = canvas.width;
  const dpr = size / Math.max(1, canvas.clientWidth);
  const span = PLANE.max - PLANE.min;
  const px = (x: number) => ((x - PLANE.min) / span) * size;
  const py = (y: number) => ((PLANE.max - y) / span) * size;
  const { frame, layers, drawing } = opts;

  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, size, size);
  if (frame && layers.map) drawMap(ctx, frame, size);

  // Axes through the origin, faint.
  ctx.strokeStyle = "rgba(15, 23, 42, 0.12)";
  ctx.lineWidth = dpr;
  ctx.beginPath();
  ctx.moveTo(px(0), 0);
  ctx.lineTo(px(0), size);
  ctx.moveTo(0, py(0));
  ctx.lineTo(size, py(0));
  ctx.stroke();

  if (drawing) {
    ctx.fillStyle = COLORS.real;
    for (let i = 0; i + 1 < drawing.length; i += 2) {
      ctx.beginPath();
      ctx.arc(px(drawing[i]!), py(drawing[i + 1]!), 3.5 * dpr, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (drawing.length === 0) {
      ctx.fillStyle = "#475569";
      ctx.font = `${16 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = "center";
      ctx.fillText("Draw the real points here", size / 2, size / 2);
    }
    return;
  }
  if (!frame) return;

  if (layers.manifold) drawManifold(ctx, frame, px, py, dpr);

  if (layers.real) {
    ctx.fillStyle = COLORS.real;
    ctx.globalAlpha = 0.8;
    for (let i = 0; i < frame.real.length; i += 2) {
      ctx.beginPath();
      ctx.arc(px(frame.real[i]!), py(frame.real[i + 1]!), 2.6 * dpr, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  if (layers.arrows) {
    ctx.strokeStyle = COLORS.arrow;
    ctx.fillStyle = COLORS.arrow;
    ctx.globalAlpha = 0.65;
    ctx.lineWidth = 1.2 * dpr;
    for (let i = 0; i < frame.points.length; i += 2) {
      const gx = frame.pull[i]!;
      const gy = frame.pull[i + 1]!;
      const norm = Math.hypot(gx, gy);
      if (!(norm > 0)) continue;
      const len = Math.min(ARROW_MAX, norm * ARROW_SCALE);
      const x0 = px(frame.points[i]!);
      const y0 = py(frame.points[i + 1]!);
      const x1 = px(frame.points[i]! + (gx / norm) * len);
      const y1 = py(frame.points[i + 1]! + (gy / norm) * len);
      arrow(ctx, x0, y0, x1, y1, 4 * dpr);
    }
    ctx.globalAlpha = 1;
  }

  if (layers.generated) {
    const s = 5 * dpr;
    ctx.fillStyle = COLORS.fake;
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = dpr;
    for (let i = 0; i < frame.points.length; i += 2) {
      const x = px(frame.points[i]!) - s / 2;
      const y = py(frame.points[i + 1]!) - s / 2;
      ctx.fillRect(x, y, s, s);
      ctx.strokeRect(x, y, s, s);
    }
  }

  if (opts.banner) {
    const text = opts.banner === "D" ? "D step · G frozen" : "G step · D frozen";
    ctx.font = `600 ${15 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = "left";
    const w = ctx.measureText(text).width;
    ctx.fillStyle = opts.banner === "D" ? "rgba(15, 23, 42, 0.85)" : "rgba(194, 65, 12, 0.9)";
    ctx.fillRect(10 * dpr, 10 * dpr, w + 20 * dpr, 28 * dpr);
    ctx.fillStyle = "#ffffff";
    ctx.fillText(text, 20 * dpr, 29 * dpr);
  }
}

function drawManifold(
  ctx: CanvasRenderingContext2D,
  frame: PlaneFrame,
  px: (x: number) => number,
  py: (y: number) => number,
  dpr: number,
): void {
  const m = frame.manifold;
  const res = frame.manifoldRes;
  ctx.strokeStyle = COLORS.manifold;
  ctx.lineWidth = dpr;
  ctx.beginPath();
  if (frame.manifoldIsCurve) {
    for (let i = 0; i < res; i++) {
      const x = px(m[2 * i]!);
      const y = py(m[2 * i + 1]!);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
  } else {
    // Rows and columns of the noise lattice, as G bends them.
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const i = r * res + c;
        const x = px(m[2 * i]!);
        const y = py(m[2 * i + 1]!);
        if (c === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
    }
    for (let c = 0; c < res; c++) {
      for (let r = 0; r < res; r++) {
        const i = r * res + c;
        const x = px(m[2 * i]!);
        const y = py(m[2 * i + 1]!);
        if (r === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
    }
  }
  ctx.stroke();
}

function arrow(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  head: number,
): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  if (len < head) return;
  const a = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a - 0.45), y1 - head * Math.sin(a - 0.45));
  ctx.lineTo(x1 - head * Math.cos(a + 0.45), y1 - head * Math.sin(a + 0.45));
  ctx.closePath();
  ctx.fill();
}
