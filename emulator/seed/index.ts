// The seed: what the emulator serves at start, its format and the built-in one.
export * from "./seed-format";
