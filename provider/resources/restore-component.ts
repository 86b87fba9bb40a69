import * as pulumi from "@pulumi/pulumi";

import { restoreJobProviders } from "../pulumi/serialized-provider";
import type { RestoreJobStatus } from "../restore/job-status";

/** Options every restore resource takes; those of a custom resource apply to the children. */
export type RestoreJobOptions = pulumi.ComponentResourceOptions &
  Pick<
    pulumi.CustomResourceOptions,
    | "additionalSecretOutputs"
    | "ignoreChanges"
    | "retainOnDelete"
    | "replaceOnChanges"
    | "deleteBeforeReplace"
  >;

/**
 * What every restore resource is: a component of a starter and a waiter (see {@link startAndWait}),
 * whose outputs are theirs.
 */
export abstract class RestoreComponent extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** How the job stands; each resource documents how it reads Atlas's answer. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** True once the target reported IDLE after the restore (see `waitForTarget`). */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;

  /** @param children The resource's kind and type; `outputs` lists those beyond the base classes' own. */
  protected constructor(children: RestoreChildren, name: string, args: object, opts?: RestoreJobOptions) {
    super(componentType(children.type), name, {}, opts);
    const outputs = startAndWait(
      this,
      { ...children, outputs: [...RESTORE_OUTPUTS, ...children.outputs] },
      name,
      args,
      opts,
    );
    Object.assign(this, outputs);
    // No outputs of its own in state: its properties are the children's, which state already holds,
    // and a third copy per restore would only grow the checkpoint the engine writes after every step.
    this.registerOutputs({});
  }
}

/** The outputs {@link RestoreComponent} declares. */
export const RESTORE_OUTPUTS = ["restoreJobId", "status", "targetReady"];

/**
 * A restore whose Atlas job has no status field, only flags and dates (serverless instances and
 * dedicated clusters).
 */
export abstract class FlaggedRestoreComponent extends RestoreComponent {
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
  /** Download links of a `download` job. A secret: encrypted in state, hidden in output. */
  declare readonly deliveryUrl: pulumi.Output<string[]>;

  protected constructor(children: RestoreChildren, name: string, args: object, opts?: RestoreJobOptions) {
    super({ ...children, outputs: [...FLAG_OUTPUTS, ...children.outputs] }, name, args, opts);
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

/** What a kind's resource class tells {@link startAndWait}. */
export interface RestoreChildren {
  /** The kind in the provider's table, e.g. `serverless`. */
  readonly kind: string;
  /** The type name of the starter, as version 0.1 named the single resource (e.g. `ServerlessRestoreJob`). */
  readonly type: string;
  /**
   * The outputs the resource declares; each is seeded so that Pulumi registers it even when the user
   * leaves the input of the same name out.
   */
  readonly outputs: readonly string[];
  /** Outputs always secret (download links). */
  readonly secretOutputs: readonly string[];
}

/**
 * Creates a restore's two children and returns the outputs the resource exposes.
 *
 * - The starter (`pulumi-nodejs:dynamic/mongodbatlas:<type>`, named like the resource) starts or
 *   adopts the job and returns at once, so that the engine writes the job id to state about a second
 *   after Atlas answers, however long the restore takes. Its alias is the single resource version 0.1
 *   wrote at the same place, so that such a stack upgrades without a new restore.
 * - The waiter (`…:<type>Wait`, named `<name>-wait`) registers once the starter is recorded (the SDK
 *   sends a registration only when its inputs are known), waits for the job and its target, and is
 *   the only child a change to the wait settings updates.
 */
export function startAndWait(
  parent: pulumi.ComponentResource,
  children: RestoreChildren,
  name: string,
  args: object,
  opts: RestoreJobOptions | undefined,
): Record<string, pulumi.Output<unknown>> {
  const providers = restoreJobProviders[children.kind];
  if (!providers) throw new Error(`pulumi-atlas-restore has no restore kind: ${children.kind}`);
  const seeds = Object.fromEntries(children.outputs.map((key) => [key, undefined]));
  const childOptions: pulumi.CustomResourceOptions = {
    parent,
    additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...children.secretOutputs],
    ...(opts?.ignoreChanges ? { ignoreChanges: opts.ignoreChanges } : {}),
    ...(opts?.retainOnDelete !== undefined ? { retainOnDelete: opts.retainOnDelete } : {}),
  };
  const starter = new RestoreChild(
    providers.start,
    name,
    { ...seeds, forecast: undefined, ...args, resourceName: name },
    {
      ...childOptions,
      ...(opts?.replaceOnChanges ? { replaceOnChanges: opts.replaceOnChanges } : {}),
      ...(opts?.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: opts.deleteBeforeReplace } : {}),
      aliases: [{ parent: opts?.parent ?? pulumi.rootStackResource }],
    },
    "mongodbatlas",
    children.type,
  ) as unknown as Record<string, pulumi.Output<unknown>>;
  const job = pulumi
    .all([starter.restoreJobId, starter.api, starter.snapshotId, starter.snapshotSource, starter.forecast])
    .apply(([restoreJobId, api, snapshotId, snapshotSource, forecast]) =>
      Object.fromEntries(
        Object.entries({ restoreJobId, api, snapshotId, snapshotSource, forecast }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    );
  const waiter = new RestoreChild(
    providers.wait,
    `${name}-wait`,
    { ...seeds, ...args, resourceName: name, job },
    { ...childOptions, dependsOn: [starter as unknown as pulumi.Resource] },
    "mongodbatlas",
    `${children.type}Wait`,
  ) as unknown as Record<string, pulumi.Output<unknown>>;
  return Object.fromEntries(
    children.outputs.map((key) => [key, key === "restoreJobId" ? starter.restoreJobId! : waiter[key]!]),
  );
}

/** One of a restore's dynamic resources; the class exists because `dynamic.Resource` is abstract. */
class RestoreChild extends pulumi.dynamic.Resource {}

/** The component type token of a restore resource, e.g. `atlas-restore:index:ServerlessRestoreJob`. */
export function componentType(type: string): string {
  return `atlas-restore:index:${type}`;
}
