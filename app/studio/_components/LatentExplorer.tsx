"use client";

import { useEffect, useRef, useState } from "react";
import { DigitGrid, DigitImage } from "@/app/_components/DigitImage";
import { DigitPicker } from "@/app/_components/DigitPicker";
import { codeOfNoise, withCode } from "@/lib/gan/latent-code";
import type { TrainerClient } from "@/app/_lib/trainer-client";
import { Panel } from "./Panel";

const SLIDERS = 6;
const STRIP = 8;
/** How far from zero the digit picker may push a code entry (the sliders' range). */
const CODE_LIMIT = 3;

function randomNormal(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - Math.random();
    const v = Math.random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Mount with key={latentDim}: the noise vectors are drawn once for that size. */
/** Move a few coordinates of z, or walk in a straight line from z_A to z_B, and watch G's output. */
export function LatentExplorer({
  client,
  latentDim,
  categories = 0,
  namesDigits = false,
  refreshKey,
}: {
  client: TrainerClient | null;
  latentDim: number;
  /** G reads z's first `categories` numbers as a choice (0: none); sliders start after them. */
  categories?: number;
  /** The choice is the digit G draws: offer it as ten buttons. */
  namesDigits?: boolean;
  /** Changes when G changes (new samples), so the pictures follow training. */
  refreshKey: number;
}) {
  const [z, setZ] = useState(() => randomNormal(latentDim));
  const [a, setA] = useState(() => randomNormal(latentDim));
  const [b, setB] = useState(() => randomNormal(latentDim));
  const [single, setSingle] = useState<Uint8Array | null>(null);
  const [strip, setStrip] = useState<Uint8Array | null>(null);
  const request = useRef(0);

  useEffect(() => {
    if (!client) return;
    const id = ++request.current;
    const batch = new Float32Array(latentDim * (1 + STRIP));
    batch.set(z, 0);
    for (let k = 0; k < STRIP; k++) {
      const t = k / (STRIP - 1);
      for (let i = 0; i < latentDim; i++)
        batch[(1 + k) * latentDim + i] = (1 - t) * a[i]! + t * b[i]!;
    }
    client.latent(batch).then(
      ({ images }) => {
        if (id !== request.current) return;
        setSingle(images.slice(0, 784));
        setStrip(images.slice(784));
      },
      () => {},
    );
  }, [client, z, a, b, latentDim, refreshKey]);

  return (
    <Panel
      id="latent"
      title="Latent explorer"
      explain={
        namesDigits
          ? `Every drawing starts as a noise vector z. Its first ${categories} numbers only choose which digit G draws (the largest one wins); the rest set the style. Pick a digit, nudge a few style numbers and see what they control; walk in a straight line from one z to another and the drawing morphs — smoothly within a digit, jumping where the choice changes.`
          : "Every drawing starts as a noise vector z. Nudge a few of its numbers and see which features of the digit they control; walk in a straight line from one z to another and the drawing morphs smoothly — G has learned a continuous space of digits."
      }
    >
      <div className="grid gap-6 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <div className="flex flex-col gap-3">
          <div
            className="mx-auto w-40 overflow-hidden rounded-lg border border-slate-200"
            data-testid="latent-single"
          >
            {single ? (
              <DigitImage image={single} alt="The digit G draws from this z" />
            ) : (
              <div className="aspect-square bg-slate-50" />
            )}
          </div>
          {namesDigits ? (
            <DigitPicker
              current={codeOfNoise(z, categories)}
              count={categories}
              onPick={(digit) => setZ(withCode(z, digit, categories, CODE_LIMIT))}
              legend="Which digit G draws"
              verb="Draw"
            />
          ) : null}
          {Array.from(
            { length: Math.max(0, Math.min(SLIDERS, latentDim - categories)) },
            (_, k) => {
              const i = categories + k;
              return (
                <label key={i} className="flex items-center gap-3 text-sm">
                  <span className="w-10 font-mono">z[{i}]</span>
                  <input
                    type="range"
                    min={-3}
                    max={3}
                    step={0.1}
                    value={z[i] ?? 0}
                    onChange={(e) => {
                      const next = z.slice();
                      next[i] = Number(e.target.value);
                      setZ(next);
                    }}
                    className="flex-1 accent-indigo-600"
                  />
                  <span className="w-10 text-right tabular-nums">{(z[i] ?? 0).toFixed(1)}</span>
                </label>
              );
            },
          )}
          <button
            type="button"
            onClick={() => setZ(randomNormal(latentDim))}
            className="self-start rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50"
          >
            New random z
          </button>
        </div>
        <div className="flex flex-col gap-3">
          <p className="text-sm font-semibold text-slate-800">From z_A to z_B in {STRIP} steps</p>
          <div
            className="overflow-hidden rounded-lg border border-slate-200"
            data-testid="latent-strip"
          >
            {strip ? (
              <DigitGrid
                pixels={strip}
                cols={STRIP}
                rows={1}
                alt={`${STRIP} drawings on the straight line from z_A to z_B`}
              />
            ) : (
              <div className="aspect-[8/1] bg-slate-50" />
            )}
          </div>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              onClick={() => setA(randomNormal(latentDim))}
              className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50"
            >
              New z_A
            </button>
            <button
              type="button"
              onClick={() => setB(randomNormal(latentDim))}
              className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50"
            >
              New z_B
            </button>
            <button
              type="button"
              onClick={() => setA(z.slice())}
              className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50"
            >
              Use my z as z_A
            </button>
          </div>
        </div>
      </div>
    </Panel>
  );
}
