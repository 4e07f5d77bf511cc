// Executes the reducer's `persist` effects. Writes that arrive in the same tick share one
// transaction (better-sqlite3 is synchronous: one commit per tick, not one per answer), and each
// add() resolves only once its transaction has committed, so acks can wait for durability.
import { Prisma } from "../generated/prisma/client";
import type { Db } from "../db";
import type { Write } from "../../lib/game/events";
import type { Logger } from "../logger";

type Op =
  | ReturnType<Db["room"]["update"]>
  | ReturnType<Db["answer"]["create"]>
  | ReturnType<Db["$executeRaw"]>;

function toOps(db: Db, w: Write): Op[] {
  switch (w.kind) {
    case "room":
      return [
        db.room.update({
          where: { id: w.roomId },
          data: {
            status: w.status,
            locked: w.locked,
            settings: JSON.stringify(w.settings),
            endedAt: w.endedAt === null ? null : new Date(w.endedAt),
            ...(w.forge ? { forgeOpen: w.forge.open, forgeStep: w.forge.step } : {}),
          },
        }),
      ];
    case "player-created":
      return [
        db.player.create({
          data: {
            id: w.player.id,
            roomId: w.roomId,
            nickname: w.player.nickname,
            seatTokenHash: w.player.seatTokenHash,
            joinedAt: new Date(w.player.joinedAt),
          },
        }) as unknown as Op,
      ];
    case "player-kicked":
      return [
        db.player.update({ where: { id: w.playerId }, data: { kicked: true } }) as unknown as Op,
      ];
    case "round-started":
      return [
        db.round.create({
          data: {
            id: w.round.id,
            roomId: w.roomId,
            index: w.round.index,
            generatorStep: w.round.generatorStep,
            startedAt: new Date(w.round.startedAt),
            deadline: new Date(w.round.deadline),
          },
        }) as unknown as Op,
        db.item.createMany({
          data: w.items.map((item) => ({
            id: item.id,
            roundId: w.round.id,
            position: item.position,
            kind: item.kind,
            image: Buffer.from(item.image),
            dProbability: item.dProbability,
            datasetIndex: item.datasetIndex,
            generatorStep: item.generatorStep,
            forgeryId: item.forgeryId ?? null,
          })),
        }) as unknown as Op,
      ];
    case "forgery-submitted":
      return [
        ...(w.replaces
          ? [db.forgery.deleteMany({ where: { id: w.replaces } }) as unknown as Op]
          : []),
        db.forgery.create({
          data: {
            id: w.forgery.id,
            roomId: w.roomId,
            playerId: w.forgery.playerId,
            step: w.forgery.step,
            noise: Buffer.from(w.forgery.noise),
            image: Buffer.from(w.forgery.image),
            suspicion: w.forgery.suspicion,
            createdAt: new Date(w.forgery.at),
          },
        }) as unknown as Op,
      ];
    case "answer":
      return answersOps(db, [w]);
    case "round-revealed":
      return [
        db.round.update({
          where: { id: w.roundId },
          data: { revealedAt: new Date(w.revealedAt) },
        }) as unknown as Op,
        ...scoreOps(db, w.players),
        db.room.updateMany({
          where: { rounds: { some: { id: w.roundId } } },
          data: { policeScore: w.police.score, policeStreak: w.police.streak },
        }) as unknown as Op,
      ];
  }
}

type AnswerWrite = Extract<Write, { kind: "answer" }>;

/** Every player's banked score and streak, 500 rows a statement: one update per player through
 * Prisma cost ~0.2 ms each, and the reveal waits for this commit. UPDATE … FROM (VALUES …) runs on
 * SQLite (≥ 3.33) and PostgreSQL; VALUES columns are named column1… in both. */
function scoreOps(db: Db, players: readonly { id: string; score: number; streak: number }[]): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < players.length; i += ANSWER_ROWS_PER_STATEMENT) {
    const rows = players
      .slice(i, i + ANSWER_ROWS_PER_STATEMENT)
      .map((p) => Prisma.sql`(${p.id}, CAST(${p.score} AS INTEGER), CAST(${p.streak} AS INTEGER))`);
    ops.push(
      db.$executeRaw`UPDATE "Player" SET "score" = v.column2, "streak" = v.column3 FROM (VALUES ${Prisma.join(rows)}) AS v WHERE "Player"."id" = v.column1`,
    );
  }
  return ops;
}

/** Rows per INSERT statement: 8 parameters a row stays far below SQLite's and PostgreSQL's caps. */
const ANSWER_ROWS_PER_STATEMENT = 500;

/** Many answers, few statements. Streaks are not written per answer: they are banked at the
 * reveal, and a restore recomputes the running streak from the round's stored answers.
 * A plain multi-row INSERT, not createMany: Prisma's query compiler cost ~90 µs of CPU per answer
 * (a third of the server's work per answer with 2,000 students), the raw statement ~20 µs. The
 * driver adapter binds the values as it does for createMany (booleans, ISO timestamps), and the
 * quoted identifiers and placeholders work on SQLite and PostgreSQL alike. */
function answersOps(db: Db, writes: AnswerWrite[]): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < writes.length; i += ANSWER_ROWS_PER_STATEMENT) {
    const rows = writes
      .slice(i, i + ANSWER_ROWS_PER_STATEMENT)
      .map(
        ({ answer: a }) =>
          Prisma.sql`(${`${a.itemId}:${a.playerId}`}, ${a.itemId}, ${a.playerId}, ${a.verdict}, ${a.correct}, ${a.latencyMs}, ${a.points}, ${new Date(a.at)})`,
      );
    ops.push(
      db.$executeRaw`INSERT INTO "Answer" ("id", "itemId", "playerId", "verdict", "correct", "latencyMs", "points", "createdAt") VALUES ${Prisma.join(rows)}`,
    );
  }
  return ops;
}

export interface WriteBatcher {
  /** Queues a write; resolves when the transaction holding it has committed. */
  add(write: Write): Promise<void>;
  /** Resolves when everything queued so far is committed. */
  drain(): Promise<void>;
}

type Segment = { answers: AnswerWrite[] } | { op: Op };

export function createWriteBatcher(db: Db, logger: Logger): WriteBatcher {
  let pending: {
    segments: Segment[];
    resolve: () => void;
    reject: (e: unknown) => void;
    promise: Promise<void>;
  } | null = null;
  let chain: Promise<void> = Promise.resolve();

  function open() {
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch = { segments: [] as Segment[], resolve, reject, promise };
    pending = batch;
    // Commit in order: a batch starts only after the previous one finished.
    chain = chain.then(
      () =>
        new Promise<void>((done) => {
          setImmediate(() => {
            if (pending === batch) pending = null;
            const started = Date.now();
            // Consecutive answers become one createMany; everything keeps its order.
            const ops = batch.segments.flatMap((seg) =>
              "op" in seg ? [seg.op] : answersOps(db, seg.answers),
            );
            db.$transaction(ops)
              .then(() => {
                logger.debug(
                  { ops: ops.length, ms: Date.now() - started },
                  "write batch committed",
                );
                batch.resolve();
              })
              .catch((err: unknown) => {
                logger.error({ err }, "write batch failed");
                batch.reject(err);
              })
              .finally(done);
          });
        }),
    );
    return batch;
  }

  return {
    add(write) {
      const batch = pending ?? open();
      const last = batch.segments.at(-1);
      if (write.kind === "answer") {
        if (last && "answers" in last) last.answers.push(write);
        else batch.segments.push({ answers: [write] });
      } else {
        for (const op of toOps(db, write)) batch.segments.push({ op });
      }
      return batch.promise;
    },
    drain() {
      return chain;
    },
  };
}
