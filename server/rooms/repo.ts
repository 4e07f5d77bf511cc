// Reads and writes that are not reducer effects: creating a room, restoring a room's state after
// a restart, and the trainer's snapshots and metrics.
import type { Db } from "../db";
import { restoreGameState, type Restored, type StoredRoom } from "../../lib/game/restore";
import type { GameState, ItemKind } from "../../lib/game/state";
import { RoomSettings, type TrainingMetrics, type Verdict } from "../../lib/protocol/schemas";

export interface LoadedRoom {
  state: GameState;
  /** The deadline reveal of a round that was running when the server stopped. */
  revealAt: Restored["revealAt"];
  hostTokenHash: string;
  runId: string | null;
}

export function createRoomRepo(db: Db) {
  return {
    async createRoom(room: {
      id: string;
      code: string;
      settings: RoomSettings;
      hostTokenHash: string;
      createdAt: number;
      runId: string;
      runConfig: string;
    }): Promise<void> {
      await db.$transaction([
        db.room.create({
          data: {
            id: room.id,
            code: room.code,
            status: "lobby",
            settings: JSON.stringify(room.settings),
            hostTokenHash: room.hostTokenHash,
            createdAt: new Date(room.createdAt),
          },
        }),
        db.trainingRun.create({
          data: {
            id: room.runId,
            roomId: room.id,
            kind: "room",
            name: `Class ${room.code}`,
            config: room.runConfig,
          },
        }),
      ]);
    },

    async codeExists(code: string): Promise<boolean> {
      return (await db.room.count({ where: { code } })) > 0;
    },

    /** Rebuilds a room's GameState from its rows (after a restart, or for a room not in memory). */
    async loadRoom(code: string, rng: () => number = Math.random): Promise<LoadedRoom | null> {
      const room = await db.room.findUnique({
        where: { code },
        include: {
          players: true,
          runs: { select: { id: true }, take: 1, orderBy: { createdAt: "asc" } },
          rounds: { include: { items: { include: { answers: true } } } },
          forgeries: { omit: { noise: true } },
        },
      });
      if (!room) return null;
      const stored: StoredRoom = {
        room: {
          id: room.id,
          code: room.code,
          status: room.status as StoredRoom["room"]["status"],
          locked: room.locked,
          settings: RoomSettings.parse(JSON.parse(room.settings)),
          createdAt: room.createdAt.getTime(),
          forge: { open: room.forgeOpen, step: room.forgeStep },
        },
        players: room.players.map((p) => ({
          id: p.id,
          nickname: p.nickname,
          seatTokenHash: p.seatTokenHash,
          score: p.score,
          streak: p.streak,
          kicked: p.kicked,
          joinedAt: p.joinedAt.getTime(),
        })),
        rounds: room.rounds.map((r) => ({
          id: r.id,
          index: r.index,
          generatorStep: r.generatorStep,
          startedAt: r.startedAt.getTime(),
          deadline: r.deadline.getTime(),
          revealedAt: r.revealedAt?.getTime() ?? null,
          items: r.items.map((it) => ({
            id: it.id,
            position: it.position,
            kind: it.kind as ItemKind,
            image: new Uint8Array(it.image),
            dProbability: it.dProbability,
            datasetIndex: it.datasetIndex,
            generatorStep: it.generatorStep,
            forgeryId: it.forgeryId,
          })),
          // In the order they were given: streaks are replayed from it.
          answers: r.items
            .flatMap((it) =>
              it.answers.map((a) => ({
                itemId: it.id,
                playerId: a.playerId,
                verdict: a.verdict as Verdict,
                correct: a.correct,
                latencyMs: a.latencyMs,
                points: a.points,
                at: a.createdAt.getTime(),
              })),
            )
            .sort((x, y) => x.at - y.at),
        })),
        forgeries: room.forgeries.map((f) => ({
          id: f.id,
          playerId: f.playerId,
          step: f.step,
          image: new Uint8Array(f.image),
          suspicion: f.suspicion,
          submittedAt: f.createdAt.getTime(),
        })),
      };
      const { state, revealAt } = restoreGameState(stored, rng);
      return {
        state,
        revealAt,
        hostTokenHash: room.hostTokenHash,
        runId: room.runs[0]?.id ?? null,
      };
    },

    async saveSnapshot(row: {
      id: string;
      runId: string;
      step: number;
      weights: Uint8Array;
    }): Promise<void> {
      await db.snapshot.create({
        data: { id: row.id, runId: row.runId, step: row.step, weights: Buffer.from(row.weights) },
      });
    },

    async latestSnapshot(runId: string): Promise<{ step: number; weights: Uint8Array } | null> {
      const s = await db.snapshot.findFirst({ where: { runId }, orderBy: { step: "desc" } });
      return s ? { step: s.step, weights: new Uint8Array(s.weights) } : null;
    },

    /** The run's snapshot at exactly `step` (the forge's pinned one), newest row first. */
    async snapshotAt(
      runId: string,
      step: number,
    ): Promise<{ step: number; weights: Uint8Array } | null> {
      const s = await db.snapshot.findFirst({
        where: { runId, step },
        orderBy: { createdAt: "desc" },
      });
      return s ? { step: s.step, weights: new Uint8Array(s.weights) } : null;
    },

    async saveMetrics(runId: string, metrics: TrainingMetrics[], ids: string[]): Promise<void> {
      await db.trainingMetric.createMany({
        data: metrics.map((m, i) => ({
          id: ids[i]!,
          runId,
          step: m.step,
          dLoss: m.dLoss,
          gLoss: m.gLoss,
          dReal: m.dReal,
          dFake: m.dFake,
          quality: m.quality,
          fid: m.fid,
          lambda: m.lambda,
        })),
      });
    },
  };
}

export type RoomRepo = ReturnType<typeof createRoomRepo>;
