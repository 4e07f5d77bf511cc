// Sessions are kept for RETENTION_DAYS after they were created, then erased with every row that
// belongs to them (players' nicknames included): at start, and once a day while the server runs.
import type { Db } from "./db";
import type { Logger } from "./logger";
import { deleteRoomRows, deleteRunRows, type DeletedRows } from "./api/history-delete";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  rooms: number;
  soloRuns: number;
  rows: DeletedRows;
}

/** Erases classes and solo runs created before `now − days`. `days = 0` keeps everything. */
export async function purgeExpiredSessions(
  db: Db,
  days: number,
  now: number,
): Promise<PurgeResult> {
  const rows: DeletedRows = {
    rooms: 0,
    players: 0,
    rounds: 0,
    items: 0,
    answers: 0,
    runs: 0,
    snapshots: 0,
    metrics: 0,
  };
  if (days <= 0) return { rooms: 0, soloRuns: 0, rows };
  const cutoff = new Date(now - days * DAY_MS);
  const [rooms, runs] = await Promise.all([
    db.room.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true } }),
    db.trainingRun.findMany({
      where: { kind: "solo", createdAt: { lt: cutoff } },
      select: { id: true },
    }),
  ]);
  const add = (d: DeletedRows) => {
    for (const key of Object.keys(rows) as (keyof DeletedRows)[]) rows[key] += d[key];
  };
  // One session per transaction: a long purge never holds the write lock for long.
  for (const r of rooms) add(await deleteRoomRows(db, r.id));
  for (const r of runs) add(await deleteRunRows(db, r.id));
  return { rooms: rooms.length, soloRuns: runs.length, rows };
}

/**
 * Purges now and then daily; returns a stop function. Failures are logged and retried at the next
 * tick, never thrown: retention must not take the game down.
 */
export function startRetention(
  db: Db,
  days: number,
  logger: Logger,
  clock: () => number = Date.now,
): () => void {
  if (days <= 0) {
    logger.info("retention is off (RETENTION_DAYS=0): sessions are kept until deleted");
    return () => {};
  }
  const run = () =>
    purgeExpiredSessions(db, days, clock())
      .then((r) => {
        if (r.rooms || r.soloRuns) logger.info({ ...r, days }, "purged expired sessions");
      })
      .catch((err: unknown) => logger.error({ err }, "retention purge failed"));
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
