/**
 * pulumi-atlas-restore: MongoDB Atlas backup restores as Pulumi resources.
 */
export type { AtlasCredentials } from "./atlas/auth";
export { AtlasApiError, AtlasDecodeError } from "./atlas/errors";
export type { BackupSnapshot, FlexSnapshot } from "./atlas/wire";
export { inlineProjectSettings } from "./automation/inline-program";
export { ProviderConfigError } from "./pulumi/provider-config";
export { flexRestoreJobProvider, serverlessRestoreJobProvider } from "./pulumi/serialized-provider";
export {
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  type RestoreJobWaitArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "./resources/restore-jobs";
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
export {
  PollAbortedError,
  PollTimeoutError,
  RestoreJobFailedError,
  RestoreJobIncompleteError,
  TargetNotReadyError,
} from "./restore/errors";
export type { RestoreJobStatus } from "./restore/job-status";
export type { CompletedSnapshot } from "./restore/snapshot-choice";
