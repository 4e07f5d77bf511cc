// Floods: a spamming client is cut off fast while its classmates keep answering; connection
// floods and join-code guessing are throttled per address; a locked room admits nobody new while
// seats still come back.
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type RoundStartedView } from "@/lib/protocol";
import {
  connectClient,
  disconnected,
  joinRoom,
  openRoom,
  quantile,
  sleep,
  startRound,
  type Student,
} from "../../scripts/bench/fault-room";
import { harnessPerTest } from "./server-harness";

const harness = harnessPerTest();

/** Students answering one item every 100 ms until stopped; returns their ack latencies. */
function keepAnswering(students: Student[], round: RoundStartedView) {
  const latencies: number[] = [];
  let failures = 0;
  let stop = false;
  const run = Promise.all(
    students.map(async (s, i) => {
      for (let k = 0; !stop; k++) {
        const t0 = performance.now();
        const res = await s.socket
          .emitWithAck("round:answer", {
            roundId: round.roundId,
            itemId: round.items[k % round.items.length]!.itemId,
            verdict: (i + k) % 2 ? "real" : "fake",
          })
          .catch(() => ({ ok: false }) as const);
        latencies.push(performance.now() - t0);
        if (!res.ok) failures++;
        await sleep(100);
      }
    }),
  );
  return {
    latencies,
    async stop() {
      stop = true;
      await run;
      return failures;
    },
  };
}

const joinPayload = (code: string, nickname: string, seatToken?: string) => ({
  protocolVersion: PROTOCOL_VERSION,
  code,
  nickname,
  ...(seatToken ? { seatToken } : {}),
});

describe("floods", () => {
  it("disconnects a student who floods events within 2 s while the others keep answering", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 120 });
    const students = [
      await joinRoom(await h.client(), auth.code, "Ada"),
      await joinRoom(await h.client(), auth.code, "Grace"),
    ];
    const spammer = await joinRoom(await h.client(), auth.code, "Mallory");
    const [round] = await startRound(
      host,
      auth,
      [...students, spammer].map((s) => s.socket),
    );
    const others = keepAnswering(students, round!);
    await sleep(500);

    const gone = disconnected(spammer.socket);
    const t0 = performance.now();
    let sent = 0;
    // Valid, acknowledged answers as fast as the client can write them, for at most 3 s.
    while (spammer.socket.connected && performance.now() - t0 < 3_000 && sent < 20_000) {
      for (let i = 0; i < 200; i++) {
        spammer.socket.emit(
          "round:answer",
          { roundId: round!.roundId, itemId: round!.items[i % 10]!.itemId, verdict: "real" },
          () => undefined,
        );
      }
      sent += 200;
      await sleep(5);
    }
    const reason = await Promise.race([gone, sleep(5_000).then(() => "still connected")]);
    const cutOffMs = performance.now() - t0;
    await sleep(500);
    const failures = await others.stop();

    console.log(
      `flood: spammer sent ${sent} frames, disconnected after ${Math.round(cutOffMs)} ms (${reason}); ` +
        `classmates p50 ${Math.round(quantile(others.latencies, 0.5))} ms p99 ${Math.round(quantile(others.latencies, 0.99))} ms (n=${others.latencies.length})`,
    );
    expect(reason).toBe("io server disconnect");
    expect(cutOffMs).toBeLessThan(2_000);
    expect(failures).toBe(0);
    expect(quantile(others.latencies, 0.99)).toBeLessThan(1_000);
    // The flood stored nothing beyond one answer per item.
    expect(await h.db.answer.count({ where: { playerId: spammer.playerId } })).toBeLessThanOrEqual(
      10,
    );
  });

  it("refuses a connection flood from one address past the handshake limit; connected students carry on", async () => {
    const h = await harness(undefined, { limits: { handshakesPer10s: 40 } });
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 10, roundSeconds: 120 });
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const [round] = await startRound(host, auth, [ada.socket]);

    const results = await Promise.allSettled(
      Array.from({ length: 300 }, () => connectClient(h.url, { timeout: 10_000 })),
    );
    const opened = results.filter((r) => r.status === "fulfilled");
    for (const r of opened) r.value.close();
    const refused = results.length - opened.length;
    console.log(
      `connection flood: ${opened.length} of ${results.length} accepted, ${refused} refused`,
    );
    expect(opened.length).toBeLessThanOrEqual(40 - 2);
    expect(refused).toBeGreaterThanOrEqual(300 - 40);
    const ack = await ada.socket.emitWithAck("round:answer", {
      roundId: round!.roundId,
      itemId: round!.items[0]!.itemId,
      verdict: "real",
    });
    expect(ack.ok).toBe(true);
  });

  it("throttles join-code guessing per address: past the limit even a right code is refused to a newcomer", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host);
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const guesser = await h.client();
    const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const codes: string[] = [];
    for (let i = 0; codes.length < 40; i++) {
      const c = Array.from(
        { length: 6 },
        (_, k) => alphabet[(i * 7 + k * 13 + i * k) % alphabet.length],
      ).join("");
      if (c !== auth.code) codes.push(c);
    }
    const replies: string[] = [];
    for (const code of codes) {
      const r = await guesser.emitWithAck("room:join", joinPayload(code, "Guess"));
      replies.push(r.ok ? "ok" : r.code);
    }
    expect(replies.slice(0, 30).every((c) => c === "ROOM_NOT_FOUND")).toBe(true);
    expect(replies.slice(30).every((c) => c === "RATE_LIMITED")).toBe(true);
    // The right code gives no oracle once the address is throttled...
    const right = await guesser.emitWithAck("room:join", joinPayload(auth.code, "Lucky"));
    expect(right).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    // ...while a student already seated (same school address) still gets back in.
    ada.socket.disconnect();
    const back = await (
      await h.client()
    ).emitWithAck("room:join", joinPayload(auth.code, "Ada", ada.seatToken));
    expect(back.ok && back.data.playerId).toBe(ada.playerId);
  });

  it("a locked room admits nobody new, while seat tokens bring players back and kicked ones stay out", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host);
    const ada = await joinRoom(await h.client(), auth.code, "Ada");
    const bob = await joinRoom(await h.client(), auth.code, "Bob");
    expect((await host.emitWithAck("host:kick", { ...auth, playerId: bob.playerId })).ok).toBe(
      true,
    );
    expect((await host.emitWithAck("host:lock", { ...auth, locked: true })).ok).toBe(true);

    const newcomer = await (
      await h.client()
    ).emitWithAck("room:join", joinPayload(auth.code, "Carol"));
    expect(newcomer).toMatchObject({ ok: false, code: "ROOM_LOCKED" });
    const madeUp = await (
      await h.client()
    ).emitWithAck("room:join", joinPayload(auth.code, "Carol", "x".repeat(32)));
    expect(madeUp).toMatchObject({ ok: false, code: "ROOM_LOCKED" });

    ada.socket.disconnect();
    const back = await (
      await h.client()
    ).emitWithAck("room:join", joinPayload(auth.code, "Ada", ada.seatToken));
    expect(back.ok && back.data.playerId).toBe(ada.playerId);
    const kicked = await (
      await h.client()
    ).emitWithAck("room:join", joinPayload(auth.code, "Bob", bob.seatToken));
    expect(kicked).toMatchObject({ ok: false, code: "KICKED" });
    expect(await h.db.player.count()).toBe(2);
  });
});
