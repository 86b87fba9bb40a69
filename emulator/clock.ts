/** A source of the emulator's notion of "now", in epoch milliseconds. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /**
   * Resolves once this clock has moved `ms` forward. Optional: without it the emulator waits on the
   * wall clock, so only clocks that move by themselves should leave it out.
   */
  sleep?(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that only moves when told to: tests drive job lifecycles, nonce and token expiry with it. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds, waking the sleeps that are then over. */
  advance(ms: number): void;
  /** Sets the clock to an absolute epoch-milliseconds value. */
  set(epochMs: number): void;
  sleep(ms: number): Promise<void>;
}

/** Wakes the sleepers whose time has come; the rest keep waiting. */
class Sleepers {
  private waiting: Array<{ at: number; wake: () => void }> = [];

  add(at: number): Promise<void> {
    return new Promise((wake) => this.waiting.push({ at, wake }));
  }

  wakeUntil(now: number): void {
    const due = this.waiting.filter((s) => s.at <= now);
    this.waiting = this.waiting.filter((s) => s.at > now);
    for (const s of due) s.wake();
  }
}

/** Builds a {@link ManualClock} starting at `startMs` (default: the wall clock at creation). */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  const sleepers = new Sleepers();
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
      sleepers.wakeUntil(current);
    },
    set: (epochMs) => {
      current = epochMs;
      sleepers.wakeUntil(current);
    },
    sleep: (ms) => (ms <= 0 ? Promise.resolve() : sleepers.add(current + ms)),
  };
}

/** A clock shifted forward by an adjustable offset, so `POST /__emulator/clock` can skip time on a live server. */
export interface OffsetClock extends Clock {
  /** Milliseconds added to the base clock; setting it wakes the sleeps it ends. */
  offsetMs: number;
  sleep(ms: number): Promise<void>;
}

/** The largest epoch milliseconds a JavaScript `Date` can hold (ECMA-262 §21.4.1.1). */
export const MAX_DATE_MS = 8.64e15;

/** Wraps `base` with an offset (default 0 ms). */
export function offsetClock(base: Clock, offsetMs = 0): OffsetClock {
  let offset = offsetMs;
  const skips = new Sleepers();
  const baseSleep = (ms: number): Promise<void> =>
    base.sleep ? base.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
  const clock: OffsetClock = {
    get offsetMs() {
      return offset;
    },
    set offsetMs(value: number) {
      offset = value;
      skips.wakeUntil(clock.now());
    },
    now: () => base.now() + offset,
    // Either the base clock gets there, or an offset change skips past the end.
    async sleep(ms) {
      const end = clock.now() + ms;
      while (clock.now() < end) await Promise.race([baseSleep(end - clock.now()), skips.add(end)]);
      skips.wakeUntil(clock.now()); // drops this sleep's skip waiter when the base clock won
    },
  };
  return clock;
}
