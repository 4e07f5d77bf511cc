"use client";

import { useEffect, useRef, useState } from "react";
import { MAX_DRAWN, type LabConfig } from "@/lib/lab/config";
import { PLANE } from "@/lib/lab/targets";
import { quantizePoints } from "@/lib/lab/url";
import { COLORS, mapColor, type Layers } from "../_lib/draw";
import type { LabEngine, LabSnapshot } from "../_lib/engine";

const LAYER_LABELS: { key: keyof Layers; label: string; swatch: React.ReactNode }[] = [
  {
    key: "real",
    label: "Real points",
    swatch: <span className="size-3 rounded-full" style={{ background: COLORS.real }} />,
  },
  {
    key: "generated",
    label: "Generated points",
    swatch: <span className="size-3 border border-white" style={{ background: COLORS.fake }} />,
  },
  {
    key: "map",
    label: "D's P(real)",
    swatch: (
      <span
        className="h-3 w-8 rounded-sm"
        style={{
          background: `linear-gradient(to right, ${[0, 0.5, 1].map((p) => `rgb(${mapColor(p).join(",")})`).join(",")})`,
        }}
      />
    ),
  },
  {
    key: "manifold",
    label: "G's noise grid",
    swatch: <span className="h-3 w-4 border border-slate-400 [border-style:dashed]" />,
  },
  { key: "arrows", label: "G's next move", swatch: <span aria-hidden>→</span> },
];

/** The canvas, its legend (which doubles as layer switches) and the drawing tools. */
export function PlaneView({
  engine,
  snap,
  config,
  projector,
  onDrawn,
}: {
  engine: LabEngine;
  snap: LabSnapshot;
  config: LabConfig;
  projector: boolean;
  onDrawn: (points: number[]) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(0);
  const [layers, setLayers] = useState<Layers>({
    map: true,
    real: true,
    generated: true,
    manifold: true,
    arrows: true,
  });
  const [drawingRequested, setDrawingRequested] = useState(false);
  const drawnCount = snap.drawnCount ?? 0;
  const pointerDown = useRef(false);
  const drawing = drawingRequested || snap.status === "needsDrawing";

  // A square as wide as the column (in projector mode: as tall as the screen allows).
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const w = el.clientWidth;
      // Normal mode: the whole plane fits on screen below the sticky controls.
      const limit = projector ? window.innerHeight - 110 : Math.min(760, window.innerHeight - 170);
      setSize(Math.max(200, Math.floor(Math.min(w, limit))));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    window.addEventListener("resize", measure);
    return () => {
      ro.disconnect();
      window.removeEventListener("resize", measure);
    };
  }, [projector]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || size === 0) return;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    c.width = Math.round(size * dpr);
    c.height = Math.round(size * dpr);
    engine.setCanvas(c);
    engine.redraw();
    return () => engine.setCanvas(null);
  }, [engine, size]);

  useEffect(() => engine.setLayers(layers), [engine, layers]);

  useEffect(() => {
    if (!drawing) return;
    engine.beginDrawing(config.target === "custom" ? config.drawn : []);
    // Entering draw mode only; later config changes must not wipe a drawing in progress.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawing, engine]);

  const toPlane = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    const span = PLANE.max - PLANE.min;
    return [
      PLANE.min + ((e.clientX - r.left) / r.width) * span,
      PLANE.max - ((e.clientY - r.top) / r.height) * span,
    ];
  };
  const add = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (drawnCount >= MAX_DRAWN) return;
    const [x, y] = toPlane(e);
    engine.addDrawnPoint(x, y);
  };
  const finish = () => {
    const pts = engine.endDrawing();
    setDrawingRequested(false);
    if (pts.length >= 2) onDrawn(quantizePoints(pts));
  };

  const summary =
    snap.status === "ready"
      ? `Plane after ${snap.gSteps} G steps and ${snap.dSteps} D steps. Jensen–Shannon divergence ${snap.js?.toFixed(2) ?? "unknown"} bits.`
      : "Plane for drawing real points.";

  return (
    <div className="flex flex-col gap-3">
      <div ref={box} className="flex w-full justify-center">
        <canvas
          ref={canvas}
          role="img"
          aria-label={summary}
          data-testid="lab-plane"
          data-status={snap.status}
          data-playing={snap.playing ? "1" : "0"}
          data-dsteps={snap.dSteps}
          data-gsteps={snap.gSteps}
          data-map={snap.mapHash}
          data-points={snap.pointsHash}
          data-js={snap.js ?? ""}
          data-fps={snap.fps.toFixed(1)}
          data-steps-per-second={snap.stepsPerSecond.toFixed(1)}
          data-ms-train={snap.timing.train.toFixed(1)}
          data-ms-view={snap.timing.view.toFixed(1)}
          data-ms-draw={snap.timing.draw.toFixed(1)}
          style={{ width: size, height: size, touchAction: drawing ? "none" : "auto" }}
          className={`rounded-xl border ${projector ? "border-slate-700" : "border-slate-200"} ${drawing ? "cursor-crosshair ring-4 ring-indigo-300" : ""}`}
          onPointerDown={(e) => {
            if (!drawing) return;
            pointerDown.current = true;
            e.currentTarget.setPointerCapture(e.pointerId);
            add(e);
          }}
          onPointerMove={(e) => {
            if (drawing && pointerDown.current) add(e);
          }}
          onPointerUp={() => {
            pointerDown.current = false;
          }}
          onPointerCancel={() => {
            pointerDown.current = false;
          }}
        />
      </div>

      {(drawing || config.target === "custom") && !projector && (
        <div className="flex flex-wrap items-center gap-2 rounded-xl bg-indigo-50 p-3 text-sm text-indigo-950">
          {drawing ? (
            <>
              <span className="flex-1">
                Paint the real data with the mouse or a finger: {drawnCount} of {MAX_DRAWN} points.
              </span>
              <button
                type="button"
                onClick={() => engine.beginDrawing([])}
                className="rounded-lg px-3 py-1.5 font-semibold hover:bg-indigo-100"
              >
                Clear
              </button>
              <button
                type="button"
                onClick={finish}
                disabled={drawnCount === 0}
                className="rounded-lg bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
              >
                Train on these points
              </button>
            </>
          ) : (
            <>
              <span className="flex-1">
                Your own distribution: {config.drawn.length / 2} points.
              </span>
              <button
                type="button"
                onClick={() => setDrawingRequested(true)}
                className="rounded-lg bg-white px-3 py-1.5 font-semibold shadow-sm hover:bg-indigo-100"
              >
                Draw again
              </button>
            </>
          )}
        </div>
      )}

      <fieldset
        className={`flex flex-wrap gap-2 text-sm ${projector ? "justify-center text-slate-200" : "text-slate-700"}`}
      >
        <legend className="sr-only">Show on the plane</legend>
        {LAYER_LABELS.map(({ key, label, swatch }) => (
          <label
            key={key}
            className={`flex cursor-pointer items-center gap-2 rounded-full border px-3 py-1 select-none has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-indigo-400 ${
              layers[key]
                ? projector
                  ? "border-slate-500 bg-slate-800"
                  : "border-slate-300 bg-white"
                : "border-transparent opacity-50"
            }`}
          >
            <input
              type="checkbox"
              className="sr-only"
              checked={layers[key]}
              onChange={(e) => setLayers((l) => ({ ...l, [key]: e.target.checked }))}
            />
            <span className="flex items-center" aria-hidden>
              {swatch}
            </span>
            {label}
          </label>
        ))}
        {snap.meanPull !== null && (
          <span
            className={`flex items-center px-2 tabular-nums ${projector ? "text-slate-400" : "text-slate-500"}`}
            title="Mean length of the gradient that moves the generated points"
          >
            mean pull {formatPull(snap.meanPull)}
          </span>
        )}
      </fieldset>
    </div>
  );
}

function formatPull(v: number): string {
  if (v === 0) return "0";
  if (v >= 0.01) return v.toFixed(2);
  return v.toExponential(0);
}
