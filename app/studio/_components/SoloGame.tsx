"use client";

import { useState } from "react";
import { DigitImage } from "@/app/_components/DigitImage";
import { Correctness, VerdictBadge } from "@/app/_components/Verdict";
import type { TrainerClient } from "@/app/_lib/trainer-client";
import type { Digits } from "@/lib/gan/dataset";
import { digitPixels } from "@/lib/gan/dataset";
import {
  buildRound,
  fakeCount,
  ROUND_SIZE,
  scoreRound,
  type RoundResult,
  type SoloItem,
  type Verdict,
} from "../_lib/soloGame";
import { Panel } from "./Panel";

interface Round {
  items: SoloItem[];
  /** D's probabilities, taken when the round was dealt (hidden until the reveal). */
  dProbabilities: Float32Array;
  step: number;
}

function VerdictChoice({
  index,
  value,
  onChange,
  disabled,
}: {
  index: number;
  value: Verdict | null;
  onChange: (v: Verdict) => void;
  disabled: boolean;
}) {
  return (
    <fieldset className="grid grid-cols-2 gap-1" disabled={disabled}>
      <legend className="sr-only">Image {index + 1}: real or fake?</legend>
      {(["real", "fake"] as const).map((v) => {
        const on = value === v;
        const tone =
          v === "real"
            ? on
              ? "bg-real text-white border-real"
              : "border-real/40 text-real"
            : on
              ? "bg-fake text-white border-fake"
              : "border-fake/40 text-fake";
        return (
          <label
            key={v}
            className={`flex cursor-pointer items-center justify-center rounded-lg border-2 py-1.5 text-sm font-bold has-focus-visible:outline-3 has-focus-visible:outline-indigo-400 ${tone}`}
          >
            <input
              type="radio"
              name={`solo-${index}`}
              value={v}
              checked={on}
              onChange={() => onChange(v)}
              className="sr-only"
            />
            {v === "real" ? "Real" : "Fake"}
          </label>
        );
      })}
    </fieldset>
  );
}

/** Ten images, some real and some drawn by G: label them, then compare with D. */
export function SoloGame({
  client,
  digits,
}: {
  client: TrainerClient | null;
  digits: Digits | null;
}) {
  const [round, setRound] = useState<Round | null>(null);
  const [answers, setAnswers] = useState<(Verdict | null)[]>([]);
  const [result, setResult] = useState<RoundResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function deal() {
    if (!client || !digits) return;
    setBusy(true);
    setError(null);
    try {
      const nFake = fakeCount(ROUND_SIZE, Math.random);
      const fakes = await client.generate(nFake);
      const reals = Array.from({ length: ROUND_SIZE - nFake }, () =>
        digitPixels(digits, Math.floor(Math.random() * digits.count)).slice(),
      );
      const items = buildRound(reals, fakes.images, Math.random);
      const all = new Uint8Array(items.length * 784);
      items.forEach((it, i) => all.set(it.image, i * 784));
      const { probabilities } = await client.discriminate(all);
      setRound({ items, dProbabilities: probabilities, step: fakes.step });
      setAnswers(items.map(() => null));
      setResult(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const answered = answers.filter((a) => a !== null).length;
  return (
    <Panel
      id="solo"
      title="Spot the fake: you against your police"
      explain={`${ROUND_SIZE} images, some real handwritten digits and some drawn by your generator. Label each one, then see the truth, what D said (its P(real)), and who spotted more fakes.`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={deal}
          disabled={busy || !client || !digits}
          className="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
          data-testid="solo-deal"
        >
          {round ? "New round" : "Deal 10 images"}
        </button>
        {round && !result && (
          <>
            <button
              type="button"
              disabled={answered < round.items.length}
              onClick={() => setResult(scoreRound(round.items, answers, round.dProbabilities))}
              className="rounded-lg bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700 disabled:opacity-50"
            >
              Reveal
            </button>
            <span className="text-sm text-slate-600">
              {answered}/{round.items.length} labelled · fakes from step {round.step}
            </span>
          </>
        )}
        {error && (
          <p role="alert" className="text-sm text-rose-700">
            {error}
          </p>
        )}
      </div>
      {result && (
        <div
          role="status"
          className="grid grid-cols-2 gap-3 text-center"
          data-testid="solo-score"
          data-you={result.youCorrect}
          data-d={result.dCorrect}
          data-total={result.total}
        >
          <div className="rounded-xl bg-indigo-50 p-3">
            <p className="text-sm text-slate-600">You</p>
            <p className="text-3xl font-black tabular-nums">
              {result.youCorrect}/{result.total}
            </p>
          </div>
          <div className="rounded-xl bg-slate-100 p-3">
            <p className="text-sm text-slate-600">The police (D)</p>
            <p className="text-3xl font-black tabular-nums">
              {result.dCorrect}/{result.total}
            </p>
          </div>
          <p className="col-span-2 text-sm text-slate-700">
            {result.youCorrect > result.dCorrect
              ? "You beat your police!"
              : result.youCorrect === result.dCorrect
                ? "A draw with your police."
                : "Your police spotted more. Train longer and the counterfeiter fools both of you."}
          </p>
        </div>
      )}
      {round && (
        <ol
          className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5"
          data-testid="solo-items"
        >
          {round.items.map((item, i) => {
            const r = result?.items[i];
            return (
              <li
                key={i}
                className="flex flex-col gap-2 rounded-xl border border-slate-200 p-2"
                data-testid="solo-item"
                {...(r
                  ? {
                      "data-truth": r.truth,
                      "data-d-verdict": r.dVerdict,
                      "data-d-probability": String(r.dProbability),
                    }
                  : {})}
              >
                <div className="overflow-hidden rounded-lg border border-slate-100">
                  <DigitImage image={item.image} alt={`Image ${i + 1}`} />
                </div>
                {r ? (
                  <div className="flex flex-col gap-1 text-sm">
                    <VerdictBadge verdict={r.truth} prefix="Truth:" size="sm" />
                    <span className="flex items-center justify-between gap-1">
                      You <Correctness correct={r.youCorrect} />
                    </span>
                    <span className="flex flex-wrap items-center justify-between gap-1">
                      D <VerdictBadge verdict={r.dVerdict} size="sm" />
                    </span>
                    <span className="text-xs text-slate-500 tabular-nums">
                      P(real) = {r.dProbability.toFixed(2)}
                    </span>
                  </div>
                ) : (
                  <VerdictChoice
                    index={i}
                    value={answers[i] ?? null}
                    disabled={busy}
                    onChange={(v) => setAnswers((a) => a.map((x, j) => (j === i ? v : x)))}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Panel>
  );
}
