import * as t from "io-ts";

import { nullable } from "./wire";

/**
 * Wire codecs of the collection-level restore operations (`openapi-subset-dedicated.json`, version
 * 2025-03-12). Tolerant like the others: unknown fields are ignored, and fields Atlas sends as `null`
 * are accepted as absent.
 */

/** `writeStrategy`: copy into new namespaces, or drop and replace the target ones. */
export const CollectionWriteStrategy = t.keyof({ CREATE_NEW: null, OVERWRITE_EXISTING: null });
export type CollectionWriteStrategy = t.TypeOf<typeof CollectionWriteStrategy>;

/** `indexStrategy`: which of the source's indexes are built on the target. */
export const CollectionIndexStrategy = t.keyof({ ALL: null, NONE: null, ALL_EXCEPT_TTL: null });
export type CollectionIndexStrategy = t.TypeOf<typeof CollectionIndexStrategy>;

/** `ApiAtlasRestoreNamespaceView`: a database (`db`) or collection (`db.collection`) to copy. */
export const RestoreNamespace = t.intersection([
  t.type({ sourceNamespace: t.string }),
  t.partial({ targetNamespace: nullable(t.string) }),
]);
export type RestoreNamespace = t.TypeOf<typeof RestoreNamespace>;

/** `ApiAtlasCollectionRestoreJobRequest`: what the POST sends (only the fields we set). */
export interface CreateCollectionRestoreJobRequest {
  writeStrategy: CollectionWriteStrategy;
  indexStrategy: CollectionIndexStrategy;
  targetClusterName: string;
  targetGroupId: string;
  databases?: { sourceNamespace: string; targetNamespace?: string }[];
  collections?: { sourceNamespace: string; targetNamespace?: string }[];
  databaseSuffix?: string;
  collectionSuffix?: string;
  snapshotId?: string;
  // Spelled `Utc` here, unlike the dedicated restore job's `pointInTimeUTCSeconds`.
  pointInTimeUtcSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
}

/** The job's `state`; the first three are still running. */
export const CollectionJobState = t.keyof({
  INITIALIZING: null,
  IN_PROGRESS: null,
  FINALIZING: null,
  SUCCESSFUL: null,
  CANCELED: null,
  FAILED: null,
});
export type CollectionJobState = t.TypeOf<typeof CollectionJobState>;

/** `indexStatus` of a job: the index build as a whole. */
export const CollectionJobIndexStatus = t.partial({
  state: nullable(t.string),
  failedCollectionCount: nullable(t.number),
});
export type CollectionJobIndexStatus = t.TypeOf<typeof CollectionJobIndexStatus>;

/** `ApiAtlasCollectionRestoreJobResponse`. */
export const CollectionRestoreJob = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    // A string, not the enum: a state added later must not make every read fail.
    state: t.string,
    createdAt: nullable(t.string),
    finishedAt: nullable(t.string),
    errorMessage: nullable(t.string),
    snapshotId: nullable(t.string),
    pointInTimeUtcSeconds: nullable(t.number),
    oplogTs: nullable(t.number),
    oplogInc: nullable(t.number),
    targetClusterName: nullable(t.string),
    targetGroupId: nullable(t.string),
    writeStrategy: nullable(t.string),
    indexStrategy: nullable(t.string),
    databases: nullable(t.array(RestoreNamespace)),
    collections: nullable(t.array(RestoreNamespace)),
    databaseSuffix: nullable(t.string),
    collectionSuffix: nullable(t.string),
    restoredDocuments: nullable(t.number),
    totalDocuments: nullable(t.number),
    indexStatus: nullable(CollectionJobIndexStatus),
  }),
]);
export type CollectionRestoreJob = t.TypeOf<typeof CollectionRestoreJob>;

/** `indexStatus` of one collection. */
export const CollectionIndexStatus = t.partial({
  state: nullable(t.string),
  errorMessage: nullable(t.string),
  failedIndexes: nullable(t.array(t.unknown)),
});

/** `ApiAtlasCollectionRestoreCollectionStateResponse`: one collection of a job. */
export const CollectionRestoreState = t.partial({
  sourceNamespace: t.string,
  targetNamespace: nullable(t.string),
  effectiveTargetNamespace: nullable(t.string),
  state: t.string,
  restoredDocuments: nullable(t.number),
  totalDocuments: nullable(t.number),
  indexStatus: nullable(CollectionIndexStatus),
});
export type CollectionRestoreState = t.TypeOf<typeof CollectionRestoreState>;
