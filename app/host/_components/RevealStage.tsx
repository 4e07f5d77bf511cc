"use client";

import { DigitImage } from "@/app/_components/DigitImage";
import { Leaderboard } from "@/app/_components/Leaderboard";
import { VerdictBadge, VerdictIcon, verdictLabel } from "@/app/_components/Verdict";
import type { RevealItemView, RevealView, RoundStartedView } from "@/lib/protocol";
import { TrophyIcon } from "@/app/_components/Icons";

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

/** After a round: who was better at spotting fakes, every image's truth, the leaderboard. */
export function RevealStage({
  reveal,
  images,
  children,
}: {
  reveal: RevealView;
  images: RoundStartedView["items"] | null;
  /** Shown beside the leaderboard (the humans-vs-police chart). */
  children?: React.ReactNode;
}) {
  const byId = new Map(images?.map((it) => [it.itemId, it.image]) ?? []);
  const roundPoints = new Map(reveal.players.map((p) => [p.playerId, p.roundPoints]));
  const cls = reveal.classAccuracy;
  const pol = reveal.policeAccuracy;
  const winner =
    cls === null || pol === null ? null : cls > pol ? "class" : pol > cls ? "police" : "tie";
  return (
    <section className="flex flex-col gap-5" aria-label={`Round ${reveal.index + 1} reveal`}>
      <div
        className="grid grid-cols-[1fr_1fr] items-stretch gap-4 xl:grid-cols-[1fr_1fr_1.1fr]"
        data-testid="accuracy"
      >
        <Score
          label="The class"
          value={pct(cls)}
          highlight={winner === "class"}
          tone="bg-indigo-600"
        />
        <Score
          label="The police (D)"
          value={pct(pol)}
          highlight={winner === "police"}
          tone="bg-slate-900"
        />
        <p className="col-span-2 flex items-center justify-center text-center text-2xl font-bold text-slate-700 xl:col-span-1">
          {winner === "class"
            ? "The class spotted more fakes than the network!"
            : winner === "police"
              ? "The police network beat the class this round."
              : winner === "tie"
                ? "A draw between the class and the police."
                : `Round ${reveal.index + 1} revealed.`}
        </p>
      </div>
      <ol className="grid grid-cols-3 gap-3 md:grid-cols-5" aria-label="Each image revealed">
        {reveal.items.map((item, i) => (
          <RevealCard
            key={item.itemId}
            item={item}
            number={i + 1}
            image={byId.get(item.itemId) ?? null}
          />
        ))}
      </ol>
      <div className="grid gap-5 xl:grid-cols-[430px_minmax(0,1fr)]">
        <div className="flex flex-col gap-2">
          <h2 className="text-2xl font-black">Leaderboard</h2>
          <BestCounterfeiter reveal={reveal} />
          <Leaderboard
            entries={reveal.leaderboard}
            limit={8}
            size="lg"
            roundPoints={roundPoints}
            showFooled={reveal.leaderboard.some((e) => e.fooled > 0)}
          />
        </div>
        {children}
      </div>
    </section>
  );
}

/** The student whose forgeries fooled the most classmates so far. */
function BestCounterfeiter({ reveal }: { reveal: RevealView }) {
  const best = reveal.leaderboard
    .filter((e) => !e.isPolice && e.fooled > 0)
    .reduce<RevealView["leaderboard"][number] | null>(
      (a, e) => (a === null || e.fooled > a.fooled ? e : a),
      null,
    );
  if (!best) return null;
  return (
    <p
      className="flex items-center gap-2 rounded-2xl bg-fake-soft px-4 py-2 text-lg text-ink"
      data-testid="best-counterfeiter"
    >
      <MaskIcon className="size-6 shrink-0 text-fake" />
      <span className="min-w-0">
        Best counterfeiter: <strong>{best.nickname}</strong>{" "}
        <span className="text-slate-600">
          · fooled {best.fooled} {best.fooled === 1 ? "classmate" : "classmates"}
        </span>
      </span>
    </p>
  );
}

function Score({
  label,
  value,
  highlight,
  tone,
}: {
  label: string;
  value: string;
  highlight: boolean;
  tone: string;
}) {
  return (
    <div
      className={`flex flex-col items-center rounded-3xl p-5 text-white shadow-lg ${tone} ${highlight ? "ring-8 ring-amber-300" : ""}`}
    >
      <span className="text-xl font-semibold opacity-80">{label}</span>
      <span className="font-mono text-7xl font-black tabular-nums">{value}</span>
      <span className="flex items-center gap-1.5 text-lg opacity-80">
        right{highlight ? <TrophyIcon className="size-5 text-amber-300" /> : null}
      </span>
    </div>
  );
}

function RevealCard({
  item,
  number,
  image,
}: {
  item: RevealItemView;
  number: number;
  image: Uint8Array | null;
}) {
  const real = item.realFraction;
  return (
    <li
      className={`flex flex-col gap-1.5 rounded-2xl border-4 bg-white p-2 shadow-sm ${item.truth === "real" ? "border-real" : "border-fake"}`}
      data-testid="reveal-card"
    >
      <div className="relative">
        {image ? (
          <DigitImage
            image={image}
            alt={`Digit ${number}: ${verdictLabel(item.truth)}`}
            className="rounded-xl"
          />
        ) : null}
        <span className="absolute top-1.5 left-1.5 rounded-md bg-slate-900/70 px-1.5 text-sm font-bold text-white">
          {number}
        </span>
      </div>
      <VerdictBadge verdict={item.truth} size="lg" />
      {item.forgery ? (
        <p
          className="rounded-lg bg-fake-soft px-2 py-1 text-sm leading-snug text-ink"
          data-testid="reveal-forgery"
        >
          <span className="block text-xs font-semibold text-fake uppercase">Forged by</span>
          <strong className="block truncate">{item.forgery.nickname}</strong>
          fooled {item.forgery.fooled} of {item.forgery.judged}
          <span className="block text-slate-600">
            {item.forgery.policeFooled === null
              ? ""
              : item.forgery.policeFooled
                ? "and the police"
                : "police caught it"}
          </span>
        </p>
      ) : null}
      <p className="flex items-center gap-1 text-sm text-slate-700">
        Police:{" "}
        {item.dVerdict ? (
          <>
            <span
              className={`inline-flex items-center gap-0.5 font-bold ${item.dVerdict === "real" ? "text-real" : "text-fake"}`}
            >
              <VerdictIcon verdict={item.dVerdict} className="size-3.5" />
              {verdictLabel(item.dVerdict)}
            </span>
            <span className="text-slate-500">({pct(item.dProbability)} real)</span>
          </>
        ) : (
          "—"
        )}
      </p>
      <div className="flex flex-col gap-0.5 text-sm">
        <span className="text-slate-700">
          Class said real: <strong>{pct(real)}</strong>
        </span>
        <div className="flex h-3 overflow-hidden rounded-full bg-fake-soft" aria-hidden>
          <div className="h-full bg-real" style={{ width: `${(real ?? 0) * 100}%` }} />
        </div>
      </div>
    </li>
  );
}

/** A carnival mask: the counterfeiter. */
function MaskIcon({ className = "size-4" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden fill="currentColor">
      <path d="M2 7c3-1.5 6.5-1.5 10 .5C15.5 5.5 19 5.5 22 7c0 6-2.5 9-5.5 9-2 0-3.2-1.6-4.5-1.6S9.5 16 7.5 16C4.5 16 2 13 2 7zm5 3.2c-1.2 0-2 .6-2.4 1.2.8.7 1.6 1 2.4 1s1.6-.3 2.4-1c-.4-.6-1.2-1.2-2.4-1.2zm10 0c-1.2 0-2 .6-2.4 1.2.8.7 1.6 1 2.4 1s1.6-.3 2.4-1c-.4-.6-1.2-1.2-2.4-1.2z" />
    </svg>
  );
}
