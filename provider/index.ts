/**
 * pulumi-atlas-restore: MongoDB Atlas backup restores as Pulumi resources.
 */
export type { AtlasCredentials } from "./atlas/auth";
export type { ClusterSnapshot } from "./atlas/cluster-wire";
export { AtlasApiError, AtlasDecodeError } from "./atlas/errors";
export type { BackupSnapshot, FlexSnapshot } from "./atlas/wire";
export { inlineProjectSettings } from "./automation/inline-program";
export type { SourceKind } from "./detection/source-kind";
export { RestoreJobNotCancelledError, SnapshotNotCompletedError } from "./kinds/cluster/errors";
export { CollectionRestoreBusyError, CollectionRestoreIncompleteError } from "./kinds/collection/errors";
export { ProviderConfigError } from "./pulumi/provider-config";
export {
  clusterRestoreJobProvider,
  collectionRestoreJobProvider,
  detectingRestoreJobProvider,
  flexRestoreJobProvider,
  recordProvider,
  restoreJobProvider,
  restoreJobProviders,
  restoreRecordProvider,
  serverlessRestoreJobProvider,
} from "./pulumi/serialized-provider";
export {
  type ClusterRestoreComponent,
  ClusterRestoreJob,
  type ClusterRestoreJobArgs,
  type PrivateDownloadUrl,
} from "./resources/cluster-restore-job";
export {
  getClusterSnapshots,
  getClusterSnapshotsOutput,
  getLatestClusterSnapshot,
  getLatestClusterSnapshotOutput,
} from "./resources/cluster-snapshot-lookups";
export {
  CollectionRestoreJob,
  type CollectionRestoreJobArgs,
  type CollectionRestoreSummary,
  type RestoreNamespaceArgs,
} from "./resources/collection-restore-job";
export { getSourceKind, RestoreJob, type RestoreJobArgs } from "./resources/detected-restore-job";
export {
  type CloneCheckArgs,
  type CollectionCheckArgs,
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  type PointInTimeArgs,
  type RestoreJobWaitArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "./resources/restore-jobs";
export { type RestoreJobOptions, RestoreSetupError } from "./resources/restore-resource";
export {
  getFlexSnapshots,
  getFlexSnapshotsOutput,
  getLatestSnapshot,
  getLatestSnapshotOutput,
  getServerlessSnapshots,
  getServerlessSnapshotsOutput,
  type SnapshotLookupArgs,
  SnapshotLookupError,
} from "./resources/snapshot-lookups";
export type { CheckedCollection, CloneVerification } from "./restore/clone-check";
export {
  PollAbortedError,
  PollTimeoutError,
  RestoreJobFailedError,
  RestoreJobIncompleteError,
  TargetNotReadyError,
} from "./restore/errors";
export type { RestoreJobStatus } from "./restore/job-status";
export type { CompletedSnapshot } from "./restore/snapshot-choice";
