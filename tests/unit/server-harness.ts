// Boots the realtime server and room service on port 0 with a real SQLite file (no Next), for
// tests that play with real socket.io clients.
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach } from "vitest";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS } from "@/lib/gan/config";
import { encodeSnapshot } from "@/lib/gan/snapshot";
import { createGan, dispose } from "@/lib/gan/train";
import { openDatabase, type Db } from "@/server/db";
import { createLogger } from "@/server/logger";
import { migrateDatabase } from "@/server/migrate";
import { attachGame, type GameDeps } from "@/server/game";
import type { AppServer } from "@/server/realtime";
import type { RoomService } from "@/server/rooms/service";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Harness {
  url: string;
  db: Db;
  dbUrl: string;
  rooms: RoomService;
  io: AppServer;
  http: Server;
  clock: { now: number };
  client(): Promise<Client>;
  stop(): Promise<void>;
}

const logger = createLogger("silent");

export function tempDatabaseUrl(): string {
  return `file:${path.join(mkdtempSync(path.join(tmpdir(), "stf-")), "test.db")}`;
}

export async function startHarness(
  dbUrl = tempDatabaseUrl(),
  opts: { migrate?: boolean; limits?: GameDeps["limits"] } = {},
): Promise<Harness> {
  if (opts.migrate !== false) await migrateDatabase(dbUrl, logger);
  const db = await openDatabase(dbUrl);
  const clock = { now: Date.now() };
  const http = createServer();
  const { io, rooms, close } = attachGame(http, {
    db,
    logger,
    clock: () => clock.now,
    rng: Math.random,
    allowedOrigins: [],
    limits: opts.limits,
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Client[] = [];
  return {
    url,
    db,
    dbUrl,
    rooms,
    io,
    http,
    clock,
    async client() {
      const socket: Client = connect(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
      });
      clients.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      return socket;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await close();
      await db.$disconnect();
    },
  };
}

/**
 * For a test file whose tests each boot a server: returns a starter (same arguments as
 * startHarness) and stops whatever a test started once it ends, pass or fail.
 */
export function harnessPerTest(): typeof startHarness {
  const running: Harness[] = [];
  afterEach(async () => {
    for (const h of running.splice(0)) await h.stop();
  });
  return async (...args) => {
    const h = await startHarness(...args);
    running.push(h);
    return h;
  };
}

/** A real snapshot of a freshly initialised tiny GAN (G and D), for rooms that need a police. */
export async function tinySnapshot(step = 1): Promise<Uint8Array> {
  await tf.setBackend("cpu");
  const gan = createGan(PRESETS.tiny, 7);
  const bytes = encodeSnapshot(gan, step);
  dispose(gan);
  return bytes;
}

/** n × 784 bytes of "generated" digits: noise strokes, as an untrained generator draws them. */
export function noiseImages(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n * 784);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = s % 256;
  }
  return out;
}

export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    socket.once(event as never, ((payload: unknown) => resolve(payload as never)) as never);
  });
}
