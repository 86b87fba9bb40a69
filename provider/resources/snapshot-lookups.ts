import * as pulumi from "@pulumi/pulumi";

import { AtlasApiError } from "../atlas/errors";
import type { BackupSnapshot, FlexSnapshot } from "../atlas/wire";
import { migratedToFlex } from "../kinds/serverless/spec";
import { programSession } from "../pulumi/program-session";
import { type CompletedSnapshot, latestSnapshot } from "../restore/snapshot-choice";
import type { Session } from "../restore/types";

/**
 * Snapshot look-ups for programs, e.g. to restore "whatever is newest" and restore again whenever a
 * newer snapshot exists (pass the id as `snapshotId`: a new id is a new restore). They run in the
 * program, with the provider's credential rules: stack config first, then the environment. A failure
 * rejects with a {@link SnapshotLookupError}, which Pulumi prints as its one-line message.
 */

/** Which instance or cluster to look at. */
export interface SnapshotLookupArgs {
  /** Project (group) id. */
  groupId: string;
  /** Serverless instance or flex cluster name. */
  clusterName: string;
}

/**
 * Every snapshot of a serverless instance, all pages. After the serverless sunset, those of the Flex
 * cluster the instance became, in the same shape (`createdAt` from when the snapshot finished, the
 * status in lower case).
 */
export async function getServerlessSnapshots(args: SnapshotLookupArgs): Promise<BackupSnapshot[]> {
  return lookUp(`the snapshots of ${described("serverless", args)}`, (client) =>
    orAfterSunset(
      client,
      args,
      () => client.listServerlessSnapshots(args.groupId, args.clusterName),
      async () => (await client.listFlexSnapshots(args.groupId, args.clusterName)).map(asServerless),
    ),
  );
}

/** Every snapshot of a flex cluster, all pages. */
export async function getFlexSnapshots(args: SnapshotLookupArgs): Promise<FlexSnapshot[]> {
  return lookUp(`the snapshots of ${described("flex", args)}`, (client) =>
    client.listFlexSnapshots(args.groupId, args.clusterName),
  );
}

/**
 * The newest completed snapshot of a serverless instance or (with `api: "flex"`) a flex cluster.
 * After the serverless sunset, a serverless instance's is the newest of the Flex cluster it became,
 * which a `ServerlessRestoreJob` restores through its Flex fallback. Rejects when there is none.
 */
export async function getLatestSnapshot(
  args: SnapshotLookupArgs & { api?: "serverless" | "flex" },
): Promise<CompletedSnapshot> {
  const api = args.api ?? "serverless";
  return lookUpNewest(described(api, args), (client) => {
    const newest = (of: "serverless" | "flex") => latestSnapshot(client, of, args.groupId, args.clusterName);
    if (api === "flex") return newest("flex");
    return orAfterSunset(
      client,
      args,
      () => newest("serverless"),
      () => newest("flex"),
    );
  });
}

/**
 * A serverless look-up, or the same of the Flex cluster of the same name once the serverless API no
 * longer serves the instance (the sunset), with a warning.
 */
async function orAfterSunset<T>(
  client: Session["client"],
  args: SnapshotLookupArgs,
  serverless: () => Promise<T>,
  flex: () => Promise<T>,
): Promise<T> {
  try {
    return await serverless();
  } catch (error) {
    if (!(await migratedToFlex(client, args.groupId, args.clusterName, error))) throw error;
    const { status, errorCode } = error as AtlasApiError;
    programSession().log.warn(
      `the serverless API answered ${status}${errorCode ? ` ${errorCode}` : ""}; reading the snapshots ` +
        `of the Flex cluster it became instead: ${args.clusterName}`,
    );
    return flex();
  }
}

/** A Flex snapshot in the serverless shape. */
function asServerless(snapshot: FlexSnapshot): BackupSnapshot {
  const createdAt = snapshot.finishTime ?? snapshot.startTime ?? snapshot.scheduledTime;
  return {
    id: snapshot.id,
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(snapshot.status !== undefined ? { status: snapshot.status.toLowerCase() } : {}),
    ...(snapshot.expiration !== undefined ? { expiresAt: snapshot.expiration } : {}),
  };
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

/**
 * A snapshot look-up failed. Pulumi prints a {@link pulumi.RunError} as its message alone, so the
 * program's output shows one line (what was looked up, then why) instead of a stack trace and the
 * error's fields; the original error is kept as `cause`.
 */
export class SnapshotLookupError extends pulumi.RunError {
  override readonly name = "SnapshotLookupError";
  constructor(
    /** What was looked up, e.g. `the snapshots of serverless instance prod-orders in project 6650…`. */
    readonly lookup: string,
    /** Why it failed, one line. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`cannot look up ${lookup}: ${reason}`, cause === undefined ? undefined : { cause });
    // Pulumi also passes every unhandled error, a RunError too, to util.inspect with colours. On
    // Node 20 that spins for about a minute, then throws, on a stack frame under
    // `node_modules/@pulumi/output.ts` (where source maps put the SDK's own frames, and an error
    // raised inside an apply has one), so the program hung before it failed. The message says it all.
    dropFrames(this);
  }
}

/** Replaces the stacks of an error and of its causes (at most five deep) by their first line. */
export function dropFrames(error: Error): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 6; depth++, current = current.cause)
    current.stack = `${current.name}: ${current.message}`;
}

/** One line saying why a call failed: Atlas's status, error code and detail, or the error's message. */
export function failureReason(error: unknown): string {
  if (error instanceof AtlasApiError) {
    if (error.status === undefined) return `no answer from Atlas (${error.networkCode ?? "network error"})`;
    const code = error.errorCode ? ` ${error.errorCode}` : "";
    const detail = error.detail ? ` (${error.detail})` : "";
    return `Atlas answered ${error.status}${code}${detail}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, " ");
}

function described(api: "serverless" | "flex", args: SnapshotLookupArgs): string {
  const kind = api === "serverless" ? "serverless instance" : "flex cluster";
  return `${kind} ${args.clusterName} in project ${args.groupId}`;
}

/** Looks up the newest completed snapshot of a source, described for messages; rejects when there is none. */
export async function lookUpNewest(
  source: string,
  find: (client: Session["client"]) => Promise<CompletedSnapshot | undefined>,
): Promise<CompletedSnapshot> {
  const what = `the newest completed snapshot of ${source}`;
  const newest = await lookUp(what, find);
  if (!newest) throw new SnapshotLookupError(what, "there is none");
  return newest;
}

/** Runs one look-up in a session of the program's own process, turning any failure into one line. */
export async function lookUp<T>(what: string, run: (client: Session["client"]) => Promise<T>): Promise<T> {
  try {
    return await run(programSession().client);
  } catch (error) {
    throw new SnapshotLookupError(what, failureReason(error), error);
  }
}
