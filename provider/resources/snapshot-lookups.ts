import * as pulumi from "@pulumi/pulumi";

import type { BackupSnapshot, FlexSnapshot } from "../atlas/wire";
import { readProviderConfig } from "../pulumi/provider-config";
import { createSession } from "../pulumi/provider-process";
import { type CompletedSnapshot, latestSnapshot } from "../restore/snapshot-choice";

/**
 * Snapshot look-ups for programs, e.g. to restore "whatever is newest" and restore again whenever a
 * newer snapshot exists (pass the id as `snapshotId`: a new id is a new restore). They run in the
 * program, with the provider's credential rules: stack config first, then the environment.
 */

/** Which instance or cluster to look at. */
export interface SnapshotLookupArgs {
  /** Project (group) id. */
  groupId: string;
  /** Serverless instance or flex cluster name. */
  clusterName: string;
}

/** Every snapshot of a serverless instance, all pages. */
export async function getServerlessSnapshots(args: SnapshotLookupArgs): Promise<BackupSnapshot[]> {
  return programSession().client.listServerlessSnapshots(args.groupId, args.clusterName);
}

/** Every snapshot of a flex cluster, all pages. */
export async function getFlexSnapshots(args: SnapshotLookupArgs): Promise<FlexSnapshot[]> {
  return programSession().client.listFlexSnapshots(args.groupId, args.clusterName);
}

/**
 * The newest completed snapshot of a serverless instance or (with `api: "flex"`) a flex cluster.
 * Rejects when there is none.
 */
export async function getLatestSnapshot(
  args: SnapshotLookupArgs & { api?: "serverless" | "flex" },
): Promise<CompletedSnapshot> {
  const api = args.api ?? "serverless";
  const newest = await latestSnapshot(programSession().client, api, args.groupId, args.clusterName);
  if (!newest)
    throw new Error(`no completed snapshot of ${api} ${args.clusterName} in project ${args.groupId}`);
  return newest;
}

/** {@link getServerlessSnapshots} for `Input` arguments. */
export function getServerlessSnapshotsOutput(
  args: pulumi.Input<SnapshotLookupArgs>,
): pulumi.Output<BackupSnapshot[]> {
  return pulumi.output(args).apply((a) => getServerlessSnapshots(a));
}

/** {@link getFlexSnapshots} for `Input` arguments. */
export function getFlexSnapshotsOutput(
  args: pulumi.Input<SnapshotLookupArgs>,
): pulumi.Output<FlexSnapshot[]> {
  return pulumi.output(args).apply((a) => getFlexSnapshots(a));
}

/** {@link getLatestSnapshot} for `Input` arguments. */
export function getLatestSnapshotOutput(
  args: pulumi.Input<SnapshotLookupArgs & { api?: "serverless" | "flex" }>,
): pulumi.Output<CompletedSnapshot> {
  return pulumi.output(args).apply((a) => getLatestSnapshot(a));
}

/** A session for the program's own process, from the stack's config (secrets included) and the environment. */
export function programSession() {
  return createSession(readProviderConfig((key) => pulumi.runtime.getConfig(key), process.env));
}
