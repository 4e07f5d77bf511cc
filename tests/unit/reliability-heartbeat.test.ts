// Silent drops: a phone whose network vanishes without closing its socket (Wi-Fi gone, a dead
// access point) is shown as disconnected within seconds, by the heartbeat alone; and a server
// that is busy (its event loop blocked for a while, as under a class of 2,000) loses nobody.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as connect } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type RoomState } from "@/lib/protocol";
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from "@/server/realtime";
import { COALESCE_MS } from "@/server/rooms/runtime";
import { startServerProcess, type ServerProcess } from "../../scripts/bench/fault-process";
import { startProxy, type FaultProxy } from "../../scripts/bench/fault-proxy";
import { startHarness, type Client, type Harness } from "./server-harness";

let h: Harness | null = null;
let proxy: FaultProxy | null = null;
let server: ServerProcess | null = null;
const sockets: Client[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await proxy?.close();
  await h?.stop();
  await server?.stop();
  h = null;
  proxy = null;
  server = null;
});

function open(url: string): Promise<Client> {
  const socket: Client = connect(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

describe("heartbeat", () => {
  it("shows a silently dropped phone as disconnected within ping interval + timeout", async () => {
    h = await startHarness();
    proxy = await startProxy(Number(new URL(h.url).port));
    const host = await open(h.url);
    const created = await host.emitWithAck("room:create", { protocolVersion: PROTOCOL_VERSION });
    if (!created.ok) throw new Error(created.code);
    // Every room:state the projector gets, from before the phone joins (none can be missed).
    const states: { at: number; room: RoomState }[] = [];
    host.on("room:state", (room) => states.push({ at: Date.now(), room }));
    const phone = await open(proxy.url);
    const joined = await phone.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: created.data.code,
      nickname: "Ada",
    });
    if (!joined.ok) throw new Error(joined.code);
    const { playerId } = joined.data;
    const connected = (room: RoomState) => room.players.find((p) => p.id === playerId)?.connected;
    const shown = async (value: boolean, since: number) => {
      for (;;) {
        const hit = states.find((s) => s.at >= since && connected(s.room) === value);
        if (hit) return hit.at;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await shown(true, 0);

    const droppedAt = Date.now();
    expect(proxy.freezeAll()).toBe(1); // the link goes quiet; neither side is told
    const shownAfter = (await shown(false, droppedAt)) - droppedAt;
    console.log(`silent drop shown after ${shownAfter} ms`);
    // Only the heartbeat can notice: not before the ping timeout, and well before the ~20 s of
    // socket.io's defaults.
    expect(shownAfter).toBeGreaterThanOrEqual(PING_TIMEOUT_MS - 50);
    expect(shownAfter).toBeLessThan(PING_INTERVAL_MS + PING_TIMEOUT_MS + COALESCE_MS + 1_000);
  }, 20_000);

  it("keeps every socket of a server stalled for a little less than the ping timeout, and loses them past it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stf-heartbeat-"));
    server = await startServerProcess(`file:${path.join(dir, "hb.db")}`);
    const clients = await Promise.all(Array.from({ length: 30 }, () => open(server!.url)));
    let dropped = 0;
    for (const c of clients) c.once("disconnect", () => dropped++);

    // Three stalls just short of the timeout, each right after a heartbeat round went out.
    for (let i = 0; i < 3; i++) {
      await server.stall(PING_TIMEOUT_MS - 600);
      await new Promise((r) => setTimeout(r, PING_INTERVAL_MS));
    }
    expect(dropped).toBe(0);

    // The control: a stall longer than interval + timeout does drop them, so a drop would show.
    await server.stall(PING_INTERVAL_MS + PING_TIMEOUT_MS + 500);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(dropped).toBe(clients.length);
  }, 40_000);
});
