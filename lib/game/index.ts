// The classroom game's rules, views and statistics. Pure: see reducer.ts for how to drive it.
export * from "./state";
export * from "./events";
export * from "./scoring";
export * from "./views";
export * from "./stats";
export * from "./forge-rules";
export { reduce, resultOf } from "./reducer";
export type { ReduceContext, Transition } from "./reducer";
export { PHONE_PLAYER_LIST, STATS_ITERATIONS } from "./transition";
export { seededRng, shuffled, randomId, type Rng } from "./random";
export { restoreGameState, type StoredRoom, type StoredRound, type Restored } from "./restore";
