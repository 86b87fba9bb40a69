import { type AtlasSettings, SimAtlas, type Sunset } from "./atlas";
import {
  baseInputs,
  type Declared,
  Engine,
  type KindName,
  type Runner,
  runnerJournal,
  Stack,
} from "./engine";
import { Killed, World } from "./world";

/**
 * One simulated world: Atlas, the engine, one or two stacks restoring into the same target, the
 * machines they run on, and the invariants checked after every command and at the end.
 */

/** What a schedule starts from. */
export interface Setup {
  /** The world's seed: faults, lags and ids. */
  readonly seed: number;
  readonly kind: KindName;
  /** The provider chooses the newest snapshot (else the program names one). */
  readonly latest: boolean;
  /** A second stack restores the same data into the same target. */
  readonly twoStacks: boolean;
  readonly atlas: AtlasSettings;
  /** The serverless API at the start. */
  readonly sunset: Sunset;
  /** Both stacks run on one machine (one journal folder). */
  readonly sharedMachine?: boolean;
  /**
   * The resource layer passes no owner, as in states written before it did: the journal is keyed by
   * what a resource restores (two stacks on one machine then share entries, which owners fixed).
   */
  readonly ownerless?: boolean;
}

/** The simulated world's start: 2026-11-28T12:00:00Z. */
export const START = Date.UTC(2026, 10, 28, 12);

/** Restore jobs are the ones that count; on-demand snapshots are not restores. */
export class Simulation {
  readonly world: World;
  readonly atlas: SimAtlas;
  readonly engine: Engine;
  readonly stacks: Stack[];
  /** Each stack's machine. */
  private readonly runners: Runner[];
  /** Failures of commands (not kills), for the report. */
  readonly failures: string[] = [];
  private machines = 0;

  constructor(readonly setup: Setup) {
    this.world = new World(START, setup.seed);
    this.atlas = new SimAtlas(this.world, setup.atlas);
    this.atlas.sunset = setup.sunset;
    const snapshot = setup.latest
      ? {}
      : { snapshotId: this.atlas.snapshots.get(sourceOf(setup.kind))![0]!.id };
    const stackNames = setup.twoStacks ? ["a", "b"] : ["a"];
    this.stacks = stackNames.map(
      (name) =>
        new Stack(name, [
          {
            stack: name,
            name: "restore",
            kind: setup.kind,
            inputs: { ...baseInputs(setup.kind), ...snapshot },
            epoch: 0,
          },
        ]),
    );
    const shared = this.machine(0);
    this.runners = this.stacks.map(() => (setup.sharedMachine ? shared : this.machine(0)));
    this.engine = new Engine(this.world, this.atlas, this.runners[0]!);
    this.engine.owners = setup.ownerless !== true;
  }

  /** A new machine: an empty journal, its own clock skew. */
  machine(skewMs: number): Runner {
    const label = `machine ${++this.machines}`;
    return { journal: runnerJournal(() => this.world.now + skewMs), skewMs, label };
  }

  /** Moves the next commands of a stack to another machine (a fresh CI runner). */
  moveTo(stack: number, runner: Runner): void {
    this.runners[stack] = runner;
  }

  /**
   * Runs one command of a stack as one process on its machine, killed at its `kill`-th await point
   * when asked. Returns how it ended.
   */
  async run(
    stack: number,
    what: "up" | "refresh" | "destroy",
    kill?: number | RegExp,
  ): Promise<"done" | "killed" | "failed"> {
    const s = this.stacks[stack]!;
    this.engine.startProcess(this.runners[stack]!);
    try {
      const plan = kill === undefined ? {} : typeof kill === "number" ? { at: kill } : { where: kill };
      await this.world.process(plan, () =>
        what === "up"
          ? this.engine.up(s)
          : what === "refresh"
            ? this.engine.refresh(s)
            : this.engine.destroy(s),
      );
      return "done";
    } catch (error) {
      if (error instanceof Killed) return "killed";
      this.failures.push(`${what} ${s.name}: ${(error as Error).message}`);
      return "failed";
    } finally {
      this.check();
    }
  }

  /** Changes what a stack's restore asks for: a new instance of it. */
  change(stack: number, edit: (d: Declared) => void): void {
    const d = this.stacks[stack]!.declared[0]!;
    edit(d);
    d.epoch++;
  }

  /**
   * The safety invariants, after every command: never two restore jobs for one instance; never a
   * job adopted or cancelled by a resource that did not start it (see {@link Engine}).
   */
  check(): void {
    const byInstance = new Map<string, string[]>();
    for (const job of this.atlas.jobs) {
      if (!job.createdBy) continue;
      const key = `${job.createdBy.stack}/${job.createdBy.name} (instance ${job.createdBy.epoch})`;
      byInstance.set(key, [...(byInstance.get(key) ?? []), job.id]);
    }
    for (const [instance, ids] of byInstance) {
      if (ids.length > 1) this.violation(`two restore jobs for ${instance}: ${ids.join(", ")}`);
    }
  }

  private violation(text: string): void {
    if (!this.engine.violations.includes(text)) this.engine.violations.push(text);
  }

  /**
   * The end of a schedule: faults stop, every job runs to its end, and the user runs `up` until it
   * converges, following a stop's way forward (adopting the job when it is their own resource's,
   * restoring again otherwise). Then: every job started is in some state or was named to the user;
   * every message about a job names it; each stack converged.
   */
  async settle(): Promise<void> {
    this.atlas.faultsOn = false;
    this.world.advance(6 * 3_600_000);
    for (const [i, stack] of this.stacks.entries()) {
      let converged = false;
      for (let round = 0; round < 6 && !converged; round++) {
        if ((await this.run(i, "up")) === "done") {
          const before = this.atlas.jobs.length;
          converged = (await this.run(i, "up")) === "done" && this.atlas.jobs.length === before;
        } else this.followWayForward(i);
        this.world.advance(3_600_000);
      }
      if (!converged)
        this.violation(`stack ${stack.name} did not converge: ${this.failures.slice(-2).join(" | ")}`);
    }
    for (const job of this.atlas.jobs) {
      if (!this.engine.everRecorded.has(job.id) && !this.engine.named.has(job.id))
        this.violation(
          `job ${job.id} (by ${job.createdBy?.stack}/${job.createdBy?.name}) is in no state and was never named`,
        );
    }
    for (const said of this.engine.said) {
      if (said.level === "warn" && /\bjob\b/i.test(said.text) && !/[a-f0-9]{24}/.test(said.text))
        this.violation(`a warning about a job does not name it: ${said.text}`);
    }
  }

  /** After a stop: adopt the job when this resource started it, otherwise restore again (triggers). */
  private followWayForward(stack: number): void {
    const ids = this.engine.lastStop;
    if (ids === undefined) return;
    const s = this.stacks[stack]!;
    const own = ids.filter((id) => this.atlas.jobs.find((j) => j.id === id)?.createdBy?.stack === s.name);
    const adoptable = own.find(
      (id) =>
        this.atlas.jobs.find((j) => j.id === id)?.api !== "serverless" || this.atlas.sunset === "serving",
    );
    if (adoptable !== undefined) {
      this.change(stack, (d) => {
        d.inputs = { ...d.inputs, existingRestoreJobId: adoptable };
      });
      s.declared[0]!.adopted = adoptable;
    } else {
      this.change(stack, (d) => {
        d.inputs = { ...d.inputs, triggers: [...((d.inputs.triggers as unknown[]) ?? []), ...ids] };
      });
    }
  }
}

/** The source each kind restores from. */
export function sourceOf(kind: KindName): string {
  return kind === "serverless" ? "prod-orders" : kind === "flex" ? "prod-flex" : "prod-cluster";
}
