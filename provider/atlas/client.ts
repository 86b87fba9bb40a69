import * as t from "io-ts";

import { systemClock } from "../waiting/clock";
import {
  ClusterRestoreJob,
  ClusterSnapshot,
  type CreateClusterRestoreJobRequest,
  DedicatedCluster,
  type TakeClusterSnapshotRequest,
} from "./cluster-wire";
import {
  CollectionRestoreJob,
  CollectionRestoreState,
  type CreateCollectionRestoreJobRequest,
} from "./collection-wire";
import { formatDecodeErrors } from "./decode-report";
import { AtlasDecodeError } from "./errors";
import { createListingShare, type ListingReuse, type ListingShare } from "./shared-listing";
import type { AtlasRequest, Send } from "./transport";
import {
  BackupSnapshot,
  ClusterDescription,
  type CreateFlexRestoreJobRequest,
  type CreateServerlessRestoreJobRequest,
  FlexRestoreJob,
  FlexSnapshot,
  page,
  ServerlessJobWire,
} from "./wire";

// Each operation is asked for in exactly the version its codec decodes, as the Go SDK does. Atlas would
// also answer a later date, with the newest version dated before it; an exact date pins the shape, and
// the transport refuses an answer in any other version.

/** API version dates, one per family of operations (see the OpenAPI subset). */
export const SERVERLESS_API_VERSION = "2023-01-01";
/** API version date of the Flex operations. */
export const FLEX_API_VERSION = "2024-11-13";

/** API version date of the dedicated-cluster backup operations (restore jobs, snapshots). */
export const CLUSTER_BACKUP_API_VERSION = "2023-01-01";
/** API version date of `getGroupCluster`; the older two are sunset on 2027-07-01. */
export const CLUSTER_API_VERSION = "2024-08-05";

/** API version date of the collection-level restore operations (the only version they have). */
export const COLLECTION_RESTORE_API_VERSION = "2025-03-12";

/** Items per page when listing; the API allows up to 500. */
const PAGE_SIZE = 100;

/**
 * The Atlas operations we use, each decoding its answer through a codec. No polling, no Pulumi: one
 * method, one request (or one request per page). A listing of restore jobs or snapshots given a
 * {@link ListingReuse} may be answered by an identical listing in flight or recently answered (see
 * `shared-listing.ts`).
 */
export interface AtlasClient {
  createServerlessRestoreJob(
    groupId: string,
    clusterName: string,
    body: CreateServerlessRestoreJobRequest,
  ): Promise<ServerlessJobWire>;
  getServerlessRestoreJob(groupId: string, clusterName: string, jobId: string): Promise<ServerlessJobWire>;
  listServerlessRestoreJobs(
    groupId: string,
    clusterName: string,
    reuse?: ListingReuse,
  ): Promise<ServerlessJobWire[]>;
  listServerlessSnapshots(
    groupId: string,
    clusterName: string,
    reuse?: ListingReuse,
  ): Promise<BackupSnapshot[]>;
  getServerlessInstance(groupId: string, name: string): Promise<ClusterDescription>;
  createFlexRestoreJob(
    groupId: string,
    name: string,
    body: CreateFlexRestoreJobRequest,
  ): Promise<FlexRestoreJob>;
  /** Starts a download of a flex snapshot; the job's `snapshotUrl` appears when it is ready. */
  downloadFlexSnapshot(groupId: string, name: string, snapshotId: string): Promise<FlexRestoreJob>;
  getFlexRestoreJob(groupId: string, name: string, jobId: string): Promise<FlexRestoreJob>;
  listFlexRestoreJobs(groupId: string, name: string, reuse?: ListingReuse): Promise<FlexRestoreJob[]>;
  listFlexSnapshots(groupId: string, name: string, reuse?: ListingReuse): Promise<FlexSnapshot[]>;
  getFlexCluster(groupId: string, name: string): Promise<ClusterDescription>;
  createClusterRestoreJob(
    groupId: string,
    clusterName: string,
    body: CreateClusterRestoreJobRequest,
  ): Promise<ClusterRestoreJob>;
  getClusterRestoreJob(groupId: string, clusterName: string, jobId: string): Promise<ClusterRestoreJob>;
  listClusterRestoreJobs(
    groupId: string,
    clusterName: string,
    reuse?: ListingReuse,
  ): Promise<ClusterRestoreJob[]>;
  /** Asks Atlas to cancel a job (204); sharded clusters may answer 405. */
  cancelClusterRestoreJob(groupId: string, clusterName: string, jobId: string): Promise<void>;
  listClusterSnapshots(
    groupId: string,
    clusterName: string,
    reuse?: ListingReuse,
  ): Promise<ClusterSnapshot[]>;
  /** Takes an on-demand snapshot; it starts `queued`. */
  takeClusterSnapshot(
    groupId: string,
    clusterName: string,
    body: TakeClusterSnapshotRequest,
  ): Promise<ClusterSnapshot>;
  getClusterSnapshot(groupId: string, clusterName: string, snapshotId: string): Promise<ClusterSnapshot>;
  getShardedClusterSnapshot(
    groupId: string,
    clusterName: string,
    snapshotId: string,
  ): Promise<ClusterSnapshot>;
  /** A dedicated cluster; a Flex cluster's name answers 400 `CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`. */
  getCluster(groupId: string, clusterName: string): Promise<DedicatedCluster>;
  /** Starts a collection-level restore (201); 409 while another one runs on the cluster. */
  createCollectionRestoreJob(
    groupId: string,
    clusterName: string,
    body: CreateCollectionRestoreJobRequest,
  ): Promise<CollectionRestoreJob>;
  getCollectionRestoreJob(groupId: string, clusterName: string, jobId: string): Promise<CollectionRestoreJob>;
  listCollectionRestoreJobs(
    groupId: string,
    clusterName: string,
    reuse?: ListingReuse,
  ): Promise<CollectionRestoreJob[]>;
  /** The per-collection states of a job; empty while it is INITIALIZING. */
  listCollectionRestoreStates(
    groupId: string,
    clusterName: string,
    jobId: string,
  ): Promise<CollectionRestoreState[]>;
}

/** Builds the client over a transport, sharing listings through `share` where a call allows it. */
export function createAtlasClient(
  send: Send,
  share: ListingShare = createListingShare(systemClock),
): AtlasClient {
  const serverless = (groupId: string, rest: string) =>
    `/api/atlas/v2/groups/${encodeURIComponent(groupId)}/serverless/${rest}`;
  const jobs = (groupId: string, clusterName: string) =>
    serverless(groupId, `${encodeURIComponent(clusterName)}/backup/restoreJobs`);
  const flex = (groupId: string, name: string, rest = "") =>
    `/api/atlas/v2/groups/${encodeURIComponent(groupId)}/flexClusters/${encodeURIComponent(name)}${rest}`;

  const cluster = (groupId: string, clusterName: string, rest = "") =>
    `/api/atlas/v2/groups/${encodeURIComponent(groupId)}/clusters/${encodeURIComponent(clusterName)}${rest}`;

  const call = async <C extends t.Mixed>(codec: C, request: AtlasRequest): Promise<t.TypeOf<C>> =>
    decode(codec, await send(request), `${request.method} ${request.path}`);

  const listAll = async <C extends t.Mixed>(
    item: C,
    path: string,
    version: string,
  ): Promise<t.TypeOf<C>[]> => {
    const results: t.TypeOf<C>[] = [];
    for (let pageNum = 1; ; pageNum++) {
      const query = { pageNum, itemsPerPage: PAGE_SIZE, includeCount: true };
      const body = await call(page(item), { method: "GET", path, query, version });
      results.push(...body.results);
      // `totalCount` is optional in the answer; without it only a short page proves the end.
      if (body.results.length < PAGE_SIZE) return results;
      if (body.totalCount !== undefined && results.length >= body.totalCount) return results;
    }
  };
  const listShared = <C extends t.Mixed>(item: C, path: string, version: string, reuse?: ListingReuse) =>
    share.get(path, () => listAll(item, path, version), reuse);
  /** A job a POST created, added to the shared listing of its source (`listPath`). */
  const created = async <J>(listPath: string, answer: Promise<J>): Promise<J> => {
    const job = await answer;
    share.record(listPath, job);
    return job;
  };

  return {
    createServerlessRestoreJob: (groupId, clusterName, body) =>
      created(
        jobs(groupId, clusterName),
        call(ServerlessJobWire, {
          method: "POST",
          path: jobs(groupId, clusterName),
          body,
          version: SERVERLESS_API_VERSION,
          idempotent: false,
        }),
      ),
    getServerlessRestoreJob: (groupId, clusterName, jobId) =>
      call(ServerlessJobWire, {
        method: "GET",
        path: `${jobs(groupId, clusterName)}/${encodeURIComponent(jobId)}`,
        version: SERVERLESS_API_VERSION,
      }),
    listServerlessRestoreJobs: (groupId, clusterName, reuse) =>
      listShared(ServerlessJobWire, jobs(groupId, clusterName), SERVERLESS_API_VERSION, reuse),
    listServerlessSnapshots: (groupId, clusterName, reuse) =>
      listShared(
        BackupSnapshot,
        serverless(groupId, `${encodeURIComponent(clusterName)}/backup/snapshots`),
        SERVERLESS_API_VERSION,
        reuse,
      ),
    getServerlessInstance: (groupId, name) =>
      call(ClusterDescription, {
        method: "GET",
        path: serverless(groupId, encodeURIComponent(name)),
        version: SERVERLESS_API_VERSION,
      }),
    createFlexRestoreJob: (groupId, name, body) =>
      created(
        flex(groupId, name, "/backup/restoreJobs"),
        call(FlexRestoreJob, {
          method: "POST",
          path: flex(groupId, name, "/backup/restoreJobs"),
          body,
          version: FLEX_API_VERSION,
          idempotent: false,
        }),
      ),
    downloadFlexSnapshot: (groupId, name, snapshotId) =>
      created(
        flex(groupId, name, "/backup/restoreJobs"),
        call(FlexRestoreJob, {
          method: "POST",
          path: flex(groupId, name, "/backup/download"),
          body: { snapshotId },
          version: FLEX_API_VERSION,
          idempotent: false,
        }),
      ),
    getFlexRestoreJob: (groupId, name, jobId) =>
      call(FlexRestoreJob, {
        method: "GET",
        path: flex(groupId, name, `/backup/restoreJobs/${encodeURIComponent(jobId)}`),
        version: FLEX_API_VERSION,
      }),
    listFlexRestoreJobs: (groupId, name, reuse) =>
      listShared(FlexRestoreJob, flex(groupId, name, "/backup/restoreJobs"), FLEX_API_VERSION, reuse),
    listFlexSnapshots: (groupId, name, reuse) =>
      listShared(FlexSnapshot, flex(groupId, name, "/backup/snapshots"), FLEX_API_VERSION, reuse),
    getFlexCluster: (groupId, name) =>
      call(ClusterDescription, { method: "GET", path: flex(groupId, name), version: FLEX_API_VERSION }),
    createClusterRestoreJob: (groupId, clusterName, body) =>
      created(
        cluster(groupId, clusterName, "/backup/restoreJobs"),
        call(ClusterRestoreJob, {
          method: "POST",
          path: cluster(groupId, clusterName, "/backup/restoreJobs"),
          body,
          version: CLUSTER_BACKUP_API_VERSION,
          idempotent: false,
        }),
      ),
    getClusterRestoreJob: (groupId, clusterName, jobId) =>
      call(ClusterRestoreJob, {
        method: "GET",
        path: cluster(groupId, clusterName, `/backup/restoreJobs/${encodeURIComponent(jobId)}`),
        version: CLUSTER_BACKUP_API_VERSION,
      }),
    listClusterRestoreJobs: (groupId, clusterName, reuse) =>
      listShared(
        ClusterRestoreJob,
        cluster(groupId, clusterName, "/backup/restoreJobs"),
        CLUSTER_BACKUP_API_VERSION,
        reuse,
      ),
    cancelClusterRestoreJob: async (groupId, clusterName, jobId) => {
      // Cancelling twice asks for the same end state, so the transport may repeat it after a 5xx.
      await call(t.unknown, {
        method: "DELETE",
        path: cluster(groupId, clusterName, `/backup/restoreJobs/${encodeURIComponent(jobId)}`),
        version: CLUSTER_BACKUP_API_VERSION,
        idempotent: true,
      });
    },
    listClusterSnapshots: (groupId, clusterName, reuse) =>
      listShared(
        ClusterSnapshot,
        cluster(groupId, clusterName, "/backup/snapshots"),
        CLUSTER_BACKUP_API_VERSION,
        reuse,
      ),
    takeClusterSnapshot: (groupId, clusterName, body) =>
      call(ClusterSnapshot, {
        method: "POST",
        path: cluster(groupId, clusterName, "/backup/snapshots"),
        body,
        version: CLUSTER_BACKUP_API_VERSION,
        idempotent: false,
      }),
    getClusterSnapshot: (groupId, clusterName, snapshotId) =>
      call(ClusterSnapshot, {
        method: "GET",
        path: cluster(groupId, clusterName, `/backup/snapshots/${encodeURIComponent(snapshotId)}`),
        version: CLUSTER_BACKUP_API_VERSION,
      }),
    getShardedClusterSnapshot: (groupId, clusterName, snapshotId) =>
      call(ClusterSnapshot, {
        method: "GET",
        path: cluster(
          groupId,
          clusterName,
          `/backup/snapshots/shardedCluster/${encodeURIComponent(snapshotId)}`,
        ),
        version: CLUSTER_BACKUP_API_VERSION,
      }),
    getCluster: (groupId, clusterName) =>
      call(DedicatedCluster, {
        method: "GET",
        path: cluster(groupId, clusterName),
        version: CLUSTER_API_VERSION,
      }),
    createCollectionRestoreJob: (groupId, clusterName, body) =>
      created(
        cluster(groupId, clusterName, "/collectionRestoreJobs"),
        call(CollectionRestoreJob, {
          method: "POST",
          path: cluster(groupId, clusterName, "/collectionRestoreJobs"),
          body,
          version: COLLECTION_RESTORE_API_VERSION,
          idempotent: false,
        }),
      ),
    getCollectionRestoreJob: (groupId, clusterName, jobId) =>
      call(CollectionRestoreJob, {
        method: "GET",
        path: cluster(groupId, clusterName, `/collectionRestoreJobs/${encodeURIComponent(jobId)}`),
        version: COLLECTION_RESTORE_API_VERSION,
      }),
    listCollectionRestoreJobs: (groupId, clusterName, reuse) =>
      listShared(
        CollectionRestoreJob,
        cluster(groupId, clusterName, "/collectionRestoreJobs"),
        COLLECTION_RESTORE_API_VERSION,
        reuse,
      ),
    listCollectionRestoreStates: (groupId, clusterName, jobId) =>
      listAll(
        CollectionRestoreState,
        cluster(groupId, clusterName, `/collectionRestoreJobs/${encodeURIComponent(jobId)}/collections`),
        COLLECTION_RESTORE_API_VERSION,
      ),
  };
}

function decode<C extends t.Mixed>(codec: C, body: unknown, where: string): t.TypeOf<C> {
  const result = codec.decode(body);
  if (result._tag === "Left") throw new AtlasDecodeError(where, formatDecodeErrors(result.left));
  return result.right;
}
