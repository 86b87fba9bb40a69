/**
 * Time as a dependency: everything that waits or reads the time takes a {@link Clock}, so tests drive
 * it with sinon fake timers instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), used for jitter. */
  random(): number;
}

/** The real clock. Reads the globals at call time so fake timers installed later still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};
