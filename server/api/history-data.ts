// What /history shows: one summary line per stored session, and a session's full story (the
// leaderboard with the police, class vs police accuracy per round, training curves, snapshots).
// Statistics come from lib/game (the same code that scores the live reveal), never re-derived.
import { groupStats, leaderboard, seededRng, statsSeries, STATS_ITERATIONS } from "../../lib/game";
import type { Interval, LeaderboardEntry } from "../../lib/game";
import type { Db } from "../db";
import { createRoomRepo } from "../rooms/repo";
import type { Access, SessionKind } from "./history-auth";
import { roundRecords, runProgress } from "./history-records";

export interface SessionSummary {
  kind: SessionKind;
  id: string;
  title: string;
  /** Join code of a class; null for a solo run. */
  code: string | null;
  status: string;
  createdAt: string;
  endedAt: string | null;
  players: number;
  /** Revealed rounds. */
  rounds: number;
  /** Highest generator step seen in any snapshot, metric or round; null if training never ran. */
  stepsReached: number | null;
  /** Share of correct answers over the whole session (class) and of D's verdicts (police). */
  classAccuracy: number | null;
  policeAccuracy: number | null;
  snapshots: number;
  access: Access;
  /** Which of the submitted tokens opened it; null when the passphrase did. */
  tokenIndex: number | null;
}

export interface RoundAccuracy {
  roundId: string;
  index: number;
  generatorStep: number;
  items: number;
  answers: number;
  classAccuracy: Interval | null;
  policeAccuracy: Interval | null;
}

export interface SessionDetail {
  session: SessionSummary;
  leaderboard: LeaderboardEntry[];
  rounds: RoundAccuracy[];
  metrics: {
    step: number;
    dLoss: number;
    gLoss: number;
    dReal: number;
    dFake: number;
    quality: number | null;
    fid: number | null;
    lambda: number;
  }[];
  snapshots: { id: string; step: number; createdAt: string }[];
}

/** An error rate's interval as an accuracy: 1 − error, limits swapped. */
export function toAccuracy(error: Interval | null): Interval | null {
  return (
    error && { ...error, estimate: 1 - error.estimate, low: 1 - error.high, high: 1 - error.low }
  );
}

/** Intervals are reproducible: the same session gives the same limits on every visit. */
function rngFor(id: string) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return seededRng(h >>> 0);
}

const maxOf = (values: (number | null | undefined)[]): number | null => {
  const nums = values.filter((v): v is number => typeof v === "number");
  return nums.length ? Math.max(...nums) : null;
};

export interface Grant {
  access: Access;
  tokenIndex: number | null;
}

/** Summaries, newest first. `grants` says how the caller reached each session. */
export async function summarise(
  db: Db,
  roomGrants: Map<string, Grant>,
  runGrants: Map<string, Grant>,
): Promise<SessionSummary[]> {
  const roomIds = [...roomGrants.keys()];
  const runIdsSolo = [...runGrants.keys()];
  const [rooms, soloRuns, players] = await Promise.all([
    db.room.findMany({
      where: { id: { in: roomIds } },
      include: { runs: { select: { id: true } } },
    }),
    db.trainingRun.findMany({ where: { id: { in: runIdsSolo }, kind: "solo" } }),
    db.player.groupBy({
      by: ["roomId"],
      where: { roomId: { in: roomIds } },
      _count: { _all: true },
    }),
  ]);
  const records = await roundRecords(db, roomIds);
  const progress = await runProgress(db, [
    ...rooms.flatMap((r) => r.runs.map((run) => run.id)),
    ...soloRuns.map((r) => r.id),
  ]);
  const playerCount = new Map(players.map((p) => [p.roomId, p._count._all]));
  const out: SessionSummary[] = [];
  for (const room of rooms) {
    const history = records.get(room.id) ?? [];
    // Only the point estimates are shown in the list: one resample is enough for them.
    const pooled = groupStats(
      history.flatMap((r) => r.items),
      { rng: rngFor(room.id), iterations: 1 },
    );
    const runs = room.runs.map((r) => progress.get(r.id));
    out.push({
      kind: "room",
      id: room.id,
      title: `Class ${room.code}`,
      code: room.code,
      status: room.status,
      createdAt: room.createdAt.toISOString(),
      endedAt: room.endedAt?.toISOString() ?? null,
      players: playerCount.get(room.id) ?? 0,
      rounds: history.length,
      stepsReached: maxOf([...runs.map((p) => p?.step), ...history.map((r) => r.generatorStep)]),
      classAccuracy: toAccuracy(pooled.classError)?.estimate ?? null,
      policeAccuracy: toAccuracy(pooled.policeError)?.estimate ?? null,
      snapshots: runs.reduce((s, p) => s + (p?.snapshots ?? 0), 0),
      ...roomGrants.get(room.id)!,
    });
  }
  for (const run of soloRuns) {
    const p = progress.get(run.id);
    out.push({
      kind: "run",
      id: run.id,
      title: run.name,
      code: null,
      status: "solo",
      createdAt: run.createdAt.toISOString(),
      endedAt: null,
      players: 0,
      rounds: 0,
      stepsReached: p?.step ?? null,
      classAccuracy: null,
      policeAccuracy: null,
      snapshots: p?.snapshots ?? 0,
      ...runGrants.get(run.id)!,
    });
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

async function runSeries(db: Db, runIds: string[]) {
  const [metrics, snapshots] = await Promise.all([
    db.trainingMetric.findMany({
      where: { runId: { in: runIds } },
      orderBy: [{ step: "asc" }, { createdAt: "asc" }],
      select: {
        step: true,
        dLoss: true,
        gLoss: true,
        dReal: true,
        dFake: true,
        quality: true,
        fid: true,
        lambda: true,
      },
    }),
    // Never the weights here: the page fetches the one snapshot it shows.
    db.snapshot.findMany({
      where: { runId: { in: runIds } },
      orderBy: [{ step: "asc" }, { createdAt: "asc" }],
      select: { id: true, step: true, createdAt: true },
    }),
  ]);
  return {
    metrics,
    snapshots: snapshots.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
  };
}

export async function sessionDetail(
  db: Db,
  kind: SessionKind,
  id: string,
  grant: Grant,
): Promise<SessionDetail | null> {
  const grants = new Map([[id, grant]]);
  const [summary] = await summarise(
    db,
    kind === "room" ? grants : new Map(),
    kind === "run" ? grants : new Map(),
  );
  if (!summary) return null;
  if (kind === "run") {
    return { session: summary, leaderboard: [], rounds: [], ...(await runSeries(db, [id])) };
  }
  const loaded = await createRoomRepo(db).loadRoom(summary.code!);
  if (!loaded) return null;
  const runs = await db.trainingRun.findMany({ where: { roomId: id }, select: { id: true } });
  const series = statsSeries(loaded.state.history, {
    rng: rngFor(id),
    iterations: STATS_ITERATIONS,
  });
  return {
    session: summary,
    leaderboard: leaderboard(loaded.state),
    rounds: series.byRound.map((r) => ({
      roundId: r.roundId,
      index: r.index,
      generatorStep: r.generatorStep,
      items: r.items,
      answers: r.answers,
      classAccuracy: toAccuracy(r.classError),
      policeAccuracy: toAccuracy(r.policeError),
    })),
    ...(await runSeries(
      db,
      runs.map((r) => r.id),
    )),
  };
}
