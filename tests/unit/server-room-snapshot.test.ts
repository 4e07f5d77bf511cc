import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { createApiRouter } from "@/server/api/router";
import { roomRoutes } from "@/server/api/rooms";
import { createLogger } from "@/server/logger";
import { harnessPerTest, tinySnapshot } from "./server-harness";

const harness = harnessPerTest();

it("gives a class's host, and only the host, the newest snapshot to resume training from", async () => {
  const h = await harness();
  const api = createApiRouter(roomRoutes(h.rooms), createLogger("silent"));
  const http = createServer((req, res) => void api(req, res));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    const host = await h.client();
    const created = await host.emitWithAck("room:create", { protocolVersion: PROTOCOL_VERSION });
    if (!created.ok) throw new Error(created.code);
    const { code, hostToken } = created.data;
    const url = `${base}/api/rooms/${code}/snapshot`;
    const auth = { Authorization: `Bearer ${hostToken}` };

    expect((await fetch(url, { headers: auth })).status).toBe(404); // none yet
    const weights = await tinySnapshot(42);
    await host.emitWithAck("trainer:snapshot", { code, hostToken, step: 42, weights });
    const res = await fetch(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(weights);

    const stranger = await fetch(url, { headers: { Authorization: `Bearer ${"s".repeat(32)}` } });
    expect(stranger.status).toBe(404);
  } finally {
    http.close();
  }
});
