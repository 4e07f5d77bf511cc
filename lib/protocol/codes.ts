// Error codes that cross the wire. Clients switch on these; messages are for people.

export const ErrorCode = {
  BadPayload: "BAD_PAYLOAD",
  UnknownEvent: "UNKNOWN_EVENT",
  StaleClient: "STALE_CLIENT",
  RateLimited: "RATE_LIMITED",
  RoomNotFound: "ROOM_NOT_FOUND",
  RoomLocked: "ROOM_LOCKED",
  RoomEnded: "ROOM_ENDED",
  RoomFull: "ROOM_FULL",
  NicknameTaken: "NICKNAME_TAKEN",
  NicknameRejected: "NICKNAME_REJECTED",
  NotHost: "NOT_HOST",
  NotJoined: "NOT_JOINED",
  Kicked: "KICKED",
  NoRound: "NO_ROUND",
  RoundInProgress: "ROUND_IN_PROGRESS",
  WrongRound: "WRONG_ROUND",
  UnknownItem: "UNKNOWN_ITEM",
  AlreadyAnswered: "ALREADY_ANSWERED",
  TooLate: "TOO_LATE",
  NoGenerator: "NO_GENERATOR",
  BadSnapshot: "BAD_SNAPSHOT",
  Internal: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Readable default messages, so a client can show something useful for any code. */
export const errorMessages: Record<ErrorCode, string> = {
  BAD_PAYLOAD: "That message was not in the expected shape.",
  UNKNOWN_EVENT: "The server does not know that message.",
  STALE_CLIENT: "This page is out of date. Please reload it.",
  RATE_LIMITED: "Too many messages. Slow down a little.",
  ROOM_NOT_FOUND: "No open game with that code. Check the code on the teacher's screen.",
  ROOM_LOCKED: "This game is locked: the teacher is not admitting new players.",
  ROOM_ENDED: "This game has ended.",
  ROOM_FULL: "This game is full.",
  NICKNAME_TAKEN: "Someone in this game already has that nickname.",
  NICKNAME_REJECTED: "Please choose a different nickname.",
  NOT_HOST: "Only the teacher who created this game can do that.",
  NOT_JOINED: "Join the game first.",
  KICKED: "The teacher removed you from this game.",
  NO_ROUND: "There is no round in progress.",
  ROUND_IN_PROGRESS: "A round is already in progress.",
  WRONG_ROUND: "That answer belongs to another round.",
  UNKNOWN_ITEM: "That image is not part of this round.",
  ALREADY_ANSWERED: "You already answered this image.",
  TOO_LATE: "Time is up for this round.",
  NO_GENERATOR: "The counterfeiter has not produced any fakes yet. Start training first.",
  BAD_SNAPSHOT: "That snapshot could not be read.",
  INTERNAL: "Something went wrong on the server.",
};
