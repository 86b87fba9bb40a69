import { seededRandom } from "../../emulator/faults/fault-rules";
import type { Clock } from "../../provider/waiting/clock";

/**
 * The simulator's time and its kills. One clock runs for the whole world (Atlas's); each machine reads
 * it with its own skew. A run is killed at its n-th await point: from then on every await point of the
 * run hangs forever, as a killed process runs no more code (no `catch`, no `finally`), and the run's
 * driver stops waiting for it.
 */

/** Thrown to the driver of a run that was killed; never seen by the code under test. */
export class Killed extends Error {
  override readonly name = "Killed";
  constructor(readonly where: string) {
    super(`killed at ${where}`);
  }
}

/** Where a run is killed: at its n-th await point (from 1), or at the first one `where` matches. */
export interface KillPlan {
  readonly at?: number;
  readonly where?: RegExp;
}

/** The world's time (Atlas's clock) and the run that may be killed. */
export class World {
  /** Atlas's clock, in ms since the epoch. */
  now: number;
  readonly random: () => number;
  private run: { plan: KillPlan; points: number; killed?: string; signal: () => void } | undefined;
  private killedSignal: Promise<void> | undefined;

  constructor(start: number, seed: number) {
    this.now = start;
    this.random = seededRandom(seed);
  }

  /** Moves Atlas's clock (and every machine's) forward. */
  advance(ms: number): void {
    this.now += ms;
  }

  /**
   * Runs `body` as one process that `plan` may kill: resolves with its result, or rejects with
   * {@link Killed} once it reached the planned await point (its promise then never settles).
   */
  async process<T>(plan: KillPlan, body: () => Promise<T>): Promise<T> {
    let signal!: () => void;
    this.killedSignal = new Promise<void>((resolve) => (signal = resolve));
    this.run = { plan, points: 0, signal };
    const killed = this.killedSignal.then(() => {
      throw new Killed(this.run?.killed ?? "unknown");
    });
    try {
      return await Promise.race([body(), killed]);
    } finally {
      this.run = undefined;
    }
  }

  /** Points this run has passed so far (to plan a kill at each of them). */
  get pointsPassed(): number {
    return this.run?.points ?? 0;
  }

  /**
   * An await point of the running process: returns normally, or (at the planned point, and at every
   * point after it) a promise that never settles.
   */
  point(where: string): Promise<void> {
    const run = this.run;
    if (!run) return Promise.resolve();
    if (run.killed !== undefined) return new Promise(() => {});
    run.points++;
    if ((run.plan.at !== undefined && run.points >= run.plan.at) || run.plan.where?.test(where)) {
      run.killed = where;
      run.signal();
      return new Promise(() => {});
    }
    return Promise.resolve();
  }

  /** Whether the running process has been killed (its code must not touch the world any more). */
  get killed(): boolean {
    return this.run?.killed !== undefined;
  }

  /** A machine's clock: the world's time plus its skew; sleeping is an await point and moves time. */
  machineClock(skewMs: () => number): Clock {
    return {
      now: () => this.now + skewMs(),
      sleep: async (ms) => {
        await this.point(`sleep ${ms} ms`);
        this.now += ms;
      },
      random: () => this.random(),
    };
  }
}
