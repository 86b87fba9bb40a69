import type * as pulumi from "@pulumi/pulumi";
import type * as t from "io-ts";

import type { AtlasClient } from "../atlas/client";
import type { CloneTarget, DatabaseCredentials } from "../verify/credentials";
import type { Clock } from "../waiting/clock";
import type { Forecast, PollSettings } from "../waiting/schedule";
import type { DiffRules } from "./input-diff";
import type { Failure } from "./input-fields";
import type { RestoreJobStatus } from "./job-status";

/**
 * The types every restore kind and the shared lifecycle speak, kept apart from the code so that no
 * module has to import the lifecycle (or at-most-once) just to name them.
 */

/**
 * What one attempt to start a restore wrote down before and after its POST (see {@link Journal}). It
 * covers only the window between the POST and the moment Pulumi state holds the job.
 */
export interface PendingIntent {
  /** When this attempt began, before its first POST (ms since the epoch, the provider's clock). */
  readonly attemptStartedAt: number;
  /** Ids of the jobs that existed before the first POST of this attempt. */
  readonly knownJobIds: readonly string[];
  /** POSTs sent so far; more than zero without a `jobId` means an answer never arrived. */
  readonly posts: number;
  /** The job the POST created (or the one adopted), once known. */
  readonly jobId?: string;
  /**
   * Which restore of the resource the attempt was for (the key of what it restores, `triggers`
   * included); absent in entries keyed by that alone (written before resources had an owner).
   */
  readonly intentKey?: string;
  /** What the POST asks for, field by field as the kind's job source compares jobs. */
  readonly request?: Readonly<Record<string, unknown>>;
  /** The snapshot the attempt chose and how, so that a rerun restores the same one. */
  readonly snapshotId?: string;
  readonly snapshotSource?: string;
  /** A POST was answered 2xx with a body that could not be read: a job certainly exists. */
  readonly committed?: boolean;
  /**
   * Jobs Pulumi state was seen to hold for this resource (its earlier restores, replaced or destroyed
   * since): never taken for a later restore's own.
   */
  readonly heldJobIds?: readonly string[];
  /** When a job was last added to `heldJobIds` (ms since the epoch, this machine's clock). */
  readonly heldAt?: number;
}

/**
 * A small local record of restores being started, so that a `pulumi up` killed after Atlas accepted
 * a restore but before Pulumi wrote the job id to state can adopt that job on the next run instead
 * of starting a second restore. It holds ids and times only, never a credential. An entry is removed
 * once Pulumi state is seen to hold the job, or ignored once it expires.
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
  /** How to wait: the planned schedule, or the geometric one the settings ask for. */
  readonly poll: PollSettings;
  readonly log: Logger;
  /** Restores being started, so that a killed run's job is adopted, not started again. */
  readonly journal: Journal;
  /** The database user a clone check logs in with on a target (from stack config; never in state). */
  readonly databaseCredentials?: (target: CloneTarget) => DatabaseCredentials;
}

/**
 * How one kind of restore job is listed, created and recognised: all that {@link createAtMostOnce}
 * needs to start at most one job per intent, whatever the kind.
 */
export interface JobSource<J extends { id: string }> {
  /** Every restore job of the source (instance or cluster). */
  list(): Promise<J[]>;
  /** One job by id (a listing may lag a job just created); an AtlasApiError 404 when there is none. */
  get(id: string): Promise<J>;
  /** The POST itself. */
  create(): Promise<J>;
  /** What the POST asks for, field by field, in the shape {@link JobSource.reported} returns. */
  readonly intent: Readonly<Record<string, unknown>>;
  /** The same fields as a job reports them; a field it does not report is undefined. */
  reported(job: J): Record<string, unknown>;
  /** Whether a job is still running. */
  running(job: J): boolean;
  /** When Atlas created or scheduled the job (ms since the epoch), where the API says. */
  createdAt?(job: J): number | undefined;
  /**
   * Fields of {@link JobSource.intent} the provider chose rather than the user (the newest snapshot):
   * another run may have chosen differently, so a job that differs only in them is still of this intent.
   */
  readonly chosen?: readonly string[];
  /**
   * Waits until Atlas takes a new job (one collection restore per cluster at a time); called before
   * each POST. Throws when the wait runs out.
   */
  waitForTurn?(): Promise<void>;
  /** Whether a refused POST means only "not now" (another job runs), so that it may be sent again. */
  busy?(error: unknown): boolean;
}

/** How a job came to be this resource's. */
export type StartOutcome =
  /** This step's POST created it. */
  | "started"
  /** A job of the same intent was already running (a second restore would fight it). */
  | "running"
  /** An earlier, interrupted attempt created it (found through the journal). */
  | "journal"
  /** A POST of this step got no clear answer, and the job appeared in a listing. */
  | "ambiguous"
  /** The user named it (`existingRestoreJobId`). */
  | "existing";

/** What `start` needs to create at most one job per intent (see {@link createAtMostOnce}). */
export interface StartContext {
  /** What an interrupted earlier attempt of the same intent recorded, unexpired. */
  readonly pending?: PendingIntent;
  /** Records progress in the journal. */
  remember(intent: PendingIntent): void;
  /** Drops the journal's entry: the attempt ended and certainly created nothing. */
  forget(): void;
  /**
   * Jobs state was seen to hold for this resource (its earlier restores): the past, and so is every job
   * older than one of them.
   */
  readonly held?: readonly string[];
  /**
   * Other jobs that are never this restore's: any job state was seen to hold on this machine (an
   * interrupted attempt's job never reached state), and jobs the user named in `triggers` (to restore
   * again after a stop).
   */
  readonly past?: readonly string[];
  /**
   * An interrupted attempt of this resource with other inputs sent a POST that got no answer: its job
   * may not be listed yet, so the listing's lag is waited out before looking.
   */
  readonly unsettled?: boolean;
}

/** A job that `start` created or adopted, and how. */
export interface Started {
  readonly outs: JobOutputs;
  readonly how: StartOutcome;
  /** What kind of job it is when not the resource's own, e.g. `flex restore job` after a fallback. */
  readonly jobNoun?: string;
  /** When the job should finish, from the source's earlier jobs, where the kind's API tells. */
  readonly forecast?: Forecast;
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

/**
 * Where a restore writes, as the API that reads its `stateName` names it. Plain data: the program
 * hands it to the resource that records the restore, whose provider waits for the target.
 */
export interface RestoreTarget {
  /** Which API reads the target: `cluster` (dedicated), `flex` or `serverless`. */
  readonly api: "cluster" | "flex" | "serverless";
  readonly groupId: string;
  readonly name: string;
}

/** What differs between kinds of restore jobs (serverless, flex, clusters); the lifecycle does the rest. */
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
  start(session: Session, inputs: I, context: StartContext): Promise<Started>;
  /** Reads a job started elsewhere, to manage it from now on (`existingRestoreJobId`). */
  adopt(session: Session, inputs: I, jobId: string): Promise<JobOutputs>;
  /** Reads the job again; `previous` is what state holds. Throws an AtlasApiError 404 when it is gone. */
  fetch(session: Session, inputs: I, previous: JobOutputs): Promise<JobOutputs>;
  /** The restore's target, or undefined when the job writes to no target (downloads). */
  target(inputs: I, outs: JobOutputs): RestoreTarget | undefined;
  /**
   * Cancels a running job when the resource is deleted, for kinds whose API can (dedicated clusters);
   * without it, deleting only forgets the job.
   */
  cancel?(session: Session, inputs: I, outs: JobOutputs): Promise<void>;
  /** Outputs never copied into an error's properties (they are secrets). */
  readonly secretOutputs: readonly string[];
}

/** The provider methods for one resource, minus `configure`. */
export type Lifecycle = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;

/**
 * How a wait for a restore job ended, as the program hands it to the resource that records the
 * restore: what Atlas last reported, why the restore is not done (if it is not), and the target to wait
 * for before the restore counts as done.
 */
export interface WaitOutcome {
  /** The job's outputs as last read, secrets included (they stay in the program). */
  readonly outs: JobOutputs;
  /** Why the restore is not done, with the next step: failed, timed out, partial, unreadable. */
  readonly failure?: string;
  /** The target to wait for (`waitForTarget`) once the job completed, and for how long at most. */
  readonly target?: RestoreTarget & { readonly waitSeconds: number };
  /** The wait saw the job end and then the target ready: the record need not look at it again. */
  readonly targetReady?: true;
}

/**
 * One restore's lifecycles. The starter, a dynamic resource run in the engine's provider process,
 * starts or adopts the job and returns at once, so that state holds its id within a second. The program
 * then waits for the job (`wait`; at preview it only looks, `peek`) and registers the restore's record,
 * another dynamic resource, with the outcome: `record` is that resource's provider.
 */
export interface RestoreLifecycles {
  /** Starts or adopts the job and returns at once. */
  readonly start: Lifecycle;
  /**
   * Waits for the started job, in the program; never throws for what Atlas or the job did, which the
   * outcome's `failure` says. `raw` is the resource's inputs with `job`, what the starter recorded;
   * messages go to `log` (by default the session's, prefixed with the resource's name).
   */
  wait(raw: Record<string, unknown>, log?: Logger): Promise<WaitOutcome>;
  /**
   * What a preview can know of the job without waiting: its outcome if it has ended (one read), or
   * undefined while it runs or cannot be read.
   */
  peek(raw: Record<string, unknown>): Promise<WaitOutcome | undefined>;
  /** Reads the job once (`raw` as for {@link wait}); an AtlasApiError 404 when it is gone. */
  fetch(raw: Record<string, unknown>): Promise<JobOutputs>;
  /** The provider of the restore's record (the same for every kind; see `record.ts`). */
  readonly record: Lifecycle;
  /** The job's outputs that hold secrets (download links): never in the record, errors or logs. */
  readonly secretOutputs: readonly string[];
}
