// socket.io on the shared HTTP server. Every client event enters through one wrapper that parses
// it with its zod schema before any handler runs; bad input gets an `error` event and a failed
// ack, repeated garbage or floods disconnect, and the room never sees any of it.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import {
  CLIENT_EVENTS,
  clientSchemas,
  ErrorCode,
  errorMessages,
  MAX_SNAPSHOT_BYTES,
  type Ack,
  type ClientAckData,
  type ClientEventName,
  type ClientToServerEvents,
  type ParsedClientPayload,
  type ServerToClientEvents,
} from "../lib/protocol";
import type { Logger } from "./logger";
import { originAllowed, SOCKET_PATH } from "./security";

export interface SocketData {
  playerId?: string;
  roomId?: string;
  hostOfRoomId?: string;
  ip: string;
}

export type AppServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export type Handler<E extends ClientEventName> = (
  socket: AppSocket,
  payload: ParsedClientPayload<E>,
) => Promise<Ack<ClientAckData[E]>>;
export type Handlers = { [E in ClientEventName]: Handler<E> };

export interface RealtimeOptions {
  logger: Logger;
  allowedOrigins: string[];
  /** Events per second a socket may send before it is throttled (bursts allowed). */
  eventsPerSecond?: number;
  /** New connections per address per 10 s. */
  handshakesPer10s?: number;
  /** Malformed messages tolerated before the socket is disconnected. */
  maxStrikes?: number;
  onConnection?: (socket: AppSocket) => void;
  onDisconnect?: (socket: AppSocket, reason: string) => void;
  /** The client's address for rate limits (default: the TCP peer). Behind a trusted proxy
   * (cluster mode, TRUST_PROXY), the address that proxy saw. */
  clientAddress?: (req: IncomingMessage) => string | undefined;
}

/**
 * Heartbeat. A phone whose network vanished without closing the socket (Wi-Fi gone, screen
 * locked) is noticed by the server PING_TIMEOUT_MS after the first ping it leaves unanswered:
 * 3.5–5.5 s after the drop (it was 10–20 s with the 10 s / 10 s here before). A false positive
 * needs an event loop blocked for about PING_TIMEOUT_MS: the server's (the pong waits unread in
 * the socket while the timeout timer fires first) or the phone's. bench:room at 2,000 students
 * on this shared 2-core machine measured stalls up to ~1.4 s (load average 11–20), so 2.5 s was
 * too close; reliability-heartbeat.test.ts holds a server stalled just under the timeout without
 * losing anyone. The phone gives up after PING_INTERVAL_MS + PING_TIMEOUT_MS without a ping and
 * reconnects with its seat token. Cost: two tiny frames per socket every 2 s.
 */
export const PING_INTERVAL_MS = 2_000;
export const PING_TIMEOUT_MS = 3_500;

export function fail<T>(code: ErrorCode, message = errorMessages[code]): Ack<T> {
  return { ok: false, code, message };
}

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const first = error.issues.slice(0, 3).map((i) => {
    const where = i.path.map(String).join(".");
    return where ? `${where}: ${i.message}` : i.message;
  });
  return `Invalid message. ${first.join("; ")}`;
}

/**
 * A packet with binary attachments (round:started: one JSON packet and one per image) leaves
 * engine.io as several WebSocket frames, each written to the TCP socket with its own syscall.
 * Corking the socket around one batch of frames sends them in one write.
 */
function batchFrames(transport: unknown): void {
  const t = transport as {
    name?: string;
    send?: (packets: unknown[]) => void;
    socket?: { _socket?: { cork(): void; uncork(): void } };
  };
  const tcp = t.socket?._socket;
  if (t.name !== "websocket" || typeof t.send !== "function" || !tcp) return;
  const send = t.send.bind(t);
  t.send = (packets) => {
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}

export function createRealtimeServer(
  httpServer: HttpServer,
  handlers: Handlers,
  opts: RealtimeOptions,
): AppServer {
  const { logger } = opts;
  const maxStrikes = opts.maxStrikes ?? 20;
  // Handshakes per address: a class of hundreds behind one school NAT may all connect within
  // seconds (and reconnect together after a Wi-Fi blip), so this is generous; a flood is not.
  const handshakes = new RateLimiterMemory({ points: opts.handshakesPer10s ?? 2000, duration: 10 });
  const io: AppServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Snapshots are binary and at most MAX_SNAPSHOT_BYTES; nothing larger is ever accepted.
    maxHttpBufferSize: MAX_SNAPSHOT_BYTES + 64 * 1024,
    // Our own upgrade guard (server/security.ts) destroys non-socket.io upgrades.
    destroyUpgrade: false,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req.headers.origin, req.headers.host, opts.allowedOrigins);
      if (!allowed) {
        logger.warn({ origin: req.headers.origin }, "socket refused: origin not allowed");
        callback("origin not allowed", false);
        return;
      }
      handshakes.consume(opts.clientAddress?.(req) ?? req.socket.remoteAddress ?? "unknown").then(
        () => callback(null, true),
        () => callback("too many connections from this address", false),
      );
    },
  });

  const eventsPerSecond = opts.eventsPerSecond ?? 40;

  // round:started at 2,000 students: its broadcast's server CPU halves (measured: 105 → 50 ms
  // per 1,000 sockets).
  io.engine.on(
    "connection",
    (raw: { transport: unknown; on(e: "upgrade", f: (t: unknown) => void): void }) => {
      batchFrames(raw.transport);
      raw.on("upgrade", batchFrames);
    },
  );

  io.on("connection", (socket) => {
    socket.data.ip = opts.clientAddress?.(socket.request) ?? socket.handshake.address;
    let strikes = 0;
    let throttled = 0;

    const reject = (event: string, code: ErrorCode, message: string, ack?: unknown) => {
      socket.emit("error", { code, message, event });
      if (typeof ack === "function") (ack as (r: Ack<never>) => void)(fail(code, message));
    };

    // Events per socket in a fixed 1 s window, counted in place: a shared limiter's promise and
    // expiry timer per packet were a visible cost with 2,000 students answering at once.
    let windowStart = -Infinity;
    let used = 0;
    socket.use((packet, next) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        used = 0;
      }
      if (++used <= eventsPerSecond) {
        next();
        return;
      }
      throttled++;
      const ack = packet[packet.length - 1];
      reject(String(packet[0]), ErrorCode.RateLimited, errorMessages.RATE_LIMITED, ack);
      if (throttled > 20) {
        logger.warn({ ip: socket.data.ip }, "disconnecting a flooding socket");
        socket.disconnect(true);
      }
    });

    socket.onAny((event: string, ...args: unknown[]) => {
      if ((CLIENT_EVENTS as string[]).includes(event)) return;
      strikes++;
      reject(
        event,
        ErrorCode.UnknownEvent,
        `Unknown message "${String(event).slice(0, 40)}".`,
        args.at(-1),
      );
      if (strikes > maxStrikes) socket.disconnect(true);
    });

    for (const event of CLIENT_EVENTS) {
      socket.on(event, async (...args: unknown[]) => {
        // The ack is the last argument, however many a client sends before it; extras are ignored.
        const ack = typeof args.at(-1) === "function" ? args.pop() : undefined;
        const parsed = clientSchemas[event].safeParse(args[0]);
        if (!parsed.success) {
          strikes++;
          reject(event, ErrorCode.BadPayload, describeIssues(parsed.error), ack);
          if (strikes > maxStrikes) {
            logger.warn(
              { ip: socket.data.ip, strikes },
              "disconnecting a socket that sends garbage",
            );
            socket.disconnect(true);
          }
          return;
        }
        let result: Ack<unknown>;
        try {
          const handler = handlers[event] as Handler<typeof event>;
          result = await handler(socket, parsed.data as never);
        } catch (err) {
          logger.error({ err, event }, "handler failed");
          result = fail(ErrorCode.Internal);
        }
        if (typeof ack === "function") (ack as (r: Ack<unknown>) => void)(result);
        else if (!result.ok)
          socket.emit("error", { code: result.code, message: result.message, event });
      });
    }

    socket.on("disconnect", (reason) => {
      opts.onDisconnect?.(socket, reason);
    });
    opts.onConnection?.(socket);
  });

  return io;
}
