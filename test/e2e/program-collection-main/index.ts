import * as pulumi from "@pulumi/pulumi";

// A CollectionRestoreJob as the code whose program listed the job's collections on every read
// registered it (commit 9afb8e4, built into `oldDist`): the record's input and outputs hold
// `collectionStates`, `unrestoredCollections` and `partial`. Its provider loads that build by path
// (the test rewrites the build's package-name require), since the package name resolves to the code
// under test.
const config = new pulumi.Config();
const before = require(`${config.require("oldDist")}/provider/index.js`) as {
  CollectionRestoreJob: new (name: string, args: unknown) => Record<string, pulumi.Output<unknown>>;
};
const job = new before.CollectionRestoreJob("restore", config.requireObject<Record<string, unknown>>("args"));

export const restoreJobId = job.restoreJobId;
export const status = job.status;
