"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { Spinner } from "@/app/_components/ConnectionBanner";
import { DigitImage } from "@/app/_components/DigitImage";
import { NOISE_LIMIT, POINTS_PER_FOOLED } from "@/lib/game/forge-rules";
import { DigitPicker } from "@/app/_components/DigitPicker";
import { codeOfNoise, withCode } from "@/lib/gan/latent-code";
import { composeNoise, normalVector, slerp } from "../_lib/directions";
import { DIRECTIONS, ForgeUnavailable, loadForgeModel, type ForgeModel } from "../_lib/forgeEngine";
import type { ForgeResult } from "@/app/_lib/usePlayerRoom";
import type { WaitingForgery } from "@/lib/protocol";

interface Props {
  code: string;
  seatToken: string;
  /** The room's pinned forge snapshot (null until someone needs one: this screen pins it). */
  pinnedStep: number | null;
  /** The teacher's forge phase (no way back to the results until the next round). */
  phase: boolean;
  onSubmit: (noise: Float32Array, step: number) => Promise<ForgeResult>;
  /** This student's forgery still waiting for a round (shown after a reload, too). */
  waiting?: WaitingForgery | null;
  onClose?: () => void;
}

/** A finished load, tagged with the pinned step it was for. */
type Load =
  | { state: "ready"; model: ForgeModel; for: number | null }
  | { state: "error"; message: string; for: number | null };

interface Frame {
  image: Uint8Array;
  suspicion: number;
  ms: number;
  seq: number;
}

const SLIDER_MAX = 3;

/** The student's forge: the digit big, the police's live verdict, sliders, favourites, submit. */
export function ForgeScreen({
  code,
  seatToken,
  pinnedStep,
  phase,
  onSubmit,
  waiting = null,
  onClose,
}: Props) {
  const [loaded, setLoaded] = useState<Load | null>(null);
  const [anchor, setAnchor] = useState<Float32Array | null>(null);
  const [offsets, setOffsets] = useState<number[]>(() => new Array(DIRECTIONS).fill(0));
  const [favourites, setFavourites] = useState<{ a: Float32Array | null; b: Float32Array | null }>({
    a: null,
    b: null,
  });
  const [thumbs, setThumbs] = useState<{ a: Uint8Array | null; b: Uint8Array | null }>({
    a: null,
    b: null,
  });
  const [blend, setBlend] = useState(0);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [sent, setSent] = useState<ForgeResult | null>(null);
  const [sending, setSending] = useState(false);
  const seq = useRef(0);
  const pending = useRef<number | null>(null);

  // The load in hand, unless the room pinned another snapshot since (then: load again).
  const load =
    loaded === null
      ? null
      : loaded.state === "ready"
        ? pinnedStep === null || loaded.model.step === pinnedStep
          ? loaded
          : null
        : loaded.for === pinnedStep
          ? loaded
          : null;
  const stale = load === null;
  useEffect(() => {
    if (!stale) return;
    let cancelled = false;
    loadForgeModel(code, seatToken).then(
      (model) => {
        if (cancelled) return model.dispose();
        setLoaded({ state: "ready", model, for: pinnedStep });
        setAnchor((a) =>
          a && a.length === model.latentDim ? a : normalVector(model.latentDim, Math.random),
        );
        setSent(null);
      },
      (err: unknown) => {
        if (cancelled) return;
        setLoaded({
          state: "error",
          for: pinnedStep,
          message:
            err instanceof ForgeUnavailable
              ? err.message
              : "This phone could not load the counterfeiter. Try reloading the page.",
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [code, seatToken, pinnedStep, stale]);

  const model = load?.state === "ready" ? load.model : null;
  useEffect(() => {
    if (!model) return;
    return () => model.dispose();
  }, [model]);

  const z = model && anchor ? composeNoise(anchor, model.directions, offsets, NOISE_LIMIT) : null;
  const zKey = z ? z.join(",") : "";

  // One redraw per animation frame, newest z wins: dragging a slider never queues up work.
  useEffect(() => {
    if (!model || !z) return;
    if (pending.current !== null) cancelAnimationFrame(pending.current);
    pending.current = requestAnimationFrame(() => {
      pending.current = null;
      const drawn = model.render(z);
      setFrame({ ...drawn, seq: ++seq.current });
    });
    // zKey stands for z's values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, zKey]);

  const shuffle = useCallback(() => {
    if (!model) return;
    setAnchor(normalVector(model.latentDim, Math.random));
    setOffsets(new Array(DIRECTIONS).fill(0));
  }, [model]);

  const save = (slot: "a" | "b") => {
    if (!z || !frame) return;
    setFavourites((f) => ({ ...f, [slot]: z }));
    setThumbs((t) => ({ ...t, [slot]: frame.image }));
  };

  const moveBlend = (t: number) => {
    setBlend(t);
    if (!favourites.a || !favourites.b) return;
    setAnchor(slerp(favourites.a, favourites.b, t));
    setOffsets(new Array(DIRECTIONS).fill(0));
  };

  const submit = async () => {
    if (!model || !z) return;
    setSending(true);
    const res = await onSubmit(z, model.step);
    setSending(false);
    setSent(res);
  };

  if (load === null) {
    return (
      <section
        className="flex flex-1 flex-col items-center justify-center gap-3 text-center"
        aria-live="polite"
      >
        <h1 className="text-3xl font-black">The forge</h1>
        <p className="flex items-center gap-2 text-lg text-slate-600">
          <Spinner /> Loading the counterfeiter onto your phone…
        </p>
      </section>
    );
  }
  if (load.state === "error") {
    return (
      <section
        className="flex flex-1 flex-col items-center justify-center gap-3 text-center"
        aria-live="polite"
      >
        <h1 className="text-3xl font-black">The forge</h1>
        <p className="text-lg text-slate-600">{load.message}</p>
        {onClose ? <BackButton onClose={onClose} /> : null}
      </section>
    );
  }

  const ready = load.model;
  // The last reply on this screen, else the forgery the server says is still waiting.
  const status: ForgeResult | null =
    sent ??
    (waiting
      ? { ok: true, image: waiting.image, suspicion: waiting.suspicion, replaced: false }
      : null);
  const real = frame ? frame.suspicion : null;
  return (
    <section className="flex flex-col gap-4" aria-label="The forge" data-testid="forge">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-black">Forge a fake</h1>
          <p className="text-sm text-slate-600">
            {phase ? "The teacher opened the forge. " : ""}Each classmate who calls your digit real
            earns you {POINTS_PER_FOOLED} points.
          </p>
        </div>
        {onClose && !phase ? <BackButton onClose={onClose} /> : null}
      </div>

      <div className="flex items-stretch gap-3">
        <div
          className="w-44 shrink-0 overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200"
          data-testid="forge-digit"
          data-frame={frame?.seq ?? 0}
        >
          {frame ? (
            <DigitImage image={frame.image} alt="Your forged digit" />
          ) : (
            <div className="aspect-square bg-slate-50" />
          )}
        </div>
        <SuspicionMeter real={real} />
      </div>

      {ready.namesDigits && z ? (
        <DigitPicker
          current={codeOfNoise(z, ready.categories)}
          count={ready.categories}
          onPick={(digit) =>
            setAnchor((a) => (a ? withCode(a, digit, ready.categories, NOISE_LIMIT) : a))
          }
        />
      ) : null}

      <fieldset className="flex flex-col gap-1.5 rounded-2xl bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <legend className="sr-only">Move through the noise</legend>
        {ready.directions.map((_, k) => (
          <label key={k} className="flex items-center gap-3 text-sm">
            <span className="w-16 shrink-0 font-semibold text-slate-700">Dial {k + 1}</span>
            <input
              type="range"
              min={-SLIDER_MAX}
              max={SLIDER_MAX}
              step={0.05}
              value={offsets[k] ?? 0}
              aria-label={`Dial ${k + 1}`}
              data-testid={`forge-dial-${k}`}
              onChange={(e) => {
                const next = offsets.slice();
                next[k] = Number(e.target.value);
                setOffsets(next);
              }}
              className="h-8 flex-1 accent-indigo-600"
            />
          </label>
        ))}
        <div className="mt-1 grid grid-cols-3 gap-2">
          <button type="button" onClick={shuffle} className={secondary} data-testid="forge-shuffle">
            Shuffle
          </button>
          <button type="button" onClick={() => save("a")} className={secondary}>
            Keep as A
          </button>
          <button type="button" onClick={() => save("b")} className={secondary}>
            Keep as B
          </button>
        </div>
      </fieldset>

      <div className="flex items-center gap-2 rounded-2xl bg-white p-3 shadow-sm ring-1 ring-slate-200">
        <Thumb image={thumbs.a} label="A" />
        <label className="flex flex-1 flex-col text-center text-xs font-semibold text-slate-600">
          Blend A → B
          <input
            type="range"
            min={0}
            max={1}
            step={0.02}
            value={blend}
            disabled={!favourites.a || !favourites.b}
            onChange={(e) => moveBlend(Number(e.target.value))}
            aria-label="Blend between favourites A and B"
            className="h-8 accent-indigo-600 disabled:opacity-40"
          />
          {!favourites.a || !favourites.b ? "Keep two favourites to blend them" : null}
        </label>
        <Thumb image={thumbs.b} label="B" />
      </div>

      <button
        type="button"
        onClick={() => void submit()}
        disabled={sending || !frame}
        data-testid="forge-submit"
        className="flex items-center justify-center gap-2 rounded-2xl bg-fake px-5 py-4 text-xl font-bold text-white shadow-md transition hover:brightness-110 disabled:opacity-60"
      >
        {sending ? <Spinner className="border-white" /> : null}
        {status?.ok ? "Submit this one instead" : "Submit my forgery"}
      </button>
      {status ? (
        <p
          role="status"
          data-testid="forge-status"
          className={`flex items-center gap-3 rounded-xl p-3 text-sm font-semibold ${status.ok ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800"}`}
        >
          {status.ok ? (
            <>
              <span className="w-12 shrink-0 overflow-hidden rounded-md ring-1 ring-emerald-200">
                <DigitImage image={status.image} alt="The forgery the server drew" />
              </span>
              Submitted! It will hide among the next round&apos;s digits. Your latest one counts.
            </>
          ) : (
            status.message
          )}
        </p>
      ) : null}
      <p className="text-center text-xs text-slate-400" data-testid="forge-timing">
        Drawn on this phone ({ready.backend}){frame ? ` in ${Math.round(frame.ms)} ms` : ""} ·
        counterfeiter of step {ready.step}
      </p>
    </section>
  );
}

const secondary =
  "rounded-xl border-2 border-slate-300 bg-white px-2 py-2.5 text-sm font-bold text-slate-800 hover:bg-slate-50";

function BackButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" onClick={onClose} className={secondary}>
      Results
    </button>
  );
}

function Thumb({ image, label }: { image: Uint8Array | null; label: string }) {
  return (
    <div className="flex w-12 shrink-0 flex-col items-center gap-0.5 text-xs font-bold text-slate-500">
      <div className="w-12 overflow-hidden rounded-md ring-1 ring-slate-200">
        {image ? (
          <DigitImage image={image} alt={`Favourite ${label}`} />
        ) : (
          <div className="aspect-square bg-slate-50" />
        )}
      </div>
      {label}
    </div>
  );
}

/** D's P(real) as a bar: how far the police is fooled. */
function SuspicionMeter({ real }: { real: number | null }) {
  // Floored, so "50%" always means the police's verdict is "real" (P ≥ 0.5), as in the round.
  const pct = real === null ? null : Math.floor(real * 100);
  const fooled = real !== null && real >= 0.5;
  return (
    <div
      className="flex min-w-0 flex-1 flex-col justify-center gap-2 rounded-2xl bg-slate-900 p-3 text-white"
      aria-live="polite"
    >
      <p className="text-xs font-semibold tracking-wide text-slate-300 uppercase">
        The police says
      </p>
      <p className="text-3xl font-black tabular-nums" data-testid="forge-suspicion">
        {pct === null ? "…" : `${pct}%`}
        <span className="ml-1 text-base font-semibold text-slate-300">real</span>
      </p>
      <div className="h-3 overflow-hidden rounded-full bg-white/15" aria-hidden>
        <div
          className={`h-full rounded-full transition-[width] duration-75 ${fooled ? "bg-emerald-400" : "bg-fake"}`}
          style={{ width: `${pct ?? 0}%` }}
        />
      </div>
      <p className={`text-sm font-bold ${fooled ? "text-emerald-300" : "text-orange-300"}`}>
        {real === null ? "" : fooled ? "Fooled! It passes as real" : "Caught: looks fake"}
      </p>
    </div>
  );
}
