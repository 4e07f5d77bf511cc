// Routing client events to the one process that owns the room (server/cluster/lease.ts).
//
// Any process accepts any socket. Every client event has already been parsed by the wrapper in
// server/realtime.ts; the handler this module puts in its place finds the room's join code (in the
// payload, or remembered from the socket's join), and then:
//   - this process owns the room (or takes it, when nobody does): the room service's own handler
//     runs, exactly as in a single process;
//   - another process owns it: the parsed event is forwarded with io.serverSideEmit (the Redis
//     Streams adapter carries it) and the owner runs the same handler on a facade of the remote
//     socket: its id and data, join/leave through io.in(id).socketsJoin (the adapter applies it
//     where the socket lives), emit through io.to(id).emit. The owner's reply carries the ack and
//     the socket's new data (seat, room) back, and the origin acks the client.
// When the owner is gone (killed), no process answers the forward; the origin waits for the lease
// to expire, takes the room and restores it from the database (the single-process restart path).
import type { Server } from "socket.io";
import { clientSchemas, ErrorCode, type Ack, type ClientEventName } from "../../lib/protocol";
import type { Logger } from "../logger";
import {
  fail,
  type AppServer,
  type AppSocket,
  type Handler,
  type Handlers,
  type SocketData,
} from "../realtime";
import { roomChannel } from "../rooms/runtime";
import type { RoomService } from "../rooms/service";
import type { LeaseManager, Owner } from "./lease";

const FORWARD = "stf:forward";
const LEFT = "stf:left";
const FORGET = "stf:forget";
const READ = "stf:read";
/** How long past one lease period an event may wait for a dead owner's room to be taken over. */
const PLACE_SLACK_MS = 5000;
const OWNER_CACHE_MS = 1000;

interface ForwardMessage {
  to: string;
  epoch: number;
  code: string;
  event: ClientEventName;
  socketId: string;
  data: SocketData;
  payload: unknown;
}

type ForwardReply =
  | { node: string; status: "done"; ack: Ack<unknown>; data: SocketData; joined: string[] }
  | { node: string; status: "moved" };

/** The room reads behind HTTP routes (a phone's forge download, a reloaded projector's resume):
 * the request reaches any process, the answer comes from the room's state machine. */
export type RoomRead = "latestSnapshot" | "forgeSnapshot";
type ReadResult = { step: number; weights: Uint8Array } | null;

interface ReadMessage {
  to: string;
  epoch: number;
  method: RoomRead;
  code: string;
  token: string;
}

type ReadReply =
  { node: string; status: "done"; result: ReadResult } | { node: string; status: "moved" };

interface LeftMessage {
  code: string;
  socketId: string;
  data: SocketData;
  reason: string;
}

export interface RouterDeps {
  io: AppServer;
  rooms: RoomService;
  /** The room service's own handlers (run where the room lives). */
  local: Handlers;
  leases: LeaseManager;
  nodeId: string;
  leaseMs: number;
  logger: Logger;
}

export interface ClusterRouter {
  /** Drop-in for the room service's handlers: same events, same acks. */
  handlers: Handlers;
  onDisconnect(socket: AppSocket, reason: string): void;
  /** A room's rows were deleted (history API, on any process): every process drops it. */
  forget(roomId: string): void;
  /** A room read answered by the process that runs the room (null: no such room or seat). */
  read(method: RoomRead, code: string, token: string): Promise<ReadResult>;
  /** Takes over rooms whose owner died, for rooms this process has sockets in. */
  sweep(): Promise<void>;
  /** Counters for the benchmark and the logs. */
  stats: { local: number; forwarded: number; takeovers: number };
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pickData(data: SocketData): SocketData {
  const out: SocketData = { ip: data.ip };
  if (data.playerId) out.playerId = data.playerId;
  if (data.roomId) out.roomId = data.roomId;
  if (data.hostOfRoomId) out.hostOfRoomId = data.hostOfRoomId;
  return out;
}

/** A stand-in for a socket connected to another process, with what the room service uses. */
function remoteSocket(io: AppServer, socketId: string, data: SocketData) {
  const joined: string[] = [];
  const facade = {
    id: socketId,
    data: { ...data },
    handshake: { address: data.ip },
    connected: true,
    join(rooms: string | string[]) {
      const list = Array.isArray(rooms) ? rooms : [rooms];
      joined.push(...list);
      io.in(socketId).socketsJoin(list);
    },
    leave(room: string) {
      io.in(socketId).socketsLeave(room);
    },
    emit(event: string, ...args: unknown[]) {
      (io.to(socketId).emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
      return true;
    },
    disconnect(close = false) {
      io.in(socketId).disconnectSockets(close);
      return facade;
    },
  };
  return { socket: facade as unknown as AppSocket, joined };
}

export function createClusterRouter(deps: RouterDeps): ClusterRouter {
  const { io, rooms, local, leases, nodeId, logger } = deps;
  const raw = io as unknown as Server;
  /** The join code each local socket plays in (set by its first successful room event). */
  const codeOf = new Map<string, string>();
  const socketsIn = new Map<string, Set<string>>();
  const owners = new Map<string, { owner: Owner; at: number }>();
  const stats = { local: 0, forwarded: 0, takeovers: 0 };
  const adopting = new Map<string, Promise<void>>();

  function remember(socket: { id: string }, code: string) {
    const before = codeOf.get(socket.id);
    if (before === code) return;
    if (before) socketsIn.get(before)?.delete(socket.id);
    codeOf.set(socket.id, code);
    let set = socketsIn.get(code);
    if (!set) socketsIn.set(code, (set = new Set()));
    set.add(socket.id);
  }

  function forgetSocket(socketId: string) {
    const code = codeOf.get(socketId);
    if (!code) return;
    codeOf.delete(socketId);
    const set = socketsIn.get(code);
    set?.delete(socketId);
    if (set && set.size === 0) socketsIn.delete(code);
  }

  /** Restores a room just taken over and marks present everyone still connected anywhere. */
  function adopt(code: string): Promise<void> {
    let pending = adopting.get(code);
    if (!pending) {
      pending = (async () => {
        const present = async (roomId: string) => {
          const sockets = await io
            .in(roomChannel(roomId))
            .fetchSockets()
            .catch(() => []);
          return sockets.map((s) => s.data);
        };
        const adopted = await rooms.adopt(code, present);
        if (adopted) {
          stats.takeovers++;
          logger.info({ room: code, node: nodeId }, "room taken over");
        }
      })()
        .catch((err: unknown) => logger.error({ err, room: code }, "take-over failed"))
        .finally(() => adopting.delete(code));
      adopting.set(code, pending);
    }
    return pending;
  }

  /** Where the room runs: "self", another process, or "wait" (an owner that does not answer). */
  async function locate(code: string, fresh: boolean): Promise<"self" | Owner> {
    if (leases.owns(code)) {
      // Taken a moment ago and still being restored: events wait for the room to be in memory.
      await adopting.get(code);
      return "self";
    }
    const cached = owners.get(code);
    if (!fresh && cached && Date.now() - cached.at < OWNER_CACHE_MS) return cached.owner;
    const got = await leases.acquire(code);
    if ("lease" in got) {
      owners.delete(code);
      // A room that existed before this process owned it (its owner died): restore it first.
      await adopt(code);
      return "self";
    }
    owners.set(code, { owner: got.owner, at: Date.now() });
    return got.owner;
  }

  /** The owner's reply; null when no process claimed the event (the owner is gone); "timeout"
   * when some process did not answer in time (the owner may be alive and still working on it). */
  function forward(owner: Owner, msg: Omit<ForwardMessage, "to" | "epoch">) {
    return new Promise<ForwardReply | null | "timeout">((resolve) => {
      const full: ForwardMessage = { ...msg, to: owner.node, epoch: owner.epoch };
      raw.serverSideEmit(FORWARD, full, (err: Error | null, replies: (ForwardReply | null)[]) => {
        const reply = (replies ?? []).find((r) => r && r.node === owner.node) ?? null;
        if (!reply && err) {
          logger.warn({ err, room: msg.code, event: msg.event }, "forwarded event timed out");
          resolve("timeout");
        } else resolve(reply);
      });
    });
  }

  async function route<E extends ClientEventName>(
    event: E,
    socket: AppSocket,
    payload: Parameters<Handler<E>>[1],
  ): Promise<Ack<unknown>> {
    const handler = local[event] as Handler<E>;
    const fromPayload = (payload as { code?: unknown }).code;
    const code = typeof fromPayload === "string" ? fromPayload : codeOf.get(socket.id);
    if (event === "room:create" || !code) {
      stats.local++;
      const res = await handler(socket, payload);
      if (event === "room:create" && res.ok) {
        const created = (res.data as { code: string }).code;
        const got = await leases.acquire(created);
        if (!("lease" in got)) logger.error({ room: created }, "a new room's lease is taken");
        remember(socket, created);
      }
      return res;
    }
    const deadline = Date.now() + deps.leaseMs + PLACE_SLACK_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const where = await locate(code, attempt > 0);
      if (where === "self") {
        stats.local++;
        const res = await handler(socket, payload);
        if (res.ok) remember(socket, code);
        return res;
      }
      stats.forwarded++;
      const reply = await forward(where, {
        code,
        event,
        socketId: socket.id,
        data: pickData(socket.data),
        payload,
      });
      // Not retried: the owner may have run it (the client's own retry is idempotent).
      if (reply === "timeout") return fail(ErrorCode.Internal);
      if (reply?.status === "done") {
        Object.assign(socket.data, reply.data);
        if (reply.joined.length) void socket.join(reply.joined);
        if (reply.ack.ok) remember(socket, code);
        return reply.ack;
      }
      // Moved, or nobody answered (the owner died): look again, after its lease can expire.
      owners.delete(code);
      await sleep(reply ? 20 : Math.min(250, deps.leaseMs / 10));
    }
    logger.warn({ room: code, event }, "no process could take the event");
    return fail(ErrorCode.Internal);
  }

  function askOwner(owner: Owner, msg: Omit<ReadMessage, "to" | "epoch">) {
    return new Promise<ReadReply | null>((resolve) => {
      const full: ReadMessage = { ...msg, to: owner.node, epoch: owner.epoch };
      raw.serverSideEmit(READ, full, (_err: Error | null, replies: (ReadReply | null)[]) => {
        resolve((replies ?? []).find((r) => r && r.node === owner.node) ?? null);
      });
    });
  }

  async function read(method: RoomRead, code: string, token: string): Promise<ReadResult> {
    const deadline = Date.now() + deps.leaseMs + PLACE_SLACK_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const where = await locate(code, attempt > 0);
      if (where === "self") return rooms[method](code, token);
      const reply = await askOwner(where, { method, code, token });
      if (reply?.status === "done") {
        const { result } = reply;
        // The adapter's msgpack hands binary back as a Buffer or Uint8Array view.
        return result && { step: result.step, weights: new Uint8Array(result.weights) };
      }
      owners.delete(code);
      await sleep(reply ? 20 : Math.min(250, deps.leaseMs / 10));
    }
    logger.warn({ room: code, method }, "no process could answer the room read");
    return null;
  }

  const handlers = {} as Record<ClientEventName, Handler<ClientEventName>>;
  for (const event of Object.keys(local) as ClientEventName[]) {
    handlers[event] = ((socket, payload) =>
      route(event, socket, payload)) as Handler<ClientEventName>;
  }

  raw.on(FORWARD, (msg: ForwardMessage, reply: (r: ForwardReply | null) => void) => {
    if (msg.to !== nodeId) return reply(null);
    const lease = leases.held(msg.code);
    if (!lease || lease.epoch !== msg.epoch || !leases.owns(msg.code)) {
      return reply({ node: nodeId, status: "moved" });
    }
    const schema = clientSchemas[msg.event];
    const handler = local[msg.event] as Handler<ClientEventName> | undefined;
    if (!schema || !handler) return reply({ node: nodeId, status: "moved" });
    // Parsed once where it arrived; parsed again here (binary comes back as Uint8Array).
    const parsed = schema.safeParse(msg.payload);
    const { socket, joined } = remoteSocket(io, msg.socketId, pickData(msg.data));
    const done = (ack: Ack<unknown>) =>
      reply({ node: nodeId, status: "done", ack, data: pickData(socket.data), joined });
    if (!parsed.success) return done(fail(ErrorCode.BadPayload));
    stats.local++;
    const restored = adopting.get(msg.code) ?? Promise.resolve();
    restored
      .then(() => handler(socket, parsed.data as never))
      .then(done, (err: unknown) => {
        logger.error({ err, event: msg.event }, "forwarded handler failed");
        done(fail(ErrorCode.Internal));
      });
  });

  raw.on(LEFT, (msg: LeftMessage) => {
    if (!leases.owns(msg.code)) return;
    const { socket } = remoteSocket(io, msg.socketId, pickData(msg.data));
    rooms.onDisconnect(socket, msg.reason);
  });

  raw.on(FORGET, (roomId: string) => rooms.forget(roomId));

  raw.on(READ, (msg: ReadMessage, reply: (r: ReadReply | null) => void) => {
    if (msg.to !== nodeId) return reply(null);
    const lease = leases.held(msg.code);
    if (!lease || lease.epoch !== msg.epoch || !leases.owns(msg.code)) {
      return reply({ node: nodeId, status: "moved" });
    }
    if (msg.method !== "latestSnapshot" && msg.method !== "forgeSnapshot") return reply(null);
    (adopting.get(msg.code) ?? Promise.resolve())
      .then(() => rooms[msg.method](msg.code, msg.token))
      .then(
        (result) => reply({ node: nodeId, status: "done", result }),
        (err: unknown) => {
          logger.error({ err, room: msg.code, method: msg.method }, "room read failed");
          reply({ node: nodeId, status: "done", result: null });
        },
      );
  });

  return {
    handlers: handlers as unknown as Handlers,
    forget(roomId) {
      rooms.forget(roomId);
      raw.serverSideEmit(FORGET, roomId);
    },
    stats,
    read,
    onDisconnect(socket, reason) {
      const code = codeOf.get(socket.id);
      forgetSocket(socket.id);
      if (!code || leases.owns(code)) {
        rooms.onDisconnect(socket, reason);
        return;
      }
      const msg: LeftMessage = { code, socketId: socket.id, data: pickData(socket.data), reason };
      raw.serverSideEmit(LEFT, msg);
    },
    async sweep() {
      // Rooms this process has sockets in but does not own: if their owner's lease is gone, the
      // owner died; take the room so its students are not left waiting for their next message.
      await Promise.all(
        [...socketsIn.keys()]
          .filter((code) => !leases.owns(code))
          .map(async (code) => {
            try {
              if ((await leases.owner(code)) === null) await locate(code, true);
            } catch (err) {
              logger.warn({ err, room: code }, "take-over check failed");
            }
          }),
      );
    },
    close() {
      raw.removeAllListeners(FORWARD);
      raw.removeAllListeners(LEFT);
      raw.removeAllListeners(FORGET);
      raw.removeAllListeners(READ);
    },
  };
}
