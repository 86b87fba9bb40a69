import * as pulumi from "@pulumi/pulumi";

import { programLifecycles } from "../pulumi/program-session";
import { watchOnce } from "../pulumi/provider-process";
import { restoreJobProviders } from "../pulumi/serialized-provider";
import type { RestoreJobStatus } from "../restore/job-status";
import { STARTED_JOB_FIELDS } from "../restore/lifecycle";
import { dropFrames, failureReason } from "./snapshot-lookups";

/** Pulumi's options of a custom resource; `additionalSecretOutputs` adds to each kind's own secrets. */
export type RestoreJobOptions = pulumi.CustomResourceOptions;

/**
 * What every restore resource is: one dynamic resource that starts the job, and the program's wait for
 * it (see {@link restoredOutputs}), whose outputs are the resource's.
 */
export abstract class RestoreResource extends pulumi.dynamic.Resource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** How the job stands; each resource documents how it reads Atlas's answer. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** True once the target reported IDLE after the restore (see `waitForTarget`). */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;

  /** @param kind The resource's kind and type; `outputs` lists those beyond the base classes' own. */
  protected constructor(kind: RestoreKind, name: string, args: object, opts?: RestoreJobOptions) {
    const provider = restoreJobProviders[kind.kind];
    if (!provider) throw new Error(`pulumi-atlas-restore has no restore kind: ${kind.kind}`);
    // Seeded so that the SDK gives the resource these properties even before the engine answers.
    const seeds = Object.fromEntries(STARTED_JOB_FIELDS.map((key) => [key, undefined]));
    super(
      provider,
      name,
      { ...seeds, ...args, resourceName: name },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...kind.secretOutputs],
      },
      "mongodbatlas",
      kind.type,
    );
    Object.assign(this, restoredOutputs(this, kind, name, args));
    // A program whose engine is gone exits, whatever it was doing: none of its waits can be recorded.
    watchOnce();
  }
}

/** The outputs {@link RestoreResource} declares. */
export const RESTORE_OUTPUTS = ["restoreJobId", "status", "targetReady"];

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
   * The type name, as version 0.1 named its resource (e.g. `ServerlessRestoreJob`): the resource's
   * URN is 0.1's, so such a stack upgrades without a new restore.
   */
  readonly type: string;
  /** The outputs the resource declares beyond the base classes'. */
  readonly outputs: readonly string[];
  /** Outputs always secret (download links). */
  readonly secretOutputs: readonly string[];
}

/**
 * The resource's outputs, once the program has waited for its job.
 *
 * The resource's own `create` only starts the job, so that the engine writes the job id to state about
 * a second after Atlas answers, however long the restore runs, and holds none of its parallel steps
 * meanwhile. The program then waits, in its own process, with the provider's credentials rules,
 * schedule and messages; a wait that fails or is cut short runs again on the next `up`, against the
 * job state holds. Until the wait ends, the outputs and the resource's URN stay unresolved: the SDK
 * registers a resource that uses either, or names this one in `dependsOn` or as its `parent`, only
 * once the URN resolves, so that they all mean "restored". At preview nothing waits, and the job's
 * outputs are unknown.
 */
export function restoredOutputs(
  started: Pick<RestoreResource, "urn">,
  kind: RestoreKind,
  name: string,
  args: object,
  wait: WaitFor = waitInProgram,
): Record<string, pulumi.Output<unknown>> {
  const recorded = started as unknown as Record<string, pulumi.Output<unknown>>;
  const job = pulumi
    .all(STARTED_JOB_FIELDS.map((key) => recorded[key]!))
    .apply((values) =>
      Object.fromEntries(
        STARTED_JOB_FIELDS.map((key, i) => [key, values[i]]).filter(([, v]) => v !== undefined),
      ),
    );
  const waited: pulumi.Output<Record<string, unknown>> = pulumi.runtime.isDryRun()
    ? job.apply(() => pulumi.unknown as unknown as Record<string, unknown>)
    : keptAlive(
        pulumi.output({ ...args, resourceName: name, job }).apply((raw) => wait(kind.kind, name, raw)),
      );
  const secrets = new Set(kind.secretOutputs);
  const outputs = Object.fromEntries(
    [...RESTORE_OUTPUTS, ...kind.outputs].map((key) => {
      const value = waited.apply((outs) => outs[key]);
      return [key, secrets.has(key) ? pulumi.secret(value) : value];
    }),
  );
  return { ...outputs, urn: pulumi.all([started.urn, waited]).apply(([urn]) => urn) };
}

/** Waits for a restore's job and returns its outputs: `raw` is the resource's inputs and its job. */
export type WaitFor = (
  kind: string,
  name: string,
  raw: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/**
 * Holds the program open until `output` settles, either way, with the SDK's keep-alive: an Automation
 * API inline program's run otherwise ends once its last registration is answered, with waits still
 * going. Taken at once, not when the wait starts, so that no answer can end the run in between.
 */
function keptAlive<T>(output: pulumi.Output<T>): pulumi.Output<T> {
  // The SDK's own accessor of an Output's value (not in its typings; present in every 3.x release).
  const settled = (output as unknown as { promise?: () => Promise<T> }).promise?.();
  if (settled) {
    const done = pulumi.runtime.rpcKeepAlive();
    settled.then(done, done);
  }
  return output;
}

/** Waits for one restore's job in the program's process. */
const waitInProgram: WaitFor = async (kind, name, raw) => {
  try {
    const wait = programLifecycles()[kind]!.wait;
    const checked = await wait.check({}, raw);
    const failure = checked.failures?.[0];
    if (failure) throw new Error(failure.reason);
    return (await wait.create(checked.inputs!)).outs as Record<string, unknown>;
  } catch (error) {
    throw new RestoreWaitError(name, error);
  }
};

/**
 * A restore's wait failed (the job failed, timed out, or Atlas could not be read). Pulumi prints a
 * {@link pulumi.RunError} as its message alone: the resource's name, then why, with the next step.
 */
export class RestoreWaitError extends pulumi.RunError {
  override readonly name = "RestoreWaitError";
  constructor(
    /** The restore resource's name in the stack. */
    readonly resourceName: string,
    cause: unknown,
  ) {
    super(`cannot finish restore ${resourceName}: ${failureReason(cause)}`, { cause });
    dropFrames(this);
  }
}
