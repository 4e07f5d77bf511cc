// Reads and writes that are not reducer effects: creating a room, restoring a room's state after
// a restart, and the trainer's snapshots and metrics.
import type { Db } from "../db";
import { policeVerdict } from "../../lib/game/scoring";
import {
  createGameState,
  truthVerdict,
  type AnswerRecord,
  type GameState,
  type ItemId,
  type ItemKind,
  type PlayerId,
  type PlayerState,
  type PoliceAnswer,
  type RoundId,
  type RoundRecord,
  type RoundState,
} from "../../lib/game/state";
import { RoomSettings, type TrainingMetrics, type Verdict } from "../../lib/protocol/schemas";

/**
 * Streaks during an unrevealed round: each player's banked streak (stored at the last reveal)
 * carried through their answers of this round in the order they gave them.
 */
function runningStreaks(
  joined: readonly { streak: number }[],
  answers: readonly (readonly (AnswerRecord | null)[])[],
): number[] {
  return joined.map((p, seat) =>
    answers
      .map((perSeat) => perSeat[seat])
      .filter((a): a is AnswerRecord => a != null)
      .sort((a, b) => a.at - b.at)
      .reduce((streak, a) => (a.correct ? streak + 1 : 0), p.streak),
  );
}

export interface LoadedRoom {
  state: GameState;
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
    async loadRoom(code: string): Promise<LoadedRoom | null> {
      const room = await db.room.findUnique({
        where: { code },
        include: {
          players: true,
          runs: { select: { id: true }, take: 1, orderBy: { createdAt: "asc" } },
          rounds: {
            orderBy: { index: "asc" },
            include: {
              items: {
                include: {
                  answers: {
                    select: {
                      playerId: true,
                      verdict: true,
                      correct: true,
                      latencyMs: true,
                      points: true,
                      createdAt: true,
                    },
                  },
                },
              },
            },
          },
        },
      });
      if (!room) return null;
      const base = createGameState({
        roomId: room.id,
        code: room.code,
        now: room.createdAt.getTime(),
        settings: RoomSettings.parse(JSON.parse(room.settings)),
      });
      // Seats follow join order, as the reducer hands them out.
      const joined = room.players
        .slice()
        .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.id < b.id ? -1 : 1));
      const seatOf = new Map(joined.map((p, seat) => [p.id, seat]));
      const players: Record<PlayerId, PlayerState> = {};
      for (const p of joined) {
        players[p.id as PlayerId] = {
          id: p.id as PlayerId,
          seat: seatOf.get(p.id)!,
          nickname: p.nickname,
          seatTokenHash: p.seatTokenHash,
          score: p.score,
          streak: p.streak,
          kicked: p.kicked,
          connected: false,
          joinedAt: p.joinedAt.getTime(),
        };
      }
      const kicked = new Set(room.players.filter((p) => p.kicked).map((p) => p.id));

      const history: RoundRecord[] = [];
      let current: RoundState | null = null;
      for (const r of room.rounds) {
        const items = r.items.slice().sort((a, b) => a.position - b.position);
        if (r.revealedAt) {
          history.push({
            roundId: r.id as RoundId,
            index: r.index,
            generatorStep: r.generatorStep,
            items: items.map((it) => {
              const students = it.answers.filter((a) => !kicked.has(a.playerId));
              return {
                itemId: it.id as ItemId,
                kind: it.kind as ItemKind,
                dProbability: it.dProbability,
                saidReal: students.filter((a) => a.verdict === "real").length,
                saidFake: students.filter((a) => a.verdict === "fake").length,
              };
            }),
          });
        }
        const answers: (AnswerRecord | null)[][] = [];
        const police: Record<ItemId, PoliceAnswer> = {};
        let answerCount = 0;
        for (const it of items) {
          const perSeat = new Array<AnswerRecord | null>(joined.length).fill(null);
          for (const a of it.answers) {
            perSeat[seatOf.get(a.playerId)!] = {
              playerId: a.playerId as PlayerId,
              verdict: a.verdict as Verdict,
              correct: a.correct,
              latencyMs: a.latencyMs,
              points: a.points,
              at: a.createdAt.getTime(),
            };
            answerCount++;
          }
          answers.push(perSeat);
          if (r.revealedAt && it.dProbability !== null) {
            const verdict = policeVerdict(it.dProbability);
            // Points per item are not stored for the police; its total is (Room.policeScore).
            police[it.id as ItemId] = {
              verdict,
              correct: verdict === truthVerdict(it.kind as ItemKind),
              points: 0,
            };
          }
        }
        current = {
          id: r.id as RoundId,
          index: r.index,
          generatorStep: r.generatorStep,
          startedAt: r.startedAt.getTime(),
          deadline: r.deadline.getTime(),
          items: items.map((it) => ({
            id: it.id as ItemId,
            position: it.position,
            kind: it.kind as ItemKind,
            image: new Uint8Array(it.image),
            dProbability: it.dProbability,
            datasetIndex: it.datasetIndex,
            generatorStep: it.generatorStep,
          })),
          answers,
          streaks: r.revealedAt ? joined.map((p) => p.streak) : runningStreaks(joined, answers),
          answerCount,
          revealedAt: r.revealedAt?.getTime() ?? null,
          police,
        };
      }

      const state: GameState = {
        ...base,
        // The phase follows from the rounds themselves; the status column may trail them.
        status:
          room.status === "ended"
            ? "ended"
            : current === null
              ? "lobby"
              : current.revealedAt === null
                ? "round"
                : "reveal",
        locked: room.locked,
        players,
        police: { score: room.policeScore, streak: room.policeStreak },
        roundsPlayed: room.rounds.length,
        round: current,
        history,
      };
      return { state, hostTokenHash: room.hostTokenHash, runId: room.runs[0]?.id ?? null };
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
