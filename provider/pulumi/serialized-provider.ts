import type * as pulumi from "@pulumi/pulumi";

import serverlessStart = require("./providers/serverless-start");
import flexStart = require("./providers/flex-start");
import clusterStart = require("./providers/cluster-start");
import collectionStart = require("./providers/collection-start");
import detectingStart = require("./providers/detecting-start");
import restoreRecord = require("./providers/restore-record");

export { recordProvider, restoreJobProvider } from "./restore-job-provider";

/**
 * One provider object per kind, made once: the SDK serializes each object once, however many
 * resources use it.
 */
export const restoreJobProviders: Record<string, pulumi.dynamic.ResourceProvider> = {
  serverless: serverlessStart,
  flex: flexStart,
  cluster: clusterStart,
  collection: collectionStart,
  detecting: detectingStart,
};

/** The dynamic provider of every restore's record: what the program's wait saw, in state. */
export const restoreRecordProvider: pulumi.dynamic.ResourceProvider = restoreRecord;

/** The dynamic provider that starts a {@link ServerlessRestoreJob}'s job. */
export const serverlessRestoreJobProvider = restoreJobProviders.serverless!;

/** The dynamic provider that starts a {@link FlexRestoreJob}'s job. */
export const flexRestoreJobProvider = restoreJobProviders.flex!;

/** The dynamic provider that starts a {@link ClusterRestoreJob}'s job. */
export const clusterRestoreJobProvider = restoreJobProviders.cluster!;

/** The dynamic provider that starts a {@link CollectionRestoreJob}'s job. */
export const collectionRestoreJobProvider = restoreJobProviders.collection!;

/** The dynamic provider that starts a {@link RestoreJob}'s job. */
export const detectingRestoreJobProvider = restoreJobProviders.detecting!;
