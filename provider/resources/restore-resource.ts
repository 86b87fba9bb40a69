import * as pulumi from "@pulumi/pulumi";

import { programLifecycles, programLog, programSession } from "../pulumi/program-session";
import { watchOnce } from "../pulumi/provider-process";
import { restoreJobProviders, restoreRecordProvider } from "../pulumi/serialized-provider";
import type { CloneVerification } from "../restore/clone-check";
import type { RestoreJobStatus } from "../restore/job-status";
import { STARTED_JOB_FIELDS } from "../restore/lifecycle";
import { recordInputs, type RecordSource } from "../restore/record";
import type { WaitOutcome } from "../restore/types";
import { dropFrames, failureReason } from "./snapshot-lookups";

/** Pulumi's options of a custom resource; `additionalSecretOutputs` adds to each kind's own secrets. */
export type RestoreJobOptions = pulumi.CustomResourceOptions;

/**
 * What every restore resource is: the restore's record, whose outputs are the job's outcome as the
 * engine keeps it in state.
 *
 * A restore is two dynamic resources. The first, the job (0.1's type and URN, e.g.
 * `mongodbatlas:ClusterRestoreJob`), starts or adopts the Atlas job at most once and returns at once,
 * so the engine writes the job id to state about a second after Atlas answers and holds none of its
 * parallel steps while the restore runs. The program then waits for that job, in its own process, with
 * progress under the job's row, and registers this resource (e.g. `mongodbatlas:ClusterRestore`) with
 * what the wait saw: the SDK registers a resource once all its inputs are known, so this one's URN and
 * outputs are the engine's own and resolve only after the wait. Preview, plans, `--target`, refresh
 * and `dependsOn`, `parent` or any use of an output then mean what they mean for every resource:
 * "restored". At preview the wait only looks: one read of a job state already holds, nothing for a new
 * one (its outcome is unknown).
 */
export abstract class RestoreResource extends pulumi.dynamic.Resource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** How the job stands; each resource documents how it reads Atlas's answer. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** True once the target reported IDLE after the restore (see `waitForTarget`). */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /**
   * The clone check's outcome (see the `verify` input), null without one: `ok`, and per collection
   * the `namespace` read, what was `expected`, the documents `found`, the query's `matching`
   * documents, and `ok`. Recorded once per restore job.
   */
  declare readonly verification: pulumi.Output<CloneVerification | null>;

  /** @param kind The resource's kind and types; `outputs` lists those beyond the base classes' own. */
  protected constructor(kind: RestoreKind, name: string, args: object, opts: RestoreJobOptions = {}) {
    const starter = startRestore(kind, name, args, opts);
    const waited = waitFor(starter, kind.kind, name, args);
    const declared = [...RESTORE_OUTPUTS, ...kind.outputs];
    const seeds = declared.filter((key) => !kind.secretOutputs.includes(key)).map((key) => [key, undefined]);
    super(
      restoreRecordProvider,
      name,
      {
        ...Object.fromEntries(seeds),
        record: waited.apply(({ outcome, source }) =>
          recordInputs(outcome, declared, kind.secretOutputs, source, kind.completedByRecord),
        ),
        resourceName: name,
      },
      recordOptions(opts),
      "mongodbatlas",
      recordType(kind.type),
    );
    // Download links stay out of state: they come from the wait, in the program, once restored.
    Object.assign(
      this,
      Object.fromEntries(
        kind.secretOutputs.map((key) => [
          key,
          pulumi.secret(pulumi.all([this.urn, waited]).apply(([, { outcome }]) => outcome.outs[key])),
        ]),
      ),
    );
  }
}

/** The outputs {@link RestoreResource} declares. */
export const RESTORE_OUTPUTS = ["restoreJobId", "status", "targetReady", "verification"];

/**
 * A restore whose Atlas job has no status field, only flags and dates (serverless instances and
 * dedicated clusters).
 */
export abstract class FlaggedRestoreResource extends RestoreResource {
  /** Whether the job failed. */
  declare readonly failed: pulumi.Output<boolean>;
  /** Whether the job was cancelled. */
  declare readonly cancelled: pulumi.Output<boolean>;
  /** Whether the job (its download links) expired. */
  declare readonly expired: pulumi.Output<boolean>;
  /** When the job finished (ISO 8601, UTC); a download may never get one. */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** When the job, and its download links, expire (ISO 8601, UTC). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** When the snapshot restored was taken (ISO 8601, UTC). */
  declare readonly timestamp: pulumi.Output<string | undefined>;
  /** Download links of a `download` job. A secret, kept in no state. */
  declare readonly deliveryUrl: pulumi.Output<string[]>;

  protected constructor(kind: RestoreKind, name: string, args: object, opts?: RestoreJobOptions) {
    super({ ...kind, outputs: [...FLAG_OUTPUTS, ...kind.outputs] }, name, args, opts);
  }
}

const FLAG_OUTPUTS = [
  "failed",
  "cancelled",
  "expired",
  "finishedAt",
  "expiresAt",
  "timestamp",
  "deliveryUrl",
];

/** What a kind's resource class tells {@link RestoreResource}. */
export interface RestoreKind {
  /** The kind in the provider's table, e.g. `serverless`. */
  readonly kind: string;
  /**
   * The job's type name, as version 0.1 named its resource (e.g. `ServerlessRestoreJob`): the job keeps
   * 0.1's URN, so such a stack upgrades without a new restore. The record's type drops the `Job`.
   */
  readonly type: string;
  /** The outputs the resource declares beyond the base classes'. */
  readonly outputs: readonly string[];
  /** Outputs always secret (download links). */
  readonly secretOutputs: readonly string[];
  /**
   * Outputs the record completes itself, once per job (see `RecordCompletion`): the program leaves
   * them out of the record's input.
   */
  readonly completedByRecord?: readonly string[];
}

/** The record's type name: the job's without `Job` (`ClusterRestoreJob` → `ClusterRestore`). */
export function recordType(jobType: string): string {
  return jobType.replace(/Job$/, "");
}

/**
 * Registers the job's resource. It takes the options that decide when and whether a restore starts
 * (`dependsOn`, `ignoreChanges`, `replaceOnChanges`, `deleteBeforeReplace`) and those both resources
 * share (`parent`, `protect`, `retainOnDelete`, `aliases`).
 */
function startRestore(kind: RestoreKind, name: string, args: object, opts: RestoreJobOptions) {
  const provider = restoreJobProviders[kind.kind];
  if (!provider) throw new Error(`pulumi-atlas-restore has no restore kind: ${kind.kind}`);
  requireProgramCredentials(name);
  // A program whose engine is gone exits, whatever it was doing: none of its waits can be recorded.
  watchOnce();
  // Seeded so that the SDK gives the resource these properties even before the engine answers.
  const seeds = Object.fromEntries(STARTED_JOB_FIELDS.map((key) => [key, undefined]));
  const { additionalSecretOutputs: _none, ...jobOptions } = opts;
  return new RestoreJobResource(
    provider,
    name,
    { ...seeds, ...args, resourceName: name, owner: ownerOf(name) },
    jobOptions,
    "mongodbatlas",
    kind.type,
  );
}

/** The job's resource: what the starter recorded, which the program's wait starts from. */
class RestoreJobResource extends pulumi.dynamic.Resource {
  declare readonly restoreJobId: pulumi.Output<string>;
  declare readonly api: pulumi.Output<string | undefined>;
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  declare readonly snapshotSource: pulumi.Output<string | undefined>;
  declare readonly forecast: pulumi.Output<unknown>;
}

/** The options of the record: those that place it, protect it or keep it; the job takes the rest. */
function recordOptions(opts: RestoreJobOptions): RestoreJobOptions {
  const { parent, protect, retainOnDelete, aliases, additionalSecretOutputs } = opts;
  return Object.fromEntries(
    Object.entries({ parent, protect, retainOnDelete, aliases, additionalSecretOutputs }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

/** Who owns a restore: its project, stack and name, so that no other stack's restore is taken for it. */
function ownerOf(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/**
 * The wait's outcome for the job the starter recorded, and what it started from: at `up`, once the
 * job ended or the wait gave up; at preview, what one read tells of a job state already holds
 * (unknown while it runs, and for a job not yet started).
 */
function waitFor(
  starter: RestoreJobResource,
  kind: string,
  name: string,
  args: object,
): pulumi.Output<Waited> {
  const job = pulumi
    .all(STARTED_JOB_FIELDS.map((key) => starter[key] as pulumi.Output<unknown>))
    .apply((values) =>
      Object.fromEntries(
        STARTED_JOB_FIELDS.map((key, i) => [key, values[i]]).filter(([, v]) => v !== undefined && v !== null),
      ),
    );
  const log = programLog(starter);
  return pulumi.all([pulumi.output(args), job]).apply(async ([given, started]): Promise<Waited> => {
    const raw = { ...(given as Record<string, unknown>), resourceName: name, job: started };
    // What a refresh needs to read the job again; the forecast is the wait's alone.
    const { forecast: _planned, ...identity } = started;
    const source: RecordSource = { kind, raw: { ...raw, job: identity } };
    const lifecycles = programLifecycles()[kind]!;
    if (!pulumi.runtime.isDryRun()) return { outcome: await lifecycles.wait(raw, log), source };
    // Nothing waits at preview; a job that has ended has its outcome already.
    const outcome = await lifecycles.peek(raw);
    return outcome ? { outcome, source } : (pulumi.unknown as unknown as Waited);
  });
}

/** A wait's outcome, and the source its record keeps. */
interface Waited {
  outcome: WaitOutcome;
  source: RecordSource;
}

/**
 * Refuses, before anything is registered, a restore whose program cannot reach Atlas: the provider
 * would start the job, and the wait could then never see it end.
 */
function requireProgramCredentials(name: string): void {
  try {
    programSession();
  } catch (error) {
    throw new RestoreSetupError(name, error);
  }
}

/**
 * A restore cannot be set up in this program: its credentials or settings are missing or wrong.
 * Pulumi prints a {@link pulumi.RunError} as its message alone: the resource's name, why, and where to
 * put what is missing.
 */
export class RestoreSetupError extends pulumi.RunError {
  override readonly name = "RestoreSetupError";
  constructor(
    /** The restore resource's name in the stack. */
    readonly resourceName: string,
    cause: unknown,
  ) {
    super(
      `cannot restore ${resourceName}: ${failureReason(cause)}; the program waits for the restore, so it ` +
        "needs the provider's credentials too: set them in stack config (`pulumi config set " +
        "mongodbatlas:clientId …`, and `--secret mongodbatlas:clientSecret …`) or in the program's " +
        "environment (an Automation API inline program does not see the workspace's envVars)",
      { cause },
    );
    dropFrames(this);
  }
}
