// What the emulator does to requests on purpose: injected faults and rate limits.
export * from "./fault-rules";
export * from "./rate-limit";
