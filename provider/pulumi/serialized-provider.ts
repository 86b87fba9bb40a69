import type * as pulumi from "@pulumi/pulumi";

import serverlessStart = require("./providers/serverless-start");
import serverlessWait = require("./providers/serverless-wait");
import flexStart = require("./providers/flex-start");
import flexWait = require("./providers/flex-wait");
import clusterStart = require("./providers/cluster-start");
import clusterWait = require("./providers/cluster-wait");
import collectionStart = require("./providers/collection-start");
import collectionWait = require("./providers/collection-wait");
import detectingStart = require("./providers/detecting-start");
import detectingWait = require("./providers/detecting-wait");
import type { RestoreRole } from "./restore-job-provider";

export { restoreJobProvider, type RestoreRole } from "./restore-job-provider";

/**
 * One provider object per kind and role, made once: the SDK serializes each object once, however many
 * resources use it.
 */
export const restoreJobProviders: Record<string, Record<RestoreRole, pulumi.dynamic.ResourceProvider>> = {
  serverless: { start: serverlessStart, wait: serverlessWait },
  flex: { start: flexStart, wait: flexWait },
  cluster: { start: clusterStart, wait: clusterWait },
  collection: { start: collectionStart, wait: collectionWait },
  detecting: { start: detectingStart, wait: detectingWait },
};

/** The dynamic provider that starts a {@link ServerlessRestoreJob}'s job. */
export const serverlessRestoreJobProvider = restoreJobProviders.serverless!.start;

/** The dynamic provider that starts a {@link FlexRestoreJob}'s job. */
export const flexRestoreJobProvider = restoreJobProviders.flex!.start;

/** The dynamic provider that starts a {@link ClusterRestoreJob}'s job. */
export const clusterRestoreJobProvider = restoreJobProviders.cluster!.start;

/** The dynamic provider that starts a {@link CollectionRestoreJob}'s job. */
export const collectionRestoreJobProvider = restoreJobProviders.collection!.start;

/** The dynamic provider that starts a {@link RestoreJob}'s job. */
export const detectingRestoreJobProvider = restoreJobProviders.detecting!.start;
