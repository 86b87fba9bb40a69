import * as pulumi from "@pulumi/pulumi";

// A ClusterRestoreJob as the code before the restore's record registered it (commit 3756d55, built
// into `oldDist`): one dynamic resource, whose outputs the program's wait resolved. Its provider
// loads that build by path (the test rewrites the build's package-name require), since the package
// name resolves to the code under test.
const config = new pulumi.Config();
const before = require(`${config.require("oldDist")}/provider/index.js`) as {
  ClusterRestoreJob: new (name: string, args: unknown) => Record<string, pulumi.Output<unknown>>;
};
const job = new before.ClusterRestoreJob("restore", config.requireObject<Record<string, unknown>>("args"));

export const restoreJobId = job.restoreJobId;
export const status = job.status;
