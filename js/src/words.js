// Counts in words: "1 frame", "0 frames", "3 keyframes".

/** `n` and `word`, plural ("s") unless n is 1. */
export const countOf = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
