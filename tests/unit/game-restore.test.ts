// A restart loses nothing acknowledged: the writes a session emitted, applied to a toy database
// and read back with restoreGameState, give the same room — which then plays on identically.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  restoreGameState,
  seededRng,
  type GameState,
  type PlayerId,
  type StoredRoom,
  type Write,
} from "./game-test-api";
import { persists } from "./game-fixtures";
import { Driver, session } from "./game-sessions";

type Row<K extends Write["kind"]> = Extract<Write, { kind: K }>;

/** The tables of prisma/schema.prisma, reduced to what the game reads back. */
class ToyDatabase {
  room: Omit<Row<"room">, "kind" | "roomId" | "endedAt"> | null = null;
  players = new Map<string, StoredRoom["players"][number]>();
  rounds = new Map<
    string,
    Omit<StoredRoom["rounds"][number], "answers" | "revealedAt"> & { revealedAt: number | null }
  >();
  answers = new Map<
    string,
    StoredRoom["rounds"][number]["answers"][number] & { roundId: string }
  >();

  apply(w: Write): void {
    switch (w.kind) {
      case "room":
        this.room = { status: w.status, locked: w.locked, settings: w.settings };
        break;
      case "player-created":
        this.players.set(w.player.id, { ...w.player, score: 0, streak: 0, kicked: false });
        break;
      case "player-kicked":
        this.players.set(w.playerId, { ...this.players.get(w.playerId)!, kicked: true });
        break;
      case "round-started":
        this.rounds.set(w.round.id, {
          ...w.round,
          revealedAt: null,
          items: w.items.map((i) => ({ ...i })),
        });
        break;
      case "answer": {
        const key = `${w.answer.itemId}|${w.answer.playerId}`; // the unique key of Answer
        if (this.answers.has(key)) throw new Error(`duplicate answer ${key}`);
        this.answers.set(key, { ...w.answer }); // streaks are banked at the reveal only
        break;
      }
      case "round-revealed":
        this.rounds.set(w.roundId, { ...this.rounds.get(w.roundId)!, revealedAt: w.revealedAt });
        for (const p of w.players)
          this.players.set(p.id, { ...this.players.get(p.id)!, score: p.score, streak: p.streak });
        break;
    }
  }

  stored(base: GameState): StoredRoom {
    return {
      room: { id: base.roomId, code: base.code, createdAt: base.createdAt, ...(this.room ?? base) },
      players: [...this.players.values()],
      rounds: [...this.rounds.values()].map((r) => ({
        ...r,
        answers: [...this.answers.values()].filter((a) => a.roundId === r.id),
      })),
    };
  }
}

/** The durable part of a state, independent of seat numbering and connection status. */
function durable(state: GameState) {
  const round = state.round;
  const effectiveStreak = (id: PlayerId) => {
    const p = state.players[id]!;
    return round && round.revealedAt === null ? (round.streaks[p.seat] ?? p.streak) : p.streak;
  };
  return {
    status: state.status,
    locked: state.locked,
    settings: state.settings,
    roundsPlayed: state.roundsPlayed,
    police: state.police,
    players: Object.values(state.players)
      .map((p) => ({
        id: p.id,
        nickname: p.nickname,
        seatTokenHash: p.seatTokenHash,
        score: p.score,
        streak: p.kicked ? null : effectiveStreak(p.id), // a kicked player's streak is moot
        kicked: p.kicked,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    round: round && {
      ...round,
      streaks: undefined,
      answers: round.answers
        .flat()
        .filter((a) => a !== null)
        .sort((a, b) => (a.playerId < b.playerId ? -1 : 1) || a.at - b.at),
    },
    history: state.history,
    rounds: state.stats.byRound.length,
  };
}

/** Bootstrap limits depend on the rng's history, so results are compared without them. */
function withoutStats(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) =>
      k === "stats" || (k === "payload" && v && typeof v === "object" && "byStep" in v)
        ? undefined
        : v,
    ),
  );
}

describe("restoring a room after a restart", () => {
  it("brings back every acknowledged answer, score, streak and seat, and plays on identically", () => {
    fc.assert(
      fc.property(session, fc.nat(), fc.nat(), (actions, seed, cutAt) => {
        const cut = cutAt % (actions.length + 1);
        const live = Driver.fresh(seed);
        const db = new ToyDatabase();
        for (const p of Object.values(live.state.players)) {
          db.apply({ kind: "player-created", roomId: live.state.roomId, player: p });
        }
        db.apply({
          kind: "room",
          roomId: live.state.roomId,
          status: live.state.status,
          locked: false,
          settings: live.state.settings,
          endedAt: null,
        });
        for (const [act, pause] of actions.slice(0, cut)) {
          for (const p of persists(live.step(act, pause).effects)) db.apply(p.write);
        }

        const { state: restored, revealAt } = restoreGameState(
          db.stored(live.state),
          seededRng(99),
          { statsIterations: 20 },
        );
        expect(durable(restored)).toEqual(durable(live.state));
        if (
          live.state.round &&
          live.state.round.revealedAt === null &&
          live.state.status !== "ended"
        ) {
          expect(revealAt).toEqual({
            roundId: live.state.round.id,
            at: live.state.round.deadline + 250,
          });
        } else {
          expect(revealAt).toBeNull();
        }

        // Play the rest on both, with identical rngs: same replies, same final room.
        const a = new Driver(live.state, new Map(live.ids), live.now, seededRng(seed + 1));
        const b = new Driver(restored, new Map(live.ids), live.now, seededRng(seed + 1));
        a.lastRoundId = b.lastRoundId = live.lastRoundId;
        a.count = b.count = live.count;
        for (const [act, pause] of actions.slice(cut)) {
          const ra = a.step(act, pause);
          const rb = b.step(act, pause);
          expect(rb.result).toEqual(ra.result);
          expect(withoutStats(persists(rb.effects))).toEqual(withoutStats(persists(ra.effects)));
        }
        expect(durable(b.state)).toEqual(durable(a.state));
      }),
      { numRuns: 120 },
    );
  });
});
