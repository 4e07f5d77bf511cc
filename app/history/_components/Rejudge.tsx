"use client";

import { useState } from "react";
import { DigitImage } from "@/app/_components/DigitImage";
import { loadRound, type OldRound } from "../_lib/api";

type Verdict = "real" | "fake";
type Item = OldRound["items"][number] & { pixels: Uint8Array };

const pct = (v: number) => `${Math.round(v * 100)} %`;

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** How the class and the police did on these images when the round was played. */
function then(items: readonly Item[]) {
  let right = 0;
  let n = 0;
  let police = 0;
  let judged = 0;
  for (const it of items) {
    right += it.kind === "real" ? it.saidReal : it.saidFake;
    n += it.saidReal + it.saidFake;
    if (it.dProbability !== null) {
      judged++;
      if (it.dProbability >= 0.5 === (it.kind === "real")) police++;
    }
  }
  return { cls: n ? right / n : null, police: judged ? police / judged : null };
}

interface Props {
  roomId: string;
  rounds: readonly { index: number; generatorStep: number }[];
  secret: string;
}

/**
 * Replay an old round's images as a solo round in this browser: has the viewer become a better
 * police than the class was then? The truth is already known to this (the teacher's) browser.
 */
export function Rejudge({ roomId, rounds, secret }: Props) {
  const [choice, setChoice] = useState(rounds[rounds.length - 1]?.index ?? 0);
  const [items, setItems] = useState<Item[] | null>(null);
  const [answers, setAnswers] = useState<Verdict[]>([]);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    setError(null);
    try {
      const round = await loadRound(roomId, choice, secret);
      setItems(shuffle(round.items.map((it) => ({ ...it, pixels: decode(it.image) }))));
      setAnswers([]);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (!items) {
    return (
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-semibold text-slate-700">
          Round
          <select
            value={choice}
            onChange={(e) => setChoice(Number(e.target.value))}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base"
          >
            {rounds.map((r) => (
              <option key={r.index} value={r.index}>
                Round {r.index + 1} (generator step {r.generatorStep})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void start()}
          className="rounded-xl bg-slate-900 px-4 py-2.5 font-semibold text-white hover:bg-slate-700"
        >
          Re-judge these fakes
        </button>
        {error ? (
          <p role="alert" className="w-full font-semibold text-red-800">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  const current = items[answers.length];
  if (current) {
    return (
      <div className="flex flex-col items-center gap-3">
        <p className="text-sm font-semibold text-slate-600">
          Image {answers.length + 1} of {items.length}: real or fake?
        </p>
        <DigitImage
          image={current.pixels}
          alt={`Image ${answers.length + 1} to judge`}
          className="max-w-48 rounded-lg border border-slate-200"
        />
        <div className="flex gap-2">
          {(["real", "fake"] as const).map((v) => (
            <button
              key={v}
              type="button"
              onClick={() => setAnswers([...answers, v])}
              className={`rounded-xl px-6 py-3 text-lg font-bold text-white ${v === "real" ? "bg-real" : "bg-fake"}`}
            >
              {v === "real" ? "Real" : "Fake"}
            </button>
          ))}
        </div>
      </div>
    );
  }

  const mine = items.filter((it, i) => answers[i] === it.kind).length / items.length;
  const old = then(items);
  return (
    <div className="flex flex-col gap-4" role="status">
      <p className="text-xl font-bold">
        You now: {pct(mine)} right · the class then: {old.cls === null ? "—" : pct(old.cls)} · the
        police then: {old.police === null ? "—" : pct(old.police)}
      </p>
      <ol className="grid grid-cols-4 gap-2 sm:grid-cols-8" aria-label="Your verdicts">
        {items.map((it, i) => (
          <li key={it.itemId} className="flex flex-col items-center gap-1 text-xs font-semibold">
            <DigitImage image={it.pixels} alt={`${it.kind} digit`} className="rounded border" />
            <span className={it.kind === "real" ? "text-real" : "text-fake"}>{it.kind}</span>
            <span className={answers[i] === it.kind ? "text-emerald-700" : "text-red-700"}>
              {answers[i] === it.kind ? "✓ you" : "✗ you"}
            </span>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => setItems(null)}
        className="self-start rounded-xl border border-slate-300 bg-white px-4 py-2.5 font-semibold hover:bg-slate-50"
      >
        Another round
      </button>
    </div>
  );
}
