"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { DigitGrid } from "@/app/_components/DigitImage";
import { download, exportUrls, fetchSnapshot, type SnapshotRef } from "../_lib/api";
import { createGeneratorDrawer, GRID, type GeneratorDrawer } from "../_lib/generator";

const FRAME_MS = 700;
/** The animation shows at most this many steps, evenly spread. */
const MAX_FRAMES = 40;

function frames(snapshots: readonly SnapshotRef[]): number[] {
  const n = snapshots.length;
  if (n <= MAX_FRAMES) return snapshots.map((_, i) => i);
  return Array.from({ length: MAX_FRAMES }, (_, k) => Math.round((k * (n - 1)) / (MAX_FRAMES - 1)));
}

interface Props {
  snapshots: readonly SnapshotRef[];
  secret: string;
  onError(message: string): void;
}

/** Pick a stored step and see its generator draw; or play the steps in order. */
export function SnapshotTimeline({ snapshots, secret, onError }: Props) {
  const drawer = useRef<GeneratorDrawer | null>(null);
  const cache = useRef(new Map<string, Uint8Array>());
  const [index, setIndex] = useState(snapshots.length - 1);
  const [shown, setShown] = useState<{ id: string; pixels: Uint8Array } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const selected = snapshots[index];
  const busy = selected !== undefined && shown?.id !== selected.id && failed !== selected.id;

  useEffect(() => {
    const d = createGeneratorDrawer();
    drawer.current = d;
    return () => d.dispose();
  }, []);

  const pixelsOf = useCallback(
    async (snap: SnapshotRef) => {
      const hit = cache.current.get(snap.id);
      if (hit) return hit;
      const bytes = await fetchSnapshot(snap.id, secret);
      const pixels = await drawer.current!.draw(bytes);
      cache.current.set(snap.id, pixels);
      return pixels;
    },
    [secret],
  );

  // Draw whichever step is selected (by the slider, a button, or the animation).
  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    pixelsOf(selected)
      .then((pixels) => {
        if (!cancelled) setShown({ id: selected.id, pixels });
      })
      .catch((err: unknown) => {
        if (!cancelled) {
          setFailed(selected.id);
          setPlaying(false);
          onError(`Could not draw step ${selected.step}: ${(err as Error).message}`);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [selected, pixelsOf, onError]);

  // The animation advances only after the current frame is drawn, whatever the device's speed.
  useEffect(() => {
    if (!playing || busy || shown?.id !== selected?.id) return;
    const order = frames(snapshots);
    const at = order.findIndex((i) => i >= index);
    const next = order[at + 1];
    const timer = setTimeout(() => {
      if (next === undefined) setPlaying(false);
      else setIndex(next);
    }, FRAME_MS);
    return () => clearTimeout(timer);
  }, [playing, busy, shown, selected, index, snapshots]);

  if (snapshots.length === 0) {
    return (
      <p className="text-slate-600">
        No generator snapshots were stored for this session (the server keeps one a minute while the
        trainer runs).
      </p>
    );
  }

  const play = () => {
    if (playing) return setPlaying(false);
    setIndex(frames(snapshots)[0]!);
    setPlaying(true);
  };
  const exportPng = async () => {
    if (!selected) return;
    setExporting(true);
    try {
      await download(
        exportUrls.png(selected.id, GRID),
        secret,
        `samples-step-${selected.step}.png`,
      );
    } catch (err) {
      onError(`The PNG export failed: ${(err as Error).message}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="grid gap-5 md:grid-cols-[minmax(0,20rem)_1fr] md:items-start">
      <div className="relative mx-auto w-full max-w-xs">
        {shown ? (
          <DigitGrid
            pixels={shown.pixels}
            cols={GRID.cols}
            rows={GRID.count / GRID.cols}
            alt={`${GRID.count} digits drawn by the generator at step ${selected?.step}`}
            className="rounded-lg border border-slate-200"
          />
        ) : (
          <div className="aspect-square w-full animate-pulse rounded-lg bg-slate-100" />
        )}
        {busy ? (
          <span className="absolute top-2 right-2 rounded-full bg-white/90 px-2 py-0.5 text-xs font-semibold text-slate-600 shadow">
            drawing…
          </span>
        ) : null}
      </div>
      <div className="flex min-w-0 flex-col gap-4">
        <p className="text-3xl font-black tabular-nums" aria-live="polite">
          Step {selected?.step.toLocaleString("en")}
          <span className="ml-2 text-base font-semibold text-slate-500">
            snapshot {index + 1} of {snapshots.length}
          </span>
        </p>
        {snapshots.length > 1 ? (
          <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
            Generator step
            <input
              type="range"
              min={0}
              max={snapshots.length - 1}
              value={index}
              onChange={(e) => {
                setPlaying(false);
                setIndex(Number(e.target.value));
              }}
              className="w-full accent-indigo-600"
              aria-valuetext={`step ${selected?.step}`}
            />
          </label>
        ) : null}
        <ol className="flex flex-wrap gap-1.5" aria-label="Stored steps">
          {snapshots.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                onClick={() => {
                  setPlaying(false);
                  setIndex(i);
                }}
                aria-pressed={i === index}
                className={`rounded-lg px-2.5 py-1 font-mono text-sm tabular-nums ${i === index ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200"}`}
              >
                {s.step}
              </button>
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            onClick={play}
            disabled={snapshots.length < 2}
            className="rounded-xl bg-slate-900 px-4 py-2.5 font-semibold text-white hover:bg-slate-700 disabled:opacity-40"
          >
            {playing ? "Stop" : "Watch the counterfeiter learn"}
          </button>
          <button
            type="button"
            onClick={() => void exportPng()}
            disabled={exporting}
            className="rounded-xl border border-slate-300 bg-white px-4 py-2.5 font-semibold hover:bg-slate-50 disabled:opacity-40"
          >
            {exporting ? "Rendering…" : "Download this step as PNG"}
          </button>
        </div>
        <p className="text-sm text-slate-600">
          Every step draws from the same {GRID.count} random seeds, so what changes is only the
          counterfeiter&apos;s skill. Drawn here, in your browser, by that step&apos;s generator.
        </p>
      </div>
    </div>
  );
}
