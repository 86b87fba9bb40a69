import * as pulumi from "@pulumi/pulumi";

// Version 0.1's ServerlessRestoreJob, exactly as it registered itself: one dynamic resource at the
// root, type `pulumi-nodejs:dynamic/mongodbatlas:ServerlessRestoreJob`, run by 0.1's own lifecycle
// (built from commit 8bdd2cd into `oldDist`). Its provider loads that build by path instead of by
// package name, since the package name resolves to the code under test.
const config = new pulumi.Config();
const runtime = `${config.require("oldDist")}/provider/runtime`;
const args = config.requireObject<Record<string, unknown>>("args");

type Lifecycle = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;
const v01 = (): { serverless: Lifecycle; configure(get: (key: string) => string | undefined): void } =>
  require(runtime);
const provider: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => v01().configure((key) => req.config.get(key)),
  check: (olds, news) => v01().serverless.check(olds, news),
  diff: (id, olds, news) => v01().serverless.diff(id, olds, news),
  create: (inputs) => v01().serverless.create(inputs),
  read: (id, props) => v01().serverless.read(id, props),
  update: (id, olds, news) => v01().serverless.update(id, olds, news),
  delete: (id, props) => v01().serverless.delete(id, props),
};

const OUTPUTS = [
  "restoreJobId",
  "targetReady",
  "snapshotId",
  "targetClusterName",
  "targetGroupId",
  "status",
  "snapshotSource",
  "targetIsSource",
  "api",
  "failed",
  "cancelled",
  "expired",
  "finishedAt",
  "expiresAt",
  "timestamp",
  "deliveryUrl",
  "desiredTimestamp",
];

class ServerlessRestoreJob extends pulumi.dynamic.Resource {}
const job = new ServerlessRestoreJob(
  provider,
  "restore",
  { ...Object.fromEntries(OUTPUTS.map((key) => [key, undefined])), ...args },
  { additionalSecretOutputs: ["deliveryUrl"] },
  "mongodbatlas",
  "ServerlessRestoreJob",
) as unknown as Record<string, pulumi.Output<unknown>>;

export const restoreJobId = job.restoreJobId;
export const status = job.status;
