// Properties of the room reducer over random classroom sessions: random joins, reconnects,
// kicks, locks, rounds, answers (on time, late, repeated, for unknown items) and reveals.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ANSWER_GRACE_MS,
  POLICE_ID,
  reduce,
  resultOf,
  scorePoliceAnswer,
  policeVerdict,
  seededRng,
  type PlayerId,
  type Write,
} from "./game-test-api";
import { T0, storedAnswer, emits, persists, roomWithPlayers, serialise } from "./game-fixtures";

import { play, session, type Step } from "./game-sessions";

const property = (check: (steps: Step[]) => void) =>
  fc.assert(
    fc.property(session, fc.nat(), (actions, seed) => check(play(actions, seed))),
    { numRuns: 150 },
  );

const answerWrites = (steps: Step[]) =>
  steps
    .flatMap((s) => persists(s.effects).map((p) => p.write))
    .filter((w): w is Extract<Write, { kind: "answer" }> => w.kind === "answer");

describe("room reducer properties", () => {
  it("stores at most one answer per item and player, whatever is sent", () => {
    property((steps) => {
      const keys = answerWrites(steps).map((w) => `${w.answer.itemId}|${w.answer.playerId}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const s of steps) {
        const r = s.after.round;
        if (!r) continue;
        let count = 0;
        for (const row of r.answers) count += row.filter((a) => a !== null).length;
        expect(r.answerCount).toBe(count);
      }
    });
  });

  it("rejects every answer after the deadline plus grace and leaves the state untouched", () => {
    property((steps) => {
      for (const s of steps) {
        const r = s.before.round;
        if (s.event.type !== "answer" || !r || s.now <= r.deadline + ANSWER_GRACE_MS) continue;
        const retry =
          storedAnswer(s.before, s.event.itemId, s.event.playerId)?.verdict === s.event.verdict;
        // Only an identical retry of an answer stored in time is acknowledged (again).
        if (!retry) expect(s.result.ok).toBe(false);
        if (s.result.ok) expect(s.result.data).toMatchObject({ kind: "answered", duplicate: true });
        expect(s.after).toBe(s.before);
        expect(persists(s.effects)).toHaveLength(0);
      }
    });
  });

  it("keeps every score equal to the sum of the points awarded, the police's included", () => {
    property((steps) => {
      const points = new Map<string, Map<string, number>>(); // round → player → points
      const items = new Map<
        string,
        { position: number; kind: string; dProbability: number | null }[]
      >();
      let policeStreak = 0;
      let policeScore = 0;
      const banked = new Map<string, number>();
      for (const s of steps) {
        for (const { write: w } of persists(s.effects)) {
          if (w.kind === "round-started") items.set(w.round.id, [...w.items]);
          if (w.kind === "answer") {
            const m = points.get(w.answer.roundId) ?? new Map<string, number>();
            m.set(w.answer.playerId, (m.get(w.answer.playerId) ?? 0) + w.answer.points);
            points.set(w.answer.roundId, m);
          }
          if (w.kind === "round-revealed") {
            for (const p of w.players) {
              banked.set(p.id, (banked.get(p.id) ?? 0) + (points.get(w.roundId)?.get(p.id) ?? 0));
              expect(p.score).toBe(banked.get(p.id));
            }
            // The police, replayed independently from the stored items.
            for (const item of [...items.get(w.roundId)!].sort((a, b) => a.position - b.position)) {
              if (item.dProbability === null) {
                policeStreak = 0;
                continue;
              }
              const sc = scorePoliceAnswer({
                correct: policeVerdict(item.dProbability) === item.kind,
                streakBefore: policeStreak,
              });
              policeStreak = sc.streakAfter;
              policeScore += sc.points;
            }
            expect(w.police.score).toBe(policeScore);
          }
        }
        for (const p of Object.values(s.after.players))
          if (!p.kicked) expect(p.score).toBe(banked.get(p.id) ?? 0);
        expect(s.after.police.score).toBe(policeScore);
      }
    });
  });

  it("never lets the truth out before the reveal: no truth fields and no moving scores", () => {
    const forbidden = [
      "kind",
      "truth",
      "dProbability",
      "datasetIndex",
      "dVerdict",
      "correct",
      "points",
      "roundPoints",
      "realFraction",
      "streak",
    ];
    const keyPattern = new RegExp(`"(${forbidden.join("|")})":`);
    property((steps) => {
      for (const s of steps) {
        const r = s.after.round;
        // Acks never carry the truth, for any event.
        const ackText = serialise(s.result.ok ? { ...s.result.data, kind: undefined } : s.result);
        expect(ackText).not.toMatch(keyPattern);
        if (s.result.ok && s.result.data.kind === "answered") {
          expect(Object.keys(s.result.data).sort()).toEqual([
            "duplicate",
            "itemId",
            "kind",
            "roundId",
            "verdict",
          ]);
        }
        if (r !== null && r.revealedAt !== null) continue; // revealed: the truth may now be sent
        for (const e of emits(s.effects)) {
          expect(serialise(e.message.payload)).not.toMatch(keyPattern);
          if (e.message.event === "room:state") {
            for (const p of e.message.payload.players) {
              const score = p.isPolice
                ? s.before.police.score
                : s.before.players[p.id as PlayerId]?.score;
              expect(p.score).toBe(score ?? 0);
            }
          }
        }
      }
    });
  });

  it("returns a reconnecting seat to its score and answers", () => {
    property((steps) => {
      for (const s of steps) {
        if (
          s.action.a !== "join" ||
          !s.result.ok ||
          s.result.data.kind !== "joined" ||
          !s.result.data.returning
        )
          continue;
        const id = s.result.data.playerId;
        expect(s.after.players[id]!.score).toBe(s.before.players[id]!.score);
        expect(s.after.round).toBe(s.before.round);
        expect(s.after.players[id]!.connected).toBe(true);
      }
    });
  });

  it("keeps kicked students out: no answers, no rejoining", () => {
    property((steps) => {
      for (const s of steps) {
        const playerId = s.event.type === "answer" ? s.event.playerId : undefined;
        if (playerId && s.before.players[playerId]?.kicked) {
          expect(s.result).toEqual({ ok: false, code: "KICKED" });
          expect(s.after).toBe(s.before);
        }
        if (s.event.type === "player-join") {
          const seatOwner = Object.values(s.before.players).find(
            (p) => p.seatTokenHash === (s.event as { seatTokenHash: string }).seatTokenHash,
          );
          if (seatOwner?.kicked) expect(s.result).toEqual({ ok: false, code: "KICKED" });
        }
      }
    });
  });

  it("admits returning seats but no new ones while the room is locked", () => {
    property((steps) => {
      for (const s of steps) {
        if (s.event.type !== "player-join" || !s.before.locked) continue;
        const hash = s.event.seatTokenHash;
        const owner = Object.values(s.before.players).find((p) => p.seatTokenHash === hash);
        if (!owner) expect(s.result.ok).toBe(false);
        else if (!owner.kicked) expect(s.result.ok).toBe(true);
      }
    });
  });

  it("never mutates the state it is given (deep-frozen, image bytes compared)", () => {
    fc.assert(
      fc.property(session, fc.nat(), (actions, seed) => {
        expect(() => play(actions, seed, true)).not.toThrow();
      }),
      { numRuns: 40 },
    );
  });

  it("never lists the police as an answering player or lets it be kicked", () => {
    const { state } = roomWithPlayers(1);
    const t = reduce(state, { type: "kick", playerId: POLICE_ID }, { now: T0, rng: seededRng(1) });
    expect(resultOf(t.effects)).toEqual({ ok: false, code: "NOT_JOINED" });
  });
});
