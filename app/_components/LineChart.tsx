"use client";

// A small uPlot wrapper: lines over a shared x axis, resized with its container, with optional
// vertical markers (e.g. "a good time to stop"). Data updates reuse the chart; only a change of
// series rebuilds it.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface LineSeries {
  label: string;
  color: string;
  values: readonly number[];
  /** Dashed line (a second visual cue besides colour). */
  dash?: number[];
  width?: number;
}

export interface ChartMarker {
  x: number;
  label: string;
  color?: string;
}

interface Props {
  x: readonly number[];
  series: LineSeries[];
  xLabel?: string;
  yLabel?: string;
  /** Fixed y range; otherwise fitted to the data. */
  yRange?: [number, number];
  markers?: ChartMarker[];
  height?: number;
  /** Accessible description of what the chart shows now. */
  summary: string;
}

const clean = (v: readonly number[]) => v.map((n) => (Number.isFinite(n) ? n : null));

export function LineChart({
  x,
  series,
  xLabel,
  yLabel,
  yRange,
  markers,
  height = 200,
  summary,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markersRef = useRef<ChartMarker[]>(markers ?? []);
  const shape = series.map((s) => `${s.label}|${s.color}|${s.dash?.join(",") ?? ""}`).join(";");
  const range = yRange?.join(",") ?? "";

  useEffect(() => {
    markersRef.current = markers ?? [];
    plot.current?.redraw(false, false);
  }, [markers]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: false },
        y: yRange ? { range: () => yRange } : { auto: true },
      },
      axes: [
        { label: xLabel, stroke: "#475569", grid: { stroke: "#e2e8f0" }, size: xLabel ? 44 : 30 },
        { label: yLabel, stroke: "#475569", grid: { stroke: "#e2e8f0" }, size: 50 },
      ],
      series: [
        { label: xLabel ?? "x" },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: false },
          spanGaps: true,
        })),
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            const ctx = u.ctx;
            for (const m of markersRef.current) {
              const px = u.valToPos(m.x, "x", true);
              if (!Number.isFinite(px)) continue;
              ctx.save();
              ctx.strokeStyle = m.color ?? "#0f172a";
              ctx.fillStyle = m.color ?? "#0f172a";
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              const w = ctx.measureText(m.label).width;
              const left = px + w + 8 > u.bbox.left + u.bbox.width ? px - w - 6 : px + 6;
              ctx.fillText(m.label, left, u.bbox.top + 14 * devicePixelRatio);
              ctx.restore();
            }
          },
        ],
      },
    };
    const data = [Array.from(x), ...series.map((s) => clean(s.values))] as uPlot.AlignedData;
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the kind of chart changes; data flows through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height, range, xLabel, yLabel]);

  useEffect(() => {
    plot.current?.setData([
      Array.from(x),
      ...series.map((s) => clean(s.values)),
    ] as uPlot.AlignedData);
  }, [x, series]);

  return (
    <figure className="w-full min-w-0">
      <div ref={box} className="w-full min-w-0" aria-hidden />
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
