// Executes the reducer's `persist` effects. Writes that arrive in the same tick share one
// transaction (better-sqlite3 is synchronous: one commit per tick, not one per answer), and each
// add() resolves only once its transaction has committed, so acks can wait for durability.
import type { Db } from "../db";
import type { Write } from "../../lib/game/events";
import type { Logger } from "../logger";

type Op = ReturnType<Db["room"]["update"]> | ReturnType<Db["answer"]["create"]>;

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
      return [answersOp(db, [w])];
    case "round-revealed":
      return [
        db.round.update({
          where: { id: w.roundId },
          data: { revealedAt: new Date(w.revealedAt) },
        }) as unknown as Op,
        ...w.players.map(
          (p) =>
            db.player.update({
              where: { id: p.id },
              data: { score: p.score, streak: p.streak },
            }) as unknown as Op,
        ),
        db.room.updateMany({
          where: { rounds: { some: { id: w.roundId } } },
          data: { policeScore: w.police.score, policeStreak: w.police.streak },
        }) as unknown as Op,
      ];
  }
}

type AnswerWrite = Extract<Write, { kind: "answer" }>;

/** Many answers, one statement. Streaks are not written per answer: they are banked at the
 * reveal, and a restore recomputes the running streak from the round's stored answers. */
function answersOp(db: Db, writes: AnswerWrite[]): Op {
  return db.answer.createMany({
    data: writes.map(({ answer: a }) => ({
      id: `${a.itemId}:${a.playerId}`,
      itemId: a.itemId,
      playerId: a.playerId,
      verdict: a.verdict,
      correct: a.correct,
      latencyMs: a.latencyMs,
      points: a.points,
      createdAt: new Date(a.at),
    })),
  }) as unknown as Op;
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
            const ops = batch.segments.map((seg) =>
              "op" in seg ? seg.op : answersOp(db, seg.answers),
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
