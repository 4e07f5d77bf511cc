// The hand-written reading of the committed bench:lambda run, kept with the script so a rerun
// rewrites the figures but not the words (which then need re-reading against the new figures).
export const INTERPRETATION = "(not yet written)";
