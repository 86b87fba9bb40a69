/**
 * pulumi-atlas-restore: MongoDB Atlas backup restores as Pulumi resources.
 */
export type { AtlasCredentials } from "./auth";
export {
  AtlasApiError,
  AtlasDecodeError,
  PollAbortedError,
  PollTimeoutError,
  ProviderConfigError,
  RestoreJobFailedError,
  RestoreJobIncompleteError,
} from "./errors";
export { serverlessRestoreJobProvider } from "./provider";
export { ServerlessRestoreJob, type ServerlessRestoreJobArgs } from "./resource";
export type { RestoreJobStatus } from "./restore-job-state";
