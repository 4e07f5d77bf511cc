"use client";

import { DigitImage } from "@/app/_components/DigitImage";
import { Leaderboard } from "@/app/_components/Leaderboard";
import { Correctness, VerdictBadge, verdictLabel } from "@/app/_components/Verdict";
import type { PlayerRevealView, RevealView, RoundStartedView } from "@/lib/protocol";
import { FlameIcon } from "@/app/_components/Icons";
import { asBytes } from "@/app/_lib/socket";

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

interface Props {
  reveal: RevealView;
  /** This student's own result; null if they did not play the round. */
  result: PlayerRevealView | null;
  round: RoundStartedView;
  meId: string | null;
  /** Opens the forge (after a reveal, students may forge for the next round). */
  onForge?: () => void;
}

/** After the round: the student's points, streak and rank, then every image's truth. */
export function PlayerReveal({ reveal, result, round, meId, onForge }: Props) {
  const images = new Map(round.items.map((it) => [it.itemId, it.image]));
  const mine = new Map(result?.items.map((v) => [v.itemId, v]) ?? []);
  const right = result?.items.filter((v) => v.correct).length ?? 0;
  const roundPoints = new Map(reveal.players.map((p) => [p.playerId, p.roundPoints]));
  return (
    <section className="flex flex-col gap-5" aria-label={`Round ${reveal.index + 1} results`}>
      <div
        className="flex flex-col gap-3 rounded-3xl bg-slate-900 p-5 text-white shadow-lg"
        aria-live="polite"
      >
        <h1 className="text-lg font-semibold text-slate-300">Round {reveal.index + 1} results</h1>
        {result ? (
          <>
            <p className="text-5xl font-black tabular-nums" data-testid="round-points">
              +{result.roundPoints}{" "}
              <span className="text-2xl font-semibold text-slate-300">points</span>
            </p>
            <dl className="grid grid-cols-3 gap-2 text-center">
              <Stat label="Right" value={`${right}/${result.items.length}`} />
              <Stat label="Score" value={String(result.score)} testId="my-score" />
              <Stat
                label="Rank"
                value={`#${result.rank}`}
                sub={`of ${result.of}`}
                testId="my-rank"
              />
            </dl>
            {result.streak > 1 ? (
              <p className="flex items-center gap-1.5 font-semibold text-amber-300">
                <FlameIcon /> Streak: {result.streak} right in a row
              </p>
            ) : null}
          </>
        ) : (
          <p>You didn&apos;t play this round.</p>
        )}
        <p className="text-sm text-slate-300">
          Class: {pct(reveal.classAccuracy)} right · Police (D): {pct(reveal.policeAccuracy)} right
        </p>
      </div>

      {result && result.forgeries.length > 0 ? (
        <ul className="flex flex-col gap-2" aria-label="Your forgeries">
          {result.forgeries.map((f) => (
            <li
              key={f.itemId}
              className="flex items-center gap-3 rounded-2xl bg-fake-soft p-3 ring-2 ring-fake/40"
              data-testid="my-forgery"
            >
              <div className="w-16 shrink-0 overflow-hidden rounded-lg bg-white">
                <DigitImage image={asBytes(f.image)} alt="Your forgery" />
              </div>
              <div className="flex min-w-0 flex-1 flex-col text-sm">
                <p className="font-bold text-ink">Your forgery</p>
                <p className="text-slate-700">
                  Fooled <strong data-testid="my-forgery-fooled">{f.fooled}</strong> of {f.judged}{" "}
                  {f.judged === 1 ? "classmate" : "classmates"} ·{" "}
                  {f.policeFooled === null
                    ? "the police did not judge it"
                    : f.policeFooled
                      ? "fooled the police too"
                      : "the police caught it"}
                </p>
              </div>
              <span className="font-mono font-bold text-emerald-700 tabular-nums">
                {f.points > 0 ? `+${f.points}` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}

      {onForge ? (
        <button
          type="button"
          onClick={onForge}
          data-testid="open-forge"
          className="rounded-2xl border-2 border-fake bg-white px-5 py-3 text-lg font-bold text-fake shadow-sm hover:bg-fake-soft"
        >
          Forge a fake for the next round
        </button>
      ) : null}

      <ol className="flex flex-col gap-2" aria-label="Each image">
        {reveal.items
          .filter((item) => item.forgery?.authorId !== meId)
          .map((item, i) => {
            const given = mine.get(item.itemId);
            const image = images.get(item.itemId);
            const answered = given?.verdict ?? null;
            return (
              <li
                key={item.itemId}
                className="flex items-center gap-3 rounded-2xl bg-white p-2 shadow-sm"
                data-testid="reveal-item"
              >
                <div className="w-16 shrink-0">
                  {image ? (
                    <DigitImage image={image} alt={`Digit ${i + 1}`} className="rounded-lg" />
                  ) : null}
                </div>
                <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <VerdictBadge verdict={item.truth} prefix="Was" />
                    {answered ? (
                      <Correctness correct={given?.correct ?? false} />
                    ) : (
                      <span className="text-slate-500">No answer</span>
                    )}
                  </div>
                  <p className="text-slate-600">
                    You: {answered ? verdictLabel(answered) : "—"} · Police:{" "}
                    {item.dVerdict ? verdictLabel(item.dVerdict) : "—"}
                  </p>
                  {item.forgery ? (
                    <p className="text-xs font-semibold text-fake" data-testid="forgery-author">
                      Forged by {item.forgery.nickname} · fooled {item.forgery.fooled}
                    </p>
                  ) : null}
                </div>
                <span className="w-12 text-right font-mono font-bold text-emerald-700 tabular-nums">
                  {given && given.points > 0 ? `+${given.points}` : ""}
                </span>
              </li>
            );
          })}
      </ol>

      <div className="flex flex-col gap-2">
        <h2 className="text-xl font-black">Leaderboard</h2>
        <Leaderboard
          entries={reveal.leaderboard}
          meId={meId}
          limit={5}
          roundPoints={roundPoints}
          showFooled={reveal.leaderboard.some((e) => e.fooled > 0)}
        />
      </div>
      <p className="text-center text-slate-500">Waiting for the next round…</p>
    </section>
  );
}

function Stat({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
}) {
  return (
    <div className="rounded-xl bg-white/10 py-2">
      <dt className="text-xs tracking-wide text-slate-300 uppercase">{label}</dt>
      <dd className="text-2xl font-black tabular-nums">
        <span data-testid={testId}>{value}</span>
        {sub ? <span className="ml-1 text-sm font-semibold text-slate-300">{sub}</span> : null}
      </dd>
    </div>
  );
}
