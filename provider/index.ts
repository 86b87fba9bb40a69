/**
 * pulumi-atlas-restore: MongoDB Atlas backup restores as Pulumi resources.
 */
export type { AtlasCredentials } from "./auth";
export type { BackupSnapshot, FlexSnapshot } from "./codecs";
export {
  AtlasApiError,
  AtlasDecodeError,
  PollAbortedError,
  PollTimeoutError,
  ProviderConfigError,
  RestoreJobFailedError,
  RestoreJobIncompleteError,
  TargetNotReadyError,
} from "./errors";
export {
  getFlexSnapshots,
  getFlexSnapshotsOutput,
  getLatestSnapshot,
  getLatestSnapshotOutput,
  getServerlessSnapshots,
  getServerlessSnapshotsOutput,
  type SnapshotLookupArgs,
} from "./lookups";
export { flexRestoreJobProvider, serverlessRestoreJobProvider } from "./provider";
export {
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  type RestoreJobWaitArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "./resource";
export type { RestoreJobStatus } from "./restore-job-state";
export type { CompletedSnapshot } from "./snapshots";
