/** A source of the emulator's notion of "now", in epoch milliseconds. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: tests drive job lifecycles, nonce and token expiry with it. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an absolute epoch-milliseconds value. */
  set(epochMs: number): void;
}

/** Builds a {@link ManualClock} starting at `startMs` (default: the wall clock at creation). */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (epochMs) => {
      current = epochMs;
    },
  };
}

/** A clock shifted forward by an adjustable offset, so `POST /__emulator/clock` can skip time on a live server. */
export interface OffsetClock extends Clock {
  /** Milliseconds added to the base clock. */
  offsetMs: number;
}

/** Wraps `base` with an offset (default 0 ms). */
export function offsetClock(base: Clock, offsetMs = 0): OffsetClock {
  const clock: OffsetClock = {
    offsetMs,
    now: () => base.now() + clock.offsetMs,
  };
  return clock;
}
