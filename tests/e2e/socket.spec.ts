import { expect, test } from "@playwright/test";
import { PROTOCOL_VERSION, type ErrorEvent } from "../../lib/protocol";
import { connect } from "./helpers";

test("a valid message round-trips and an invalid one gets the error event", async ({ baseURL }) => {
  const socket = await connect(baseURL!);
  try {
    const created = await socket.emitWithAck("room:create", { protocolVersion: PROTOCOL_VERSION });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data.code).toMatch(/^[A-Z0-9]{6}$/);
    expect(created.data.state.status).toBe("lobby");

    const errorEvent = new Promise<ErrorEvent>((resolve) => socket.once("error", resolve));
    // Deliberately malformed: the code is a number and the nickname is missing.
    const emitRaw = socket.emitWithAck.bind(socket) as (
      e: string,
      p: unknown,
    ) => Promise<{ ok: boolean }>;
    const bad = await emitRaw("room:join", { protocolVersion: PROTOCOL_VERSION, code: 42 });
    expect(bad.ok).toBe(false);
    const err = await errorEvent;
    expect(err.code).toBe("BAD_PAYLOAD");
    expect(err.message).toMatch(/code|nickname/);

    // The connection stays healthy: the next valid message still works.
    const joined = await socket.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: created.data.code,
      nickname: "Ada",
    });
    expect(joined.ok).toBe(true);
    expect(socket.connected).toBe(true);
  } finally {
    socket.disconnect();
  }
});

test("upgrade requests outside /socket.io/ are refused", async ({ baseURL }) => {
  const url = new URL(baseURL!);
  const { request } = await import("node:http");
  const status = await new Promise<number | string>((resolve) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: "/_next/anything",
      headers: { Connection: "Upgrade", Upgrade: "websocket" },
    });
    req.on("upgrade", () => resolve("upgraded"));
    req.on("response", (res) => resolve(res.statusCode ?? 0));
    req.on("error", () => resolve("closed"));
    req.end();
  });
  expect(status).not.toBe("upgraded");
});
