// What the classroom-load fixes (bench:room) must not change: a phone's reveal is the whole
// class's reveal cut to what a phone shows, and the raw batched writes store what Prisma's
// createMany / update stored, on a real SQLite file.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  PHONE_BOARD,
  leaderboard,
  phoneRevealView,
  phoneRevealViews,
  revealView,
  type RevealView,
} from "@/lib/game/views";
import { reduce, seededRng, type Effect, type GameState, type PlayerId } from "@/lib/game";
import { openDatabase } from "@/server/db";
import { createLogger } from "@/server/logger";
import { migrateDatabase } from "@/server/migrate";
import { createRoomRepo } from "@/server/rooms/repo";
import { createWriteBatcher } from "@/server/rooms/writer";
import { DEFAULT_ROOM_SETTINGS } from "@/lib/protocol";
import { ctxAt, ok, persists, roomWithPlayers, startRound, T0 } from "./game-fixtures";
import { startHarness, tempDatabaseUrl, type Harness } from "./server-harness";
import { BROADCAST_SLICE } from "@/server/rooms/runtime";
import { joinRoom, openRoom, type Client } from "../../scripts/bench/fault-room";

/** A room of `n` students who answered every item of one round (every 3rd one wrongly), revealed. */
function playedRoom(n: number, seed = 1) {
  const rng = seededRng(seed);
  const { state: lobby, ids } = roomWithPlayers(n, rng);
  const effects: Effect[] = [];
  const started = startRound(lobby, T0 + 10_000, rng);
  effects.push(...started.effects);
  let state: GameState = started.state;
  const round = state.round!;
  ids.forEach((playerId, i) => {
    round.items.forEach((item, k) => {
      const right = item.kind === "real" ? "real" : "fake";
      const verdict = (i + k) % 3 === 0 ? (right === "real" ? "fake" : "real") : right;
      const t = ok(
        state,
        { type: "answer", playerId, roundId: round.id, itemId: item.id, verdict },
        ctxAt(T0 + 11_000 + i * 7 + k * 3, rng),
      );
      effects.push(...t.effects);
      state = t.state;
    });
  });
  const revealed = reduce(state, { type: "reveal", by: "host" }, ctxAt(T0 + 40_000, rng));
  effects.push(...revealed.effects);
  return { state: revealed.state, ids, effects };
}

/** The definition: keep the top rows, the police and the student, in board order. */
function naivePhoneView(view: RevealView, playerId: string | null, top: number): RevealView {
  const board = view.leaderboard.filter((e, i) => i < top || e.isPolice || e.playerId === playerId);
  const listed = new Set(board.map((e) => e.playerId as string));
  return {
    ...view,
    leaderboard: board,
    players: view.players.filter((p) => listed.has(p.playerId)),
  };
}

describe("a phone's reveal", () => {
  it("keeps the top of the board, the police and the student, in board order, and nothing else", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        (n, top, seed) => {
          const { state, ids } = playedRoom(n, seed);
          const view = revealView(state)!;
          const fitted = phoneRevealViews(view, top);
          for (const id of [...ids, null, "not-a-player"]) {
            expect(fitted(id)).toEqual(naivePhoneView(view, id, top));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is a few kB for a class of 2,000, where the projector's reveal is hundreds", () => {
    const { state, ids } = playedRoom(2000);
    const view = revealView(state)!;
    const last = ids.at(-1)!;
    const mine = phoneRevealView(view, last);
    expect(mine.leaderboard).toHaveLength(PHONE_BOARD + 2); // top, police, the student
    expect(mine.leaderboard.some((e) => e.playerId === last)).toBe(true);
    expect(mine.items).toEqual(view.items);
    expect(JSON.stringify(mine).length).toBeLessThan(8_000);
    expect(JSON.stringify(view).length).toBeGreaterThan(200_000);
    // Ranks and scores are the class's, not recomputed over the cut.
    const full = new Map(leaderboard(state).map((e) => [e.playerId, e]));
    for (const e of mine.leaderboard) expect(e).toEqual(full.get(e.playerId as PlayerId));
  });
});

describe("the batched writer", () => {
  it("stores every answer, score and streak exactly as the room holds them", async () => {
    const url = tempDatabaseUrl();
    const logger = createLogger("silent");
    await migrateDatabase(url, logger);
    const db = await openDatabase(url);
    try {
      const { state, ids, effects } = playedRoom(600);
      await createRoomRepo(db).createRoom({
        id: state.roomId,
        code: state.code,
        settings: DEFAULT_ROOM_SETTINGS,
        hostTokenHash: "h",
        createdAt: T0,
        runId: "run-1",
        runConfig: "{}",
      });
      const writer = createWriteBatcher(db, logger);
      // Joins were in the lobby fixture; write their rows first, then the round's, in order.
      const joins = Object.values(state.players).map((p) =>
        writer.add({
          kind: "player-created",
          roomId: state.roomId,
          player: { id: p.id, nickname: p.nickname, seatTokenHash: p.seatTokenHash, joinedAt: T0 },
        }),
      );
      const writes = persists(effects).map((e) => writer.add(e.write));
      await Promise.all([...joins, ...writes]);
      await writer.drain();

      const round = state.round!;
      const rows = await db.answer.findMany();
      expect(rows).toHaveLength(ids.length * round.items.length);
      const byKey = new Map(rows.map((r) => [`${r.itemId}:${r.playerId}`, r]));
      for (const item of round.items) {
        for (const a of round.answers[item.position]!) {
          if (!a) continue;
          expect(byKey.get(`${item.id}:${a.playerId}`)).toEqual({
            id: `${item.id}:${a.playerId}`,
            itemId: item.id,
            playerId: a.playerId,
            verdict: a.verdict,
            correct: a.correct,
            latencyMs: a.latencyMs,
            points: a.points,
            createdAt: new Date(a.at),
          });
        }
      }
      const players = await db.player.findMany({ select: { id: true, score: true, streak: true } });
      expect(players).toHaveLength(ids.length);
      for (const p of players) {
        const live = state.players[p.id as PlayerId]!;
        expect({ score: p.score, streak: p.streak }).toEqual({
          score: live.score,
          streak: live.streak,
        });
      }
      expect(players.some((p) => p.score > 0)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });
});

/** Distinct, filter-safe nicknames (digits read as letters to the filter: "455" is rude). */
const SYLLABLES = ["lo", "mi", "ra", "te", "vu", "no", "pi", "sa", "ke", "du"];
const nameOf = (k: number) =>
  [k % 10, Math.floor(k / 10) % 10, Math.floor(k / 100) % 10].map((d) => SYLLABLES[d]).join("");

describe("a large room's broadcasts", () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.stop();
    h = null;
  });

  it("reach every student once, in slices, and before anything sent after them", async () => {
    h = await startHarness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 4 });
    const n = BROADCAST_SLICE + 60; // two slices
    const students: Client[] = [];
    for (let i = 0; i < n; i += 40) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(40, n - i) }, async (_, j) => {
          const socket = await h!.client();
          await joinRoom(socket, auth.code, nameOf(i + j));
          return socket;
        }),
      );
      students.push(...batch);
    }
    // Per student: the events in arrival order, from round:started on.
    const seen = students.map(() => [] as string[]);
    students.forEach((s, i) => {
      s.on("round:started", () => seen[i]!.push("round:started"));
      s.on("round:revealed", () => seen[i]!.push("round:revealed"));
      s.on("round:result", () => seen[i]!.push("round:result"));
    });
    const started = await host.emitWithAck("host:start-round", auth);
    expect(started.ok).toBe(true);
    const revealed = await host.emitWithAck("host:reveal", auth);
    expect(revealed.ok).toBe(true);
    await expect
      .poll(() => seen.filter((e) => e.includes("round:result")).length, { timeout: 15_000 })
      .toBe(n);
    for (const events of seen) {
      expect(events).toEqual(["round:started", "round:revealed", "round:result"]);
    }
  }, 60_000);
});
