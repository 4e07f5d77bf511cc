// zod schemas for every message that crosses the wire. Types are inferred from these; nothing
// else declares a payload shape.
import { z } from "../zod";
import { IMAGE_PIXELS } from "../gan/dataset";
import type { WaitingForgery } from "../game/views";

export const PROTOCOL_VERSION = 1;

/** Largest binary upload accepted (a classroom snapshot is well under this). */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;
export const MAX_FAKES_PER_UPLOAD = 256;
/** Largest latent size a forged noise vector may have (the presets use ≤ 100). */
export const MAX_LATENT_DIM = 512;

const bytes = (max: number) =>
  z
    .custom<Uint8Array>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer, {
      message: "expected binary data",
    })
    .transform((v) => (v instanceof Uint8Array ? v : new Uint8Array(v)))
    .refine((v) => v.byteLength <= max, { message: `binary payload larger than ${max} bytes` });

export const RoomCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{6}$/, "a join code is 6 letters and digits")
  .brand<"RoomCode">();
export type RoomCode = z.infer<typeof RoomCode>;

/** Join codes avoid look-alike characters (0/O, 1/I/L) so they can be read off a projector. */
export const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const Token = z.string().min(16).max(128);
export const SeatToken = Token.brand<"SeatToken">();
export type SeatToken = z.infer<typeof SeatToken>;
export const HostToken = Token.brand<"HostToken">();
export type HostToken = z.infer<typeof HostToken>;

export const Id = z.string().min(1).max(64);

export const Nickname = z
  .string()
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(2, "a nickname needs at least 2 characters")
      .max(20, "a nickname has at most 20 characters")
      .regex(/^[\p{L}\p{N} _.-]+$/u, "use letters, digits, spaces, dots, dashes or underscores"),
  );

export const Verdict = z.enum(["real", "fake"]);
export type Verdict = z.infer<typeof Verdict>;

export const RoomSettings = z.object({
  roundSize: z.number().int().min(4).max(30),
  roundSeconds: z.number().int().min(5).max(120),
  /** Weight of the human critic in the generator's loss (0 = classic GAN). */
  lambda: z.number().min(0).max(1),
  /** Feed fakes the class caught to D as extra fake examples. */
  feedCaughtFakes: z.boolean(),
  /** Training steps per second the trainer aims for (0 = paused). */
  trainingSpeed: z.number().min(0).max(100),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

export const DEFAULT_ROOM_SETTINGS: RoomSettings = {
  roundSize: 10,
  roundSeconds: 20,
  lambda: 0,
  feedCaughtFakes: false,
  trainingSpeed: 10,
};

const versioned = { protocolVersion: z.number().int() };
const hostAuth = { code: RoomCode, hostToken: HostToken };

// ---- client → server -------------------------------------------------------------------------

export const RoomCreate = z.object({ ...versioned, settings: RoomSettings.partial().optional() });
export const RoomJoin = z.object({
  ...versioned,
  code: RoomCode,
  nickname: Nickname,
  seatToken: SeatToken.optional(),
});
export const HostResume = z.object({ ...versioned, ...hostAuth });
export const RoundAnswer = z.object({ roundId: Id, itemId: Id, verdict: Verdict });
export const HostSettings = z.object({ ...hostAuth, settings: RoomSettings.partial() });
export const HostAction = z.object(hostAuth);
export const HostKick = z.object({ ...hostAuth, playerId: Id });
export const HostLock = z.object({ ...hostAuth, locked: z.boolean() });
/** Opens (or closes) the forge phase: every phone shows the forge until the next round. */
export const HostForge = z.object({ ...hostAuth, open: z.boolean() });
/**
 * A student's forgery: the noise vector only (float32, little-endian), never pixels. The server
 * draws the image itself with the generator of snapshot `step`. Length and values are checked
 * against that generator (lib/game/forge.ts), with their own error codes.
 */
export const ForgeSubmit = z.object({
  step: z.number().int().min(0),
  noise: bytes(MAX_LATENT_DIM * 4),
});

export const TrainingMetrics = z.object({
  step: z.number().int().min(0),
  dLoss: z.number().finite(),
  gLoss: z.number().finite(),
  dReal: z.number().min(0).max(1),
  dFake: z.number().min(0).max(1),
  quality: z.number().finite().nullable(),
  fid: z.number().finite().nullable(),
  lambda: z.number().min(0).max(1),
});
export type TrainingMetrics = z.infer<typeof TrainingMetrics>;

export const TrainerSnapshot = z.object({
  ...hostAuth,
  step: z.number().int().min(0),
  weights: bytes(MAX_SNAPSHOT_BYTES),
});
export const TrainerMetrics = z.object({
  ...hostAuth,
  metrics: z.array(TrainingMetrics).min(1).max(200),
});
export const TrainerFakes = z.object({
  ...hostAuth,
  step: z.number().int().min(0),
  /** n × 784 bytes of 8-bit grayscale. */
  images: bytes(MAX_FAKES_PER_UPLOAD * IMAGE_PIXELS).refine(
    (v) => v.byteLength > 0 && v.byteLength % IMAGE_PIXELS === 0,
    { message: `images must be a whole number of ${IMAGE_PIXELS}-byte digits` },
  ),
});

// ---- server → client -------------------------------------------------------------------------

export const PlayerSummary = z.object({
  id: Id,
  nickname: z.string(),
  score: z.number().int(),
  connected: z.boolean(),
  isPolice: z.boolean(),
});
export type PlayerSummary = z.infer<typeof PlayerSummary>;

export const RoomStatus = z.enum(["lobby", "round", "reveal", "ended"]);
export type RoomStatus = z.infer<typeof RoomStatus>;

export const RoomState = z.object({
  code: z.string(),
  status: RoomStatus,
  locked: z.boolean(),
  settings: RoomSettings,
  players: z.array(PlayerSummary),
  round: z
    .object({
      roundId: Id,
      index: z.number().int(),
      deadline: z.number(),
      itemCount: z.number().int(),
      answers: z.number().int(),
    })
    .nullable(),
  trainer: z.object({ connected: z.boolean(), step: z.number().int(), hasGenerator: z.boolean() }),
  /**
   * Forging: `open` while the teacher's forge phase runs (phones show the forge); `step` is the
   * snapshot students forge with (null until someone needs one); `submitted` counts the
   * forgeries waiting for a round.
   */
  forge: z
    .object({ open: z.boolean(), step: z.number().int().nullable(), submitted: z.number() })
    .optional(),
  serverNow: z.number(),
});
export type RoomState = z.infer<typeof RoomState>;

export type Ack<T> =
  { ok: true; data: T } | { ok: false; code: import("./codes").ErrorCode; message: string };

export const TrainingUpdate = z.object({
  step: z.number().int(),
  metrics: TrainingMetrics.nullable(),
  /** Grayscale sample grid, `cols` × `rows` digits of 28×28. */
  grid: z
    .object({ cols: z.number().int(), rows: z.number().int(), pixels: bytes(64 * IMAGE_PIXELS) })
    .nullable(),
});
export type TrainingUpdate = z.infer<typeof TrainingUpdate>;

export const ErrorEvent = z.object({
  code: z.string(),
  message: z.string(),
  event: z.string().optional(),
});
export type ErrorEvent = z.infer<typeof ErrorEvent>;

// Server → client payloads other than these are the views built by lib/game/views.ts (typed in
// events.ts); the server is their only author, so they need no runtime schema.

export const RoomCreated = z.object({
  roomId: Id,
  code: z.string(),
  hostToken: HostToken,
  state: RoomState,
});
export const RoomJoinedFields = z.object({
  playerId: Id,
  nickname: z.string(),
  seatToken: SeatToken,
  state: RoomState,
});
export type { WaitingForgery };
/** The reply to forge:submit: the image the server drew from the vector, and D's view of it. */
export interface ForgeSubmitted {
  forgeryId: string;
  step: number;
  image: Uint8Array;
  /** P(real) by the same snapshot's discriminator. */
  suspicion: number | null;
  /** An earlier forgery of this student, not yet played, was replaced by this one. */
  replaced: boolean;
}

export type RoomCreated = z.infer<typeof RoomCreated>;
/** The reply to room:join; a returning student also gets their forgery still waiting, if any. */
export type RoomJoined = z.infer<typeof RoomJoinedFields> & {
  forgery: WaitingForgery | null;
};
