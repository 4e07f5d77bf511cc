// One import point for the lib/game tests: the game's API plus the wire schemas it must match.
export * from "@/lib/game";
export { RoomState } from "@/lib/protocol/schemas";
export type { Verdict } from "@/lib/protocol/schemas";
export type { StoredRoom, Restored } from "@/lib/game/restore";
