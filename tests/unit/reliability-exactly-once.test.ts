// Exactly once: socket.io's at-most-once delivery plus client retries (ackTimeout + retries) and
// manual re-emits must store and score each answer once.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  connectClient,
  joinRoom,
  nextMessage,
  openRoom,
  startRound,
} from "../../scripts/bench/fault-room";
import type { Verdict } from "@/lib/protocol";
import { harnessPerTest } from "./server-harness";

const harness = harnessPerTest();

const verdictFor = (k: number): Verdict => (k % 3 === 0 ? "fake" : "real");

describe("exactly-once answers", () => {
  it("stores and scores an answer once however often the client retries or re-emits it", async () => {
    const h = await harness();
    const host = await h.client();
    const auth = await openRoom(host, { roundSize: 6, roundSeconds: 60 });

    // Ada's client retries every answer after 40 ms without an ack; the server holds the first two
    // copies of each answer for 150 ms, so every answer arrives three times and its first acks are lost.
    const adaSocket = await connectClient(h.url, { ackTimeout: 40, retries: 10 });
    // The join is retried too, so it carries a seat token made by the client: a retried join
    // then finds the seat it created instead of failing with NICKNAME_TAKEN.
    const ada = await joinRoom(adaSocket, auth.code, "Ada", randomBytes(24).toString("base64url"));
    const copies = new Map<string, number>();
    const serverSide = h.io.sockets.sockets.get(adaSocket.id!)!;
    serverSide.use((packet, next) => {
      if (packet[0] !== "round:answer") return next();
      const key = JSON.stringify(packet[1]);
      const n = (copies.get(key) ?? 0) + 1;
      copies.set(key, n);
      if (n <= 2) setTimeout(next, 150);
      else next();
    });
    const grace = await joinRoom(await h.client(), auth.code, "Grace");
    const alan = await joinRoom(await h.client(), auth.code, "Alan"); // answers each item once

    const [round] = await startRound(host, auth, [ada.socket, grace.socket, alan.socket]);
    const items = round!.items;
    const answer = (k: number) => ({
      roundId: round!.roundId,
      itemId: items[k]!.itemId,
      verdict: verdictFor(k),
    });

    for (let k = 0; k < items.length; k++) {
      const acked = await ada.socket.emitWithAck("round:answer", answer(k));
      expect(acked.ok).toBe(true);
      // Grace's page sends every answer five times at once (a double tap and a flaky network).
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => grace.socket.emitWithAck("round:answer", answer(k))),
      );
      expect(burst.every((r) => r.ok)).toBe(true);
      expect(burst.filter((r) => r.ok && !r.data.duplicate)).toHaveLength(1);
      expect((await alan.socket.emitWithAck("round:answer", answer(k))).ok).toBe(true);
    }
    expect([...copies.values()].every((n) => n >= 3)).toBe(true);

    // Grace reloads and her page re-sends its last answer on the new connection.
    grace.socket.disconnect();
    const back = await joinRoom(await h.client(), auth.code, "Grace", grace.seatToken);
    const resent = await back.socket.emitWithAck("round:answer", answer(items.length - 1));
    expect(resent).toMatchObject({ ok: true, data: { duplicate: true } });
    // A change of mind is not a retry: refused, nothing stored.
    const changed = await back.socket.emitWithAck("round:answer", {
      ...answer(0),
      verdict: verdictFor(0) === "real" ? "fake" : "real",
    });
    expect(changed).toMatchObject({ ok: false, code: "ALREADY_ANSWERED" });

    const revealed = nextMessage(alan.socket, "round:revealed");
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    await revealed;

    const stored = await h.db.answer.findMany();
    for (const p of [ada, grace, alan]) {
      const mine = stored.filter((a) => a.playerId === p.playerId);
      expect(mine).toHaveLength(items.length);
      expect(new Set(mine.map((a) => a.itemId)).size).toBe(items.length);
    }
    // The clock is frozen, so equal verdicts earn equal points: the retried and re-emitted
    // answers scored exactly what Alan's single answers scored.
    const players = await h.db.player.findMany();
    const score = (id: string) => players.find((p) => p.id === id)!.score;
    const points = (id: string) =>
      stored.filter((a) => a.playerId === id).reduce((s, a) => s + a.points, 0);
    expect(score(ada.playerId)).toBe(score(alan.playerId));
    expect(score(grace.playerId)).toBe(score(alan.playerId));
    for (const p of [ada, grace, alan]) expect(score(p.playerId)).toBe(points(p.playerId));
  });
});
