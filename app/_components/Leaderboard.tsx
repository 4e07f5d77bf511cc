import type { LeaderboardEntry } from "@/lib/protocol";
import { ShieldIcon } from "./Icons";

interface Props {
  entries: readonly LeaderboardEntry[];
  /** The viewer's own row, highlighted. */
  meId?: string | null;
  /** Rows shown; the police and the viewer are always shown even below the cut. */
  limit?: number;
  size?: "md" | "lg";
  /** Points each player won in the round just revealed, by player id. */
  roundPoints?: ReadonlyMap<string, number>;
  /** The "best counterfeiter" column: classmates fooled by each player's forgeries. */
  showFooled?: boolean;
}

/** Scores after the reveal, the police (D) included as a player and marked. */
export function Leaderboard({
  entries,
  meId = null,
  limit = 10,
  size = "md",
  roundPoints,
  showFooled = false,
}: Props) {
  const shown = entries.filter((e, i) => i < limit || e.isPolice || e.playerId === meId);
  const big = size === "lg";
  return (
    <ol className="flex flex-col gap-1.5" aria-label="Leaderboard">
      {showFooled ? (
        <li
          className={`flex items-center gap-3 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase`}
          aria-hidden
        >
          <span className="w-8" />
          <span className="flex-1">Player</span>
          <span className={`${big ? "w-14" : "w-12"} text-right`}>Fooled</span>
          <span className="w-20 text-right">Score</span>
        </li>
      ) : null}
      {shown.map((e, i) => {
        const gap = i > 0 && entries.indexOf(e) !== entries.indexOf(shown[i - 1]!) + 1;
        const me = e.playerId === meId;
        const tone = e.isPolice
          ? "bg-slate-900 text-white"
          : me
            ? "bg-indigo-100 ring-2 ring-indigo-500"
            : "bg-white";
        return (
          <li key={e.playerId} className="flex flex-col gap-1.5">
            {gap ? (
              <span className="px-3 text-slate-400" aria-hidden>
                ⋯
              </span>
            ) : null}
            <div
              className={`flex items-center gap-3 rounded-xl px-3 shadow-sm ${tone} ${big ? "py-2.5 text-xl" : "py-2 text-base"}`}
            >
              <span
                className={`w-8 text-right font-mono font-bold tabular-nums ${e.isPolice ? "text-slate-300" : "text-slate-500"}`}
              >
                {e.rank}
              </span>
              <span className="min-w-0 flex-1 truncate font-semibold">
                {e.isPolice ? (
                  <ShieldIcon className="mr-1.5 inline size-[0.9em] align-[-0.1em]" />
                ) : null}
                {e.nickname}
                {me ? <span className="ml-2 text-sm font-bold text-indigo-700">(you)</span> : null}
              </span>
              {(roundPoints?.get(e.playerId) ?? 0) > 0 ? (
                <span
                  className={`font-mono text-sm tabular-nums ${e.isPolice ? "text-emerald-300" : "text-emerald-700"}`}
                >
                  +{roundPoints?.get(e.playerId)}
                </span>
              ) : null}
              {showFooled ? (
                <span
                  className={`${big ? "w-14" : "w-12"} text-right font-mono tabular-nums ${e.isPolice ? "text-slate-400" : "text-fake"}`}
                  title="Classmates fooled by this player's forgeries"
                  data-testid="leaderboard-fooled"
                >
                  {e.isPolice ? "—" : (e.fooled ?? 0)}
                </span>
              ) : null}
              <span className="w-20 text-right font-mono font-black tabular-nums">{e.score}</span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
