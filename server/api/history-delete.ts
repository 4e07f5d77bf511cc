// Erasing a session: every row that belongs to it, in one transaction, children first. The
// schema's cascades would do it too; explicit deletes also return the counts and do not depend
// on the database enforcing foreign keys.
import type { Db } from "../db";

export interface DeletedRows {
  rooms: number;
  players: number;
  rounds: number;
  items: number;
  answers: number;
  runs: number;
  snapshots: number;
  metrics: number;
}

export async function deleteRoomRows(db: Db, roomId: string): Promise<DeletedRows> {
  const byRoom = { round: { roomId } };
  const byRun = { run: { roomId } };
  const [answers, items, rounds, players, metrics, snapshots, runs, rooms] = await db.$transaction([
    db.answer.deleteMany({ where: { item: byRoom } }),
    db.item.deleteMany({ where: byRoom }),
    db.round.deleteMany({ where: { roomId } }),
    db.player.deleteMany({ where: { roomId } }),
    db.trainingMetric.deleteMany({ where: byRun }),
    db.snapshot.deleteMany({ where: byRun }),
    db.trainingRun.deleteMany({ where: { roomId } }),
    db.room.deleteMany({ where: { id: roomId } }),
  ]);
  return {
    rooms: rooms.count,
    players: players.count,
    rounds: rounds.count,
    items: items.count,
    answers: answers.count,
    runs: runs.count,
    snapshots: snapshots.count,
    metrics: metrics.count,
  };
}

/** A solo run: its metrics, snapshots and the run itself. */
export async function deleteRunRows(db: Db, runId: string): Promise<DeletedRows> {
  const solo = { runId, run: { kind: "solo" } };
  const [metrics, snapshots, runs] = await db.$transaction([
    db.trainingMetric.deleteMany({ where: solo }),
    db.snapshot.deleteMany({ where: solo }),
    db.trainingRun.deleteMany({ where: { id: runId, kind: "solo" } }),
  ]);
  return {
    rooms: 0,
    players: 0,
    rounds: 0,
    items: 0,
    answers: 0,
    runs: runs.count,
    snapshots: snapshots.count,
    metrics: metrics.count,
  };
}
