import type * as pulumi from "@pulumi/pulumi";
import type * as t from "io-ts";

import type { AtlasClient } from "../atlas/client";
import type { Clock } from "../waiting/clock";
import type { DiffRules } from "./input-diff";
import type { Failure } from "./input-fields";
import type { RestoreJobStatus } from "./job-status";

/**
 * The types every restore kind and the shared lifecycle speak, kept apart from the code so that no
 * module has to import the lifecycle (or at-most-once) just to name them.
 */

/** What an earlier, interrupted attempt left behind (see {@link Journal}). */
export interface PendingIntent {
  /** Ids of the jobs that existed before the first POST of this intent. */
  readonly knownJobIds: readonly string[];
  /** The job the POST created, once its answer arrived. */
  readonly jobId?: string;
}

/**
 * A small local record of restores in flight, so that a `pulumi up` killed after Atlas accepted a
 * restore but before Pulumi wrote state can adopt that job on the next run instead of starting a
 * second restore. It holds ids only, never a credential. Entries are removed once the resource's
 * step ends (state then holds the job).
 */
export interface Journal {
  get(key: string): PendingIntent | undefined;
  put(key: string, intent: PendingIntent): void;
  delete(key: string): void;
}

/** Where messages for the user go (the Pulumi CLI shows the provider's output). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** What a lifecycle needs at run time, built once credentials are known. */
export interface Session {
  readonly client: AtlasClient;
  readonly clock: Clock;
  readonly poll: { readonly minDelayMs: number; readonly maxDelayMs: number };
  readonly log: Logger;
  /** Restores in flight, so that a killed run's job is adopted, not started again. */
  readonly journal: Journal;
}

/** What `start` needs to create at most one job per intent (see {@link createAtMostOnce}). */
export interface StartContext {
  /** What an interrupted earlier attempt of the same intent recorded. */
  readonly pending?: PendingIntent;
  /** Records progress in the journal. */
  remember(intent: PendingIntent): void;
}

/** Outputs of every restore job resource that the lifecycle itself relies on. */
interface CommonOutputs {
  restoreJobId: string;
  status: RestoreJobStatus;
  /** Set once the target reported IDLE after the restore (see `waitForTarget`). */
  targetReady?: boolean;
}

/** A job as the resource records it: its id and every field the API returned, mapped to outputs. */
export type JobOutputs = CommonOutputs & Record<string, unknown>;

/** The inputs every kind of restore job has, after `check`. */
export interface CommonInputs {
  waitForCompletion: boolean;
  waitTimeoutSeconds: number;
  waitForTarget?: boolean;
  existingRestoreJobId?: string;
}

/** What differs between kinds of restore jobs (serverless, flex); the lifecycle does the rest. */
export interface RestoreJobSpec<I extends CommonInputs> {
  /** For messages, e.g. `serverless restore job`. */
  readonly noun: string;
  readonly inputs: t.Type<I, unknown, unknown>;
  check(
    raw: Record<string, unknown>,
    nowSeconds: number,
  ): { inputs: Record<string, unknown>; failures: Failure[] };
  readonly diffRules: DiffRules;
  /**
   * Starts a restore (choosing a snapshot when none was given) and returns its first outputs; creates
   * the job at most once (see {@link createAtMostOnce}).
   */
  start(session: Session, inputs: I, context: StartContext): Promise<JobOutputs>;
  /** Reads a job started elsewhere, to manage it from now on (`existingRestoreJobId`). */
  adopt(session: Session, inputs: I, jobId: string): Promise<JobOutputs>;
  /** Reads the job again; `previous` is what state holds. Throws an AtlasApiError 404 when it is gone. */
  fetch(session: Session, inputs: I, previous: JobOutputs): Promise<JobOutputs>;
  /** The restore's target and its `stateName`, or undefined when the job writes to no target (downloads). */
  target(
    session: Session,
    inputs: I,
    outs: JobOutputs,
  ): { name: string; state: () => Promise<string | undefined> } | undefined;
  /** Outputs never copied into an error's partial state (they are secrets). */
  readonly secretOutputs: readonly string[];
}

/** The provider methods for one kind of restore job, minus `configure`. */
export type Lifecycle = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;
