import fc from "fast-check";

import type { KindName } from "./engine";
import { type Setup, type Simulation, sourceOf } from "./simulation";

/**
 * The schedules fast-check explores: a world to start from, then commands a user (and the world) run
 * against it, each a fast-check model-based command so that a failing schedule shrinks to a short one.
 */

type Command = fc.AsyncCommand<object, Simulation>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Skews of a machine's clock from Atlas's: none, a little, more than two minutes either way, an hour. */
const skews = fc.constantFrom(0, 20_000, -20_000, 3 * MINUTE, -3 * MINUTE, HOUR);

/** `pulumi up`, killed at an await point or not; after a kill, the retry (same or a fresh machine, soon or later). */
class Up implements Command {
  constructor(
    readonly stack: number,
    readonly kills: readonly number[],
    readonly fresh: boolean,
    readonly delayMs: number,
    readonly skewMs: number,
  ) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    const stack = Math.min(this.stack, sim.stacks.length - 1);
    for (const kill of [...this.kills, undefined]) {
      if ((await sim.run(stack, "up", kill)) !== "killed") return;
      // A fresh runner starts some seconds after the kill at the soonest; listings lag less than that.
      if (this.fresh) sim.moveTo(stack, sim.machine(this.skewMs));
      sim.world.advance(this.fresh ? Math.max(this.delayMs, 10_000) : this.delayMs);
    }
  }
  toString(): string {
    const where = this.fresh ? `fresh machine (skew ${this.skewMs / 1000} s)` : "same machine";
    return `up(stack ${this.stack}, kills [${this.kills.join(", ")}], retry on ${where} after ${this.delayMs / 1000} s)`;
  }
}

/** Time passes: jobs run on, may finish. */
class Wait implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    sim.world.advance(this.ms);
  }
  toString = () => `wait(${this.ms / 1000} s)`;
}

/** The user changes `triggers`: restore again. */
class Triggers implements Command {
  constructor(
    readonly stack: number,
    readonly value: string,
  ) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    const stack = Math.min(this.stack, sim.stacks.length - 1);
    sim.change(stack, (d) => void (d.inputs = { ...d.inputs, triggers: [this.value] }));
  }
  toString = () => `triggers(stack ${this.stack}, ${this.value})`;
}

/** `pulumi up --replace`, asked until an `up` carries it out. */
class Replace implements Command {
  constructor(readonly stack: number) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    const stack = Math.min(this.stack, sim.stacks.length - 1);
    if (!sim.stacks[stack]!.state.has("restore")) return;
    sim.change(stack, (d) => void (d.replacing = true));
  }
  toString = () => `replace(stack ${this.stack})`;
}

/** A newer snapshot of the source completes (the provider's "latest" changes). */
class NewSnapshot implements Command {
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    sim.atlas.addSnapshot(sourceOf(sim.setup.kind));
  }
  toString = () => "newSnapshot()";
}

/** `pulumi refresh` or `pulumi destroy`, perhaps killed. */
class Other implements Command {
  constructor(
    readonly what: "refresh" | "destroy",
    readonly stack: number,
    readonly kill: number | undefined,
  ) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    await sim.run(Math.min(this.stack, sim.stacks.length - 1), this.what, this.kill);
  }
  toString = () => `${this.what}(stack ${this.stack}, kill ${this.kill ?? "none"})`;
}

/** The serverless API is sunset: migrated instances answer 404, or every call 410. */
class SunsetNow implements Command {
  constructor(readonly mode: "migrated" | "gone") {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    // The sunset came long after any restore of an instance ended: a job started then and never
    // recorded cannot be running or unnamed across it (the journal's entries last hours).
    const unrecorded = sim.atlas.jobs.some(
      (job) => job.api === "serverless" && !sim.engine.everRecorded.has(job.id),
    );
    if (sim.setup.kind === "serverless" && !unrecorded) sim.atlas.sunset = this.mode;
  }
  toString = () => `sunset(${this.mode})`;
}

/** The next commands of a stack run on another machine (a fresh CI runner). */
class Move implements Command {
  constructor(
    readonly stack: number,
    readonly skewMs: number,
  ) {}
  check = () => true;
  async run(_m: object, sim: Simulation): Promise<void> {
    sim.moveTo(Math.min(this.stack, sim.stacks.length - 1), sim.machine(this.skewMs));
  }
  toString = () => `move(stack ${this.stack}, skew ${this.skewMs / 1000} s)`;
}

const stack = fc.integer({ min: 0, max: 1 });
/** A kill at an await point: half of them early, around the POST and the checkpoint. */
const kill = fc.oneof(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 90 }));

/** `up`, perhaps killed, retried on the same or a fresh machine. */
const up = fc
  .record({
    stack,
    kills: fc.array(kill, { maxLength: 2 }),
    fresh: fc.boolean(),
    delayMs: fc.constantFrom(0, 2_000, 30_000, 10 * MINUTE, 3 * HOUR, 26 * HOUR),
    skewMs: skews,
  })
  .map((c) => new Up(c.stack, c.kills, c.fresh, c.delayMs, c.skewMs));

/** `up` killed once, retried on a fresh machine: a CI runner lost mid-restore. */
const freshRetry = fc
  .record({ stack, kill, delayMs: fc.constantFrom(30_000, 2 * HOUR), skewMs: skews })
  .map((c) => new Up(c.stack, [c.kill], true, c.delayMs, c.skewMs));

/** Every command, `up` five times as likely as each other one; `replayPath` replays a shrunk failure. */
export const commands = (replayPath?: string) =>
  fc.commands(
    [
      up,
      up,
      up,
      freshRetry,
      freshRetry,
      fc.constantFrom(5_000, 10 * MINUTE, 2 * HOUR, 5 * HOUR).map((ms) => new Wait(ms)),
      fc
        .record({ stack, value: fc.constantFrom("t1", "t2", "t3") })
        .map((c) => new Triggers(c.stack, c.value)),
      stack.map((s) => new Replace(s)),
      fc.constant(new NewSnapshot()),
      fc
        .record({
          what: fc.constantFrom("refresh" as const, "destroy" as const),
          stack,
          kill: fc.option(kill, { nil: undefined }),
        })
        .map((c) => new Other(c.what, c.stack, c.kill)),
      fc.constantFrom("migrated" as const, "gone" as const).map((m) => new SunsetNow(m)),
      fc.record({ stack, skewMs: skews }).map((c) => new Move(c.stack, c.skewMs)),
    ],
    { maxCommands: 8, ...(replayPath ? { replayPath } : {}) },
  );

/** A world to start from. */
export function setups(kinds: readonly KindName[]): fc.Arbitrary<Setup> {
  const world = fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kind: fc.constantFrom(...kinds),
    latest: fc.boolean(),
    twoStacks: fc.constantFrom(false, false, false, true),
    sharedMachine: fc.boolean(),
    sunset: fc.constant("serving" as const),
    atlas: fc.record({
      postFaults: fc.constantFrom(0, 0.1, 0.3, 0.6),
      readFaults: fc.constantFrom(0, 0.05, 0.2),
      maxLagMs: fc.constantFrom(0, 1_000, 4_900),
      restoreMs: fc.constantFrom(3 * MINUTE, 20 * MINUTE, 90 * MINUTE),
    }),
    ownerless: fc.constantFrom(false, false, false, true),
  });
  // Without owners, two stacks on one machine share the journal's entries: the hole owners closed.
  return world.map((s) => (s.ownerless && s.twoStacks ? { ...s, sharedMachine: false } : s));
}
