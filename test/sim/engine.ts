import { createAtlasClient } from "../../provider/atlas/client";
import { defaultRetryPolicy } from "../../provider/atlas/retry-policy";
import { createListingShare } from "../../provider/atlas/shared-listing";
import { createHttp } from "../../provider/atlas/transport";
import { forgetTurns } from "../../provider/kinds/collection/queue";
import { restoreLifecycles } from "../../provider/pulumi/provider-process";
import { RESTORE_OUTPUTS } from "../../provider/resources/restore-resource";
import { parseEntry } from "../../provider/restore/journal";
import { INTERNAL_INPUTS, STARTED_JOB_FIELDS } from "../../provider/restore/lifecycle";
import { recordInputs } from "../../provider/restore/record";
import type {
  Journal,
  Lifecycle,
  RestoreLifecycles,
  Session,
  WaitOutcome,
} from "../../provider/restore/types";
import { fixedAuth } from "../helpers/fakes";
import { type Actor, PROD, SimAtlas, STAGE } from "./atlas";
import type { World } from "./world";

/**
 * A simulated Pulumi engine running the real lifecycles: `check`, `diff`, `create` (create before
 * delete on a replace), `update`, `read`, `delete` of each starter, a checkpoint after each step, and
 * the program's wait. It runs on a machine (a runner): its journal and its clock's skew. A fresh
 * runner has an empty journal.
 */

/** The restore kinds the simulator drives, by their key in the provider's table. */
export type KindName = "serverless" | "flex" | "cluster" | "collection";

/** A restore declared by a stack's program, and the instance it stands for (the ground truth). */
export interface Declared {
  readonly stack: string;
  readonly name: string;
  readonly kind: KindName;
  /** The user's inputs. */
  inputs: Record<string, unknown>;
  /** Which instance of the resource this is: a new one after each change of what it restores, each replace, each destroy. */
  epoch: number;
  /** The job the user adopted through `existingRestoreJobId`, which this instance may hold. */
  adopted?: string;
  /** `up --replace`, asked and not yet done. */
  replacing?: boolean;
}

/** A resource as the checkpoint holds it. */
export interface Recorded {
  readonly id: string;
  readonly outputs: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly epoch: number;
}

/** One stack: its program's restores and its state. */
export class Stack {
  readonly state = new Map<string, Recorded>();
  /** Replaced resources whose delete has not run yet (the next `up` deletes them first). */
  readonly pendingDeletes: { name: string; old: Recorded }[] = [];
  constructor(
    readonly name: string,
    readonly declared: Declared[],
  ) {}
}

/** A machine that runs `pulumi`: its journal folder and how far its clock is from Atlas's. */
export interface Runner {
  readonly journal: Journal;
  readonly skewMs: number;
  readonly label: string;
}

/** A journal folder on one machine, as text, read back through the real parser. */
export function runnerJournal(now: () => number): Journal & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    get: (key) => {
      const text = files.get(key);
      return text === undefined ? undefined : parseEntry(text, now);
    },
    put: (key, intent) => void files.set(key, JSON.stringify(intent)),
    delete: (key) => void files.delete(key),
  };
}

/** A message a process printed, or an error a step failed with. */
export interface Said {
  readonly level: "info" | "warn" | "error";
  readonly text: string;
  readonly step: string;
  /** The job the step was about, when one was recorded. */
  readonly jobId?: string;
}

/** The base inputs of each kind: production restored into staging. */
export function baseInputs(kind: KindName): Record<string, unknown> {
  switch (kind) {
    case "serverless":
      return {
        groupId: PROD,
        clusterName: "prod-orders",
        deliveryType: "automated",
        targetClusterName: "staging-orders",
        targetGroupId: STAGE,
      };
    case "flex":
      return {
        groupId: PROD,
        name: "prod-flex",
        targetDeploymentItemName: "staging-flex",
        targetProjectId: STAGE,
      };
    case "cluster":
      return {
        groupId: PROD,
        clusterName: "prod-cluster",
        deliveryType: "automated",
        targetClusterName: "staging-cluster",
        targetGroupId: STAGE,
        onDestroy: "cancel",
      };
    case "collection":
      return {
        groupId: PROD,
        clusterName: "prod-cluster",
        targetClusterName: "staging-cluster",
        targetGroupId: STAGE,
        collections: [{ sourceNamespace: "shop.orders" }],
      };
  }
}

/** How a step failed because the invariants say so. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

/**
 * The program's wait for one restore, as the resource layer runs it (`args`: the resource's inputs as
 * given, and its name). The one seam with the resource layer: re-point this function when it changes.
 */
export function waitInProgram(
  restore: RestoreLifecycles,
  recorded: Recorded,
  args: Record<string, unknown>,
): Promise<WaitOutcome> {
  const job = Object.fromEntries(
    STARTED_JOB_FIELDS.filter(
      (key) => recorded.outputs[key] !== undefined && recorded.outputs[key] !== null,
    ).map((key) => [key, recorded.outputs[key]]),
  );
  return restore.wait({ ...args, job });
}

/** The simulated engine over one world, one Atlas and the machines the stacks run on. */
export class Engine {
  readonly said: Said[] = [];
  /** Every job any checkpoint ever held. */
  readonly everRecorded = new Set<string>();
  /** Jobs named by a stop (the undecided-restore error), which tells the user about them. */
  readonly named = new Set<string>();
  readonly violations: string[] = [];
  /** The jobs the last stop named, for the user's way forward. */
  lastStop: string[] | undefined;
  /** Whether the resource layer passes each restore's owner (states written before it did not). */
  owners = true;
  private readonly lifecycles: Record<string, RestoreLifecycles>;
  private step = "";
  private process: "provider" | "program" = "provider";

  private current: Session | undefined;

  constructor(
    readonly world: World,
    readonly atlas: SimAtlas,
    public runner: Runner,
  ) {
    this.lifecycles = restoreLifecycles(() => (this.current ??= this.session()), {
      info: (t) => this.say("info", t),
      warn: (t) => this.say("warn", t),
    });
  }

  /**
   * A new process on `runner` (a CLI run): its own session (one HTTP client, one listing share, as a
   * process has), and none of what a killed process held in memory (the collection restores' turns).
   */
  startProcess(runner: Runner): void {
    this.runner = runner;
    this.lastStop = undefined;
    this.current = undefined;
    forgetTurns();
  }

  private session(): Session {
    const clock = this.world.machineClock(() => this.runner.skewMs);
    const send = createHttp({
      exchange: this.atlas.exchange,
      auth: fixedAuth(),
      retry: defaultRetryPolicy,
      clock,
    });
    return {
      client: createAtlasClient(send, createListingShare(clock)),
      clock,
      poll: { minDelayMs: 20_000, maxDelayMs: 300_000 },
      log: { info: (text) => this.say("info", text), warn: (text) => this.say("warn", text) },
      journal: this.runner.journal,
    };
  }

  private say(level: Said["level"], text: string, jobId?: string): void {
    if (this.world.killed) return;
    this.said.push({ level, text, step: `${this.process} ${this.step}`, ...(jobId ? { jobId } : {}) });
  }

  private starter(d: Declared): Lifecycle {
    return this.lifecycles[d.kind]!.start;
  }

  /** The inputs the resource layer registers the starter with. */
  registered(stack: Stack, d: Declared): Record<string, unknown> {
    const knowsOwner = this.owners && INTERNAL_INPUTS.includes("owner" as never);
    const owner = knowsOwner ? { owner: `sim/${stack.name}/${d.name}` } : {};
    return { ...d.inputs, resourceName: d.name, ...owner };
  }

  /** `pulumi up`: every declared restore created, replaced or kept, then waited for. */
  async up(stack: Stack): Promise<void> {
    for (const pending of [...stack.pendingDeletes]) {
      await this.delete(stack, pending.name, pending.old);
      stack.pendingDeletes.splice(stack.pendingDeletes.indexOf(pending), 1);
    }
    for (const d of stack.declared) await this.upOne(stack, d);
  }

  private async upOne(stack: Stack, d: Declared): Promise<void> {
    this.step = `up ${stack.name}/${d.name}`;
    const starter = this.starter(d);
    const args = this.registered(stack, d);
    const old = stack.state.get(d.name);
    const checked = await starter.check(old?.inputs ?? {}, { ...args, __provider: "sim" });
    const failure = checked.failures?.[0];
    if (failure) throw new Error(`check failed: ${failure.reason}`);
    const inputs = checked.inputs!;
    let current = old;
    if (old === undefined) {
      current = await this.create(stack, d, inputs);
      d.replacing = false;
    } else {
      const diff = d.replacing ? undefined : await starter.diff(old.id, old.outputs, inputs);
      if (d.replacing || (diff?.replaces?.length ?? 0) > 0) {
        current = await this.create(stack, d, inputs);
        d.replacing = false;
        stack.pendingDeletes.push({ name: d.name, old });
        await this.delete(stack, d.name, old);
        stack.pendingDeletes.splice(
          stack.pendingDeletes.findIndex((p) => p.old === old),
          1,
        );
      } else if (diff?.changes) {
        const updated = await starter.update(old.id, old.outputs, inputs);
        await this.world.point("checkpoint");
        current = { ...old, outputs: updated.outs as Record<string, unknown>, inputs };
        stack.state.set(d.name, current);
      }
    }
    const restore = this.lifecycles[d.kind]!;
    this.process = "program";
    const given = { ...d.inputs, resourceName: d.name };
    const outcome = await waitInProgram(restore, current!, given).finally(() => (this.process = "provider"));
    // The record: the program registers it with the outcome; its provider fails the step or waits for
    // the target.
    this.step = `record ${stack.name}/${d.name}`;
    const record = recordInputs(outcome, RESTORE_OUTPUTS, restore.secretOutputs, {
      kind: d.kind,
      raw: given,
    });
    await restore.record.create({ record, resourceName: d.name, __provider: "sim" }).catch((error: Error) => {
      this.checkNamed(error, [current!.id], "the record");
      throw error;
    });
  }

  private async create(stack: Stack, d: Declared, inputs: Record<string, unknown>): Promise<Recorded> {
    this.atlas.actor = { stack: stack.name, name: d.name, epoch: d.epoch };
    let result: { id: string; outs?: Record<string, unknown> };
    try {
      result = await this.starter(d).create(inputs);
    } catch (error) {
      const ids = (error as { jobIds?: unknown }).jobIds;
      if (Array.isArray(ids)) {
        this.lastStop = ids.map(String);
        for (const id of ids) this.named.add(String(id));
        this.checkNamed(error as Error, ids.map(String), "a stop");
      }
      throw error;
    } finally {
      this.atlas.actor = undefined;
    }
    await this.world.point("checkpoint");
    const recorded: Recorded = { id: result.id, outputs: result.outs ?? {}, inputs, epoch: d.epoch };
    this.holds(stack, d, recorded);
    stack.state.set(d.name, recorded);
    return recorded;
  }

  /** Invariant: a state entry holds only a job its own instance started, or one the user adopted. */
  private holds(stack: Stack, d: Declared, recorded: Recorded): void {
    this.everRecorded.add(recorded.id);
    const job = this.atlas.jobs.find((j) => j.id === recorded.id);
    const mine = (by: Actor | undefined) =>
      by?.stack === stack.name && by.name === d.name && by.epoch === d.epoch;
    if (job && !mine(job.createdBy) && d.adopted !== job.id) {
      this.violations.push(
        `${stack.name}/${d.name} (instance ${d.epoch}) adopted job ${job.id} started by ${describe(job.createdBy)}`,
      );
    }
  }

  private async delete(stack: Stack, name: string, old: Recorded): Promise<void> {
    this.step = `delete ${stack.name}/${name}`;
    const d = stack.declared.find((x) => x.name === name);
    this.atlas.actor = { stack: stack.name, name, epoch: old.epoch };
    const before = new Set(this.atlas.jobs.filter((j) => j.cancelledBy).map((j) => j.id));
    try {
      await this.starter(d ?? { ...stack.declared[0]!, name }).delete(old.id, old.outputs);
    } finally {
      this.atlas.actor = undefined;
    }
    for (const job of this.atlas.jobs.filter((j) => j.cancelledBy && !before.has(j.id))) {
      const by = job.createdBy;
      if (
        job.id !== old.id ||
        by?.stack !== stack.name ||
        by.name !== name ||
        (by.epoch !== old.epoch && d?.adopted !== job.id)
      )
        this.violations.push(
          `${stack.name}/${name} (instance ${old.epoch}) cancelled job ${job.id} started by ${describe(by)}`,
        );
    }
    await this.world.point("checkpoint");
    if (stack.state.get(name) === old) {
      stack.state.delete(name);
      if (d) {
        d.epoch++;
        d.replacing = false;
      }
    }
  }

  /** `pulumi refresh`: each starter read; one that reads no id leaves state. */
  async refresh(stack: Stack): Promise<void> {
    for (const [name, recorded] of [...stack.state]) {
      this.step = `refresh ${stack.name}/${name}`;
      const d = stack.declared.find((x) => x.name === name)!;
      const read = await this.starter(d).read(recorded.id, recorded.outputs);
      await this.world.point("checkpoint");
      if (read.id === undefined) {
        stack.state.delete(name);
        d.epoch++;
      } else stack.state.set(name, { ...recorded, outputs: read.props as Record<string, unknown> });
    }
  }

  /** `pulumi destroy`. */
  async destroy(stack: Stack): Promise<void> {
    for (const [name, recorded] of [...stack.state]) await this.delete(stack, name, recorded);
  }

  /** Invariant: a failure about a job names it. */
  private checkNamed(error: Error, ids: string[], what: string): void {
    for (const id of ids)
      if (!error.message.includes(id))
        this.violations.push(`${what} did not name job ${id}: ${error.message}`);
  }
}

function describe(actor: Actor | undefined): string {
  return actor ? `${actor.stack}/${actor.name} (instance ${actor.epoch})` : "no resource";
}
