// Random classroom sessions for the lib/game property tests: random joins, reconnects, kicks,
// locks, rounds, answers (on time, late, repeated, for unknown items) and reveals.
import { expect } from "vitest";
import fc from "fast-check";
import {
  reduce,
  resultOf,
  seededRng,
  type Effect,
  type GameEvent,
  type GameResult,
  type GameState,
  type PlayerId,
  type Rng,
  type Verdict,
} from "./game-test-api";
import { T0, deepFreeze, preparedItems, roomWithPlayers, seatHash } from "./game-fixtures";

export const SEATS = 5; // seats 0–2 join up front, 3–4 may join later
export const ROUND_SIZE = 4;

export type Action =
  | { a: "answer"; seat: number; item: number; verdict: Verdict; staleRound: boolean }
  | { a: "start" }
  | { a: "reveal"; by: "host" | "timer" }
  | { a: "disconnect"; seat: number }
  | { a: "join"; seat: number }
  | { a: "kick"; seat: number }
  | { a: "lock"; locked: boolean }
  | { a: "end" };

// Mostly seats that joined; sometimes late joiners (3–4) or a stranger who never joined (SEATS).
const seat = fc.oneof(
  { weight: 6, arbitrary: fc.nat(2) },
  { weight: 1, arbitrary: fc.integer({ min: 3, max: SEATS }) },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      a: fc.constant("answer" as const),
      seat,
      item: fc.nat(ROUND_SIZE), // ROUND_SIZE itself is an unknown item id
      verdict: fc.constantFrom<Verdict>("real", "fake"),
      staleRound: fc.oneof(
        { weight: 9, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    }),
  },
  { weight: 6, arbitrary: fc.constant({ a: "start" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      a: fc.constant("reveal" as const),
      by: fc.constantFrom("host" as const, "timer" as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("disconnect" as const), seat }) },
  { weight: 4, arbitrary: fc.record({ a: fc.constant("join" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("kick" as const), seat }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("lock" as const), locked: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ a: "end" as const }) },
);
/** Each step happens after a pause: mostly short, sometimes long enough for a deadline (8 s) to pass. */
const pause = fc.oneof(
  { weight: 8, arbitrary: fc.nat(1_500) },
  { weight: 1, arbitrary: fc.integer({ min: 7_000, max: 9_000 }) },
);
export const session = fc
  .array(fc.tuple(action, pause), { minLength: 10, maxLength: 80, size: "medium" })
  .map((steps): [Action, number][] => [[{ a: "start" }, 0], ...steps]);

/** JSON of everything, image bytes included (deep-freezing cannot cover typed arrays). */
function fullSnapshot(state: GameState): string {
  return JSON.stringify(state, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
}

export interface Step {
  before: GameState;
  event: GameEvent;
  after: GameState;
  effects: readonly Effect[];
  result: GameResult;
  now: number;
  action: Action;
}

/** Turns actions into events against the current state, deep-freezing every state it hands over. */
export class Driver {
  lastRoundId = "none";
  count = 0;
  constructor(
    public state: GameState,
    public readonly ids: Map<number, PlayerId>,
    public now: number,
    private readonly rng: Rng,
    private readonly checkImmutable = false,
  ) {}

  static fresh(seed: number, checkImmutable = false): Driver {
    const rng = seededRng(seed);
    const { state } = roomWithPlayers(3, rng);
    const sized = {
      ...state,
      settings: { ...state.settings, roundSize: ROUND_SIZE, roundSeconds: 8 },
    };
    const ids = new Map<number, PlayerId>(Object.values(sized.players).map((p, i) => [i, p.id]));
    return new Driver(sized, ids, T0 + 10_000, rng, checkImmutable);
  }

  event(act: Action): GameEvent {
    const round = this.state.round;
    const player = (seat: number) => this.ids.get(seat) ?? ("stranger" as PlayerId);
    switch (act.a) {
      case "answer":
        return {
          type: "answer",
          playerId: player(act.seat),
          roundId: act.staleRound ? this.lastRoundId : (round?.id ?? "no-round"),
          itemId: round?.items[act.item]?.id ?? "unknown-item",
          verdict: act.verdict,
        };
      case "start":
        return {
          type: "start-round",
          generatorStep: this.count,
          items: preparedItems(ROUND_SIZE, this.rng),
        };
      case "reveal":
        return act.by === "host"
          ? { type: "reveal", by: "host" }
          : { type: "reveal", by: "timer", roundId: round?.id ?? "x" };
      case "disconnect":
        return { type: "player-connection", playerId: player(act.seat), connected: false };
      case "join":
        return {
          type: "player-join",
          nickname: `Student ${act.seat}`,
          seatTokenHash: seatHash(act.seat),
        };
      case "kick":
        return { type: "kick", playerId: player(act.seat) };
      case "lock":
        return { type: "lock", locked: act.locked };
      case "end":
        return { type: "end" };
    }
  }

  step(act: Action, pause: number): Step {
    this.now += pause;
    const event = this.event(act);
    const before = deepFreeze(this.state);
    const snapshot = this.checkImmutable ? fullSnapshot(before) : "";
    // Few resamples: these tests check the rules, game-stats.test.ts checks the intervals.
    const t = reduce(before, event, { now: this.now, rng: this.rng, statsIterations: 20 });
    if (this.checkImmutable) expect(fullSnapshot(before)).toBe(snapshot);
    const result = resultOf(t.effects);
    if (result.ok && result.data.kind === "joined" && act.a === "join")
      this.ids.set(act.seat, result.data.playerId);
    const round = before.round;
    if (round && round.id !== t.state.round?.id) this.lastRoundId = round.id;
    this.count++;
    this.state = t.state;
    return {
      before,
      event,
      after: t.state,
      effects: t.effects,
      result,
      now: this.now,
      action: act,
    };
  }
}

export function play(
  actions: readonly [Action, number][],
  seed: number,
  checkImmutable = false,
): Step[] {
  const driver = Driver.fresh(seed, checkImmutable);
  return actions.map(([act, pause]) => driver.step(act, pause));
}
