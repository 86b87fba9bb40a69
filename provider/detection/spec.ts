import { clusterDiffRules, ClusterRestoreJobInputs } from "../kinds/cluster/inputs";
import { checkClusterInputs } from "../kinds/cluster/inputs";
import { CLUSTER_SECRET_OUTPUTS } from "../kinds/cluster/outputs";
import { clusterSpec } from "../kinds/cluster/spec";
import type { ServerlessRestoreJobInputs } from "../kinds/serverless/inputs";
import { serverlessSpec } from "../kinds/serverless/spec";
import type { JobOutputs, RestoreJobSpec, Session } from "../restore/types";
import { detectSourceKind, type SourceKind } from "./source-kind";

/**
 * `RestoreJob`: the inputs of a dedicated-cluster restore, for a source of any kind. `start` (and
 * adopting a job) first reads the source: a dedicated cluster is restored as a `ClusterRestoreJob`; a
 * Flex cluster or a serverless instance through the serverless path with its Flex fallback. The kind
 * goes into state, so refresh, resume and destroy keep using the API that owns the job.
 */
export const detectingSpec: RestoreJobSpec<ClusterRestoreJobInputs> = {
  noun: "restore job",
  inputs: ClusterRestoreJobInputs,
  check: checkClusterInputs,
  diffRules: clusterDiffRules,
  secretOutputs: CLUSTER_SECRET_OUTPUTS,

  async start(session, inputs, context) {
    const kind = await detect(session, inputs);
    if (kind === "cluster") {
      const started = await clusterSpec.start(session, inputs, context);
      return { ...started, outs: withKind(started.outs, kind) };
    }
    refuseUnsupported(kind, inputs);
    const started = await serverlessSpec.start(session, serverlessInputs(inputs), context);
    return { ...started, outs: asGiven(inputs, started.outs) };
  },

  async adopt(session, inputs, jobId) {
    const kind = await detect(session, inputs);
    if (kind === "cluster") return withKind(await clusterSpec.adopt(session, inputs, jobId), kind);
    return asGiven(inputs, await serverlessSpec.adopt(session, serverlessInputs(inputs), jobId));
  },

  async fetch(session, inputs, previous) {
    const kind = kindOf(previous);
    if (kind === "cluster") return withKind(await clusterSpec.fetch(session, inputs, previous), kind);
    return asGiven(inputs, await serverlessSpec.fetch(session, serverlessInputs(inputs), previous));
  },

  target(inputs, outs) {
    return kindOf(outs) === "cluster"
      ? clusterSpec.target(inputs, outs)
      : serverlessSpec.target(serverlessInputs(inputs), outs);
  },
};

async function detect(session: Session, inputs: ClusterRestoreJobInputs): Promise<SourceKind> {
  const kind = await detectSourceKind(session.client, inputs.groupId, inputs.clusterName);
  session.log.info(`source is ${describe(kind)}: ${inputs.clusterName}`);
  return kind;
}

function describe(kind: SourceKind): string {
  if (kind === "cluster") return "a dedicated cluster";
  return kind === "flex"
    ? "a Flex cluster"
    : "not a dedicated or Flex cluster; trying it as a serverless instance";
}

/**
 * The kind recorded in state (`kind`, or the `api` that owns the job, which is all a resource that only
 * sees the job's id and API has); neither means serverless.
 */
export function kindOf(outs: Record<string, unknown>): SourceKind {
  const kind = outs.kind ?? outs.api;
  return kind === "cluster" || kind === "flex" ? kind : "serverless";
}

/** Refuses, before any request that starts something, what the source's kind cannot do. */
function refuseUnsupported(kind: Exclude<SourceKind, "cluster">, inputs: ClusterRestoreJobInputs): void {
  const what = kind === "flex" ? "Flex clusters" : "serverless instances";
  if (kind === "flex" && inputs.deliveryType === "pointInTime")
    throw new Error(`pointInTime restores are not available for ${what}: ${inputs.clusterName}`);
  if (inputs.takeSnapshot)
    throw new Error(
      `on-demand snapshots (takeSnapshot) are not available for ${what}: ${inputs.clusterName}`,
    );
}

/** The same restore in the serverless resource's inputs, whose Flex fallback serves migrated instances. */
function serverlessInputs(inputs: ClusterRestoreJobInputs): ServerlessRestoreJobInputs {
  return {
    groupId: inputs.groupId,
    clusterName: inputs.clusterName,
    deliveryType: inputs.deliveryType,
    // The serverless API wants a target even for downloads; the source is the natural one.
    targetClusterName: inputs.targetClusterName ?? inputs.clusterName,
    targetGroupId: inputs.targetGroupId ?? inputs.groupId,
    apiFallback: "flex",
    waitForCompletion: inputs.waitForCompletion,
    waitTimeoutSeconds: inputs.waitTimeoutSeconds,
    waitForTarget: inputs.waitForTarget,
    ...(inputs.snapshotId !== undefined ? { snapshotId: inputs.snapshotId } : {}),
    ...(inputs.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: inputs.pointInTimeUTCSeconds }
      : {}),
    ...(inputs.oplogTs !== undefined ? { oplogTs: inputs.oplogTs } : {}),
    ...(inputs.oplogInc !== undefined ? { oplogInc: inputs.oplogInc } : {}),
    ...(inputs.existingRestoreJobId !== undefined
      ? { existingRestoreJobId: inputs.existingRestoreJobId }
      : {}),
    ...(inputs.triggers !== undefined ? { triggers: inputs.triggers } : {}),
  };
}

function withKind(outs: JobOutputs, kind: SourceKind): JobOutputs {
  return { ...outs, kind };
}

/**
 * Serverless outputs with this resource's inputs as the user gave them: a download names no target
 * here, so the serverless path's stand-in target must not look like a changed input to `diff`.
 */
function asGiven(inputs: ClusterRestoreJobInputs, outs: JobOutputs): JobOutputs {
  const { apiFallback: _fallback, ...rest } = outs;
  // The serverless path decides which API serves the name (a migrated instance is Flex): that is its kind.
  const result: JobOutputs = {
    ...rest,
    onDestroy: inputs.onDestroy,
    kind: outs.api === "flex" ? "flex" : "serverless",
  };
  if (inputs.deliveryType === "download") {
    delete result.targetClusterName;
    delete result.targetGroupId;
  }
  return result;
}

/** Why a recorded job cannot be cancelled: only dedicated-cluster jobs can. */
export function noCancelFor(outs: Record<string, unknown>): string | undefined {
  const kind = kindOf(outs);
  if (kind === "cluster") return undefined;
  return `Atlas has no cancel for ${kind === "flex" ? "Flex" : "serverless"} restore jobs`;
}
