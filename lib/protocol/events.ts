// The typed socket.io event maps, built from the schemas. Server and browser both import these;
// no event name or payload shape is written anywhere else.
import type { z } from "zod";
import type { ServerMessage } from "../game/events";
import * as S from "./schemas";

/** Every client → server event and the schema that parses its payload. */
export const clientSchemas = {
  "room:create": S.RoomCreate,
  "room:join": S.RoomJoin,
  "host:resume": S.HostResume,
  "round:answer": S.RoundAnswer,
  "host:settings": S.HostSettings,
  "host:start-round": S.HostAction,
  "host:reveal": S.HostAction,
  "host:kick": S.HostKick,
  "host:lock": S.HostLock,
  "host:end": S.HostAction,
  "host:forge": S.HostForge,
  "forge:submit": S.ForgeSubmit,
  "trainer:snapshot": S.TrainerSnapshot,
  "trainer:metrics": S.TrainerMetrics,
  "trainer:fakes": S.TrainerFakes,
} as const;

export type ClientEventName = keyof typeof clientSchemas;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientSchemas)[E]>;
export type ParsedClientPayload<E extends ClientEventName> = z.output<(typeof clientSchemas)[E]>;

/** What each client → server event answers through its acknowledgement. */
export interface ClientAckData {
  "room:create": S.RoomCreated;
  "room:join": S.RoomJoined;
  "host:resume": S.RoomState;
  "round:answer": { roundId: string; itemId: string; verdict: S.Verdict; duplicate: boolean };
  "host:settings": S.RoomState;
  "host:start-round": { roundId: string };
  "host:reveal": { roundId: string };
  "host:kick": S.RoomState;
  "host:lock": S.RoomState;
  "host:end": S.RoomState;
  "host:forge": S.RoomState;
  "forge:submit": S.ForgeSubmitted;
  "trainer:snapshot": { step: number };
  "trainer:metrics": { stored: number };
  "trainer:fakes": { stored: number };
}

export type ClientToServerEvents = {
  [E in ClientEventName]: (
    payload: ClientPayload<E>,
    ack: (res: S.Ack<ClientAckData[E]>) => void,
  ) => void;
};

/** Game messages come from lib/game (the reducer is their only author); the rest are the server's own. */
export type ServerToClientEvents = {
  [M in ServerMessage as M["event"]]: (payload: M["payload"]) => void;
} & {
  "training:update": (update: S.TrainingUpdate) => void;
  error: (err: S.ErrorEvent) => void;
};

export type ServerEventName = keyof ServerToClientEvents;

export const CLIENT_EVENTS = Object.keys(clientSchemas) as ClientEventName[];

// Payload types of server → client game messages, re-exported so pages import them from here.
export type {
  ForgeryOutcome,
  LeaderboardEntry,
  PlayerRevealView,
  PlayerRoundView,
  RevealItemView,
  RevealView,
  RoundStartedView,
} from "../game/views";
export type { CriticData, RoundProgress } from "../game/events";
export type { StatsSeries } from "../game/stats";
