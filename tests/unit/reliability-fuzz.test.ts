// Hostile input: ≥ 10,000 fuzzed frames (wrong types, huge strings, deep objects, binary junk,
// unknown and reserved events, raw parser junk, oversized payloads) against the running server
// while two students play in the same room. The server stays up, answers every frame it parses
// with an error code, disconnects garbage senders, and the students keep a low ack latency.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLIENT_EVENTS,
  clientSchemas,
  ErrorCode,
  MAX_SNAPSHOT_BYTES,
  type ClientEventName,
  type RoundStartedView,
} from "@/lib/protocol";
import {
  connectClient,
  disconnected,
  joinRoom,
  openRoom,
  quantile,
  sleep,
  startRound,
  type Client,
  type Student,
} from "../../scripts/bench/fault-room";
import { harnessPerTest } from "./server-harness";

const harness = harnessPerTest();

const FRAMES = 10_000;
const PER_SOCKET = 20; // at most the strike limit: every frame of a batch gets its answer
const WORKERS = 6;
const CODES = new Set<string>(Object.values(ErrorCode));

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

// The client refuses to send these itself; raw frames with them are tried further down.
const RESERVED = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

const eventName = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...CLIENT_EVENTS) },
    {
      weight: 2,
      arbitrary: fc.constantFrom("error", "__proto__", "constructor", "toString", "hasOwnProperty"),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 2_000, maxLength: 4_000 }) },
  )
  .filter((e) => !RESERVED.has(e));

const validish = fc.record(
  {
    protocolVersion: fc.oneof(fc.constant(1), fc.anything()),
    code: fc.oneof(fc.stringMatching(/^[A-Z0-9]{6}$/), fc.anything()),
    hostToken: fc.oneof(fc.string({ minLength: 16, maxLength: 40 }), fc.anything()),
    nickname: fc.oneof(fc.string({ maxLength: 30 }), fc.anything()),
    roundId: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
    itemId: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
    verdict: fc.oneof(fc.constantFrom("real", "fake", "REAL", ""), fc.anything()),
    step: fc.oneof(fc.integer(), fc.double(), fc.anything()),
    weights: fc.oneof(fc.uint8Array({ maxLength: 2_000 }), fc.anything()),
    images: fc.oneof(fc.uint8Array({ maxLength: 4_000 }), fc.anything()),
    metrics: fc.array(fc.anything(), { maxLength: 5 }),
    settings: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
  },
  { requiredKeys: [] },
);

const payload = fc.oneof(
  { weight: 10, arbitrary: validish },
  { weight: 6, arbitrary: fc.anything({ maxDepth: 4, withTypedArray: false }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => "x".repeat(n)) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 100, max: 400 }).map((d) => deep(d, "bottom")),
  },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 4_000 }).map((b) => Buffer.from(b)) },
  {
    weight: 1,
    arbitrary: fc.constant(
      JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'),
    ),
  },
);

const frame = fc.record({
  event: eventName,
  args: fc.array(payload, { minLength: 0, maxLength: 3 }),
  withAck: fc.boolean(),
});
type Frame = { event: string; args: unknown[]; withAck: boolean };

type Reply = { ok: boolean; code?: string };

/** A frame without an ack is answered only when it fails; these fail for sure. */
function surelyRejected(f: Frame): boolean {
  if (!(CLIENT_EVENTS as string[]).includes(f.event)) return true;
  return !clientSchemas[f.event as ClientEventName].safeParse(f.args[0]).success;
}

/** Sends one batch on a fresh socket; every acked frame must get its ack, every frame that is
 * surely invalid and has no ack must get an `error` event. */
async function fuzzBatch(
  url: string,
  frames: Frame[],
): Promise<{ acks: Reply[]; errors: number; expectedErrors: number }> {
  const socket = await connectClient(url);
  let errors = 0;
  socket.on("error", () => errors++);
  const emit = socket.emit as (ev: string, ...args: unknown[]) => void;
  const acks = await Promise.all(
    frames.map((f) => {
      if (!f.withAck) {
        emit.call(socket, f.event, ...f.args);
        return null;
      }
      return new Promise<Reply>((resolve) => {
        const timed = socket.timeout(10_000) as unknown as { emit: typeof emit };
        timed.emit(f.event, ...f.args, (err: Error | null, res: Reply) =>
          resolve(err ? { ok: false, code: "NO_ACK" } : res),
        );
      });
    }),
  );
  const expectedErrors = frames.filter((f) => !f.withAck && surelyRejected(f)).length;
  for (let t = 0; t < 200 && errors < expectedErrors; t++) await sleep(25);
  socket.close();
  return { acks: acks.filter((a): a is Reply => a !== null), errors, expectedErrors };
}

async function studentLoop(
  students: Student[],
  round: RoundStartedView,
  stop: { done: boolean },
  latencies: number[],
): Promise<number> {
  let failures = 0;
  await Promise.all(
    students.map(async (s, i) => {
      for (let k = 0; !stop.done; k++) {
        const item = round.items[k % round.items.length]!;
        const t0 = performance.now();
        const res = await s.socket
          .emitWithAck("round:answer", {
            roundId: round.roundId,
            itemId: item.itemId,
            verdict: (k + i) % 2 ? "real" : "fake",
          })
          .catch(() => ({ ok: false }) as const);
        latencies.push(performance.now() - t0);
        if (!res.ok) {
          failures++;
          if (s.socket.disconnected) return;
        }
        await sleep(100); // a brisk student, well under the 40 events/s limit
      }
    }),
  );
  return failures;
}

describe("hostile input against the running server", () => {
  it(`survives ${FRAMES} fuzzed frames while the room's students keep answering`, async () => {
    const h = await harness(undefined, { limits: { handshakesPer10s: 1_000_000 } });
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 120 });
    const students = [
      await joinRoom(await h.client(), auth.code, "Ada"),
      await joinRoom(await h.client(), auth.code, "Grace"),
    ];
    const [round] = await startRound(
      host,
      auth,
      students.map((s) => s.socket),
    );

    // Baseline: the students alone for a second.
    const baseline: number[] = [];
    const quiet = { done: false };
    const quietRun = studentLoop(students, round!, quiet, baseline);
    await sleep(1_000);
    quiet.done = true;
    expect(await quietRun).toBe(0);

    const under: number[] = [];
    const busy = { done: false };
    const busyRun = studentLoop(students, round!, busy, under);
    const replies: Reply[] = [];
    let errorEvents = 0;
    let expectedErrors = 0;
    let acked = 0;
    let sent = 0;
    let batch = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (sent < FRAMES) {
          const frames = fc.sample(frame, { numRuns: PER_SOCKET, seed: 9_000 + batch++ });
          sent += frames.length;
          acked += frames.filter((f) => f.withAck).length;
          const result = await fuzzBatch(h.url, frames);
          replies.push(...result.acks);
          errorEvents += result.errors;
          expectedErrors += result.expectedErrors;
        }
      }),
    );
    const fuzzMs = performance.now() - started;

    // Below the event layer: raw parser junk and reserved names close the connection.
    let rawSent = 0;
    const deepJson = `42["round:answer",${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}]`;
    {
      // 50,000 levels of nesting in one frame: answered (BAD_PAYLOAD) or dropped, never a crash.
      const s = await connectClient(h.url);
      const outcome = Promise.race([
        disconnected(s),
        new Promise<string>((resolve) => s.once("error", (e) => resolve(e.code))),
      ]);
      s.io.engine.write(deepJson);
      rawSent++;
      expect(await Promise.race([outcome, sleep(5_000).then(() => "nothing")])).not.toBe("nothing");
      s.close();
    }
    for (const junk of [
      '42["disconnect","x"]',
      '42["connect"]',
      "4{{{",
      "49999999999",
      "2probe",
      '451-["round:answer",{"_placeholder":true,"num":7}]',
    ]) {
      const s = await connectClient(h.url);
      const gone = disconnected(s);
      s.io.engine.write(junk);
      rawSent++;
      expect(await Promise.race([gone, sleep(5_000).then(() => "still open")])).not.toBe(
        "still open",
      );
    }
    // A frame past maxHttpBufferSize is refused at the transport.
    const big = await connectClient(h.url);
    const bigGone = disconnected(big);
    (big.emit as (e: string, p: unknown) => void)("trainer:snapshot", {
      code: auth.code,
      hostToken: auth.hostToken,
      step: 1,
      weights: new Uint8Array(MAX_SNAPSHOT_BYTES + 200_000),
    });
    expect(await Promise.race([bigGone, sleep(10_000).then(() => "still open")])).not.toBe(
      "still open",
    );
    // Repeated garbage past the strike limit disconnects.
    const striker: Client = await connectClient(h.url);
    const struck = disconnected(striker);
    for (let i = 0; i < 30; i++)
      (striker.emit as (e: string, p: unknown) => void)("round:answer", { junk: i });
    expect(await Promise.race([struck, sleep(5_000).then(() => "still open")])).toBe(
      "io server disconnect",
    );

    busy.done = true;
    const studentFailures = await busyRun;

    // Every frame the server parsed was answered, with ok or a known error code.
    expect(sent).toBeGreaterThanOrEqual(FRAMES);
    expect(replies).toHaveLength(acked);
    expect(errorEvents).toBeGreaterThanOrEqual(expectedErrors);
    const codes = new Map<string, number>();
    for (const r of replies) {
      const key = r.ok ? "ok" : (r.code ?? "none");
      codes.set(key, (codes.get(key) ?? 0) + 1);
      if (!r.ok) expect(CODES.has(r.code ?? "")).toBe(true);
    }
    // The students never failed and kept their latency.
    expect(studentFailures).toBe(0);
    const p = (xs: number[], q: number) => Math.round(quantile(xs, q));
    console.log(
      `fuzz: ${sent + rawSent + 31} frames in ${Math.round(fuzzMs)} ms; acks ${JSON.stringify(Object.fromEntries(codes))}; ` +
        `${errorEvents} error events for ${sent - acked} frames without ack; ` +
        `student acks quiet p50 ${p(baseline, 0.5)} ms p99 ${p(baseline, 0.99)} ms (n=${baseline.length}), ` +
        `under fuzz p50 ${p(under, 0.5)} ms p99 ${p(under, 0.99)} ms (n=${under.length})`,
    );
    expect(quantile(under, 0.99)).toBeLessThan(1_000);
    // Still serving: a new host can open a room, the answers table holds only the students'.
    expect((await openRoom(await h.client())).code).toMatch(/^[A-Z0-9]{6}$/);
    const byPlayer = await h.db.answer.groupBy({ by: ["playerId"], _count: true });
    const ids = new Set(students.map((s) => s.playerId));
    for (const row of byPlayer) expect(ids.has(row.playerId)).toBe(true);
  }, 180_000);
});
