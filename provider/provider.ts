import type * as pulumi from "@pulumi/pulumi";

import type * as runtime from "./runtime";

/**
 * The module the provider process loads, by package name. Pulumi serializes the provider object into
 * every resource's state and runs it in another process; naming the implementation instead of
 * capturing it keeps state to a few hundred bytes, free of credentials and clients.
 */
const IMPLEMENTATION = "pulumi-atlas-restore/dist/provider/runtime";

/**
 * The dynamic provider behind {@link ServerlessRestoreJob}. Exported for tests and advanced users; its
 * methods follow `pulumi.dynamic.ResourceProvider`.
 */
export const serverlessRestoreJobProvider: pulumi.dynamic.ResourceProvider = {
  configure: async (req) => implementation().configure((key) => req.config.get(key)),
  check: (olds, news) => implementation().serverless.check(olds, news),
  diff: (id, olds, news) => implementation().serverless.diff(id, olds, news),
  create: (inputs) => implementation().serverless.create(inputs),
  read: (id, props) => implementation().serverless.read(id, props),
  update: (id, olds, news) => implementation().serverless.update(id, olds, news),
  delete: (id, props) => implementation().serverless.delete(id, props),
};

function implementation(): typeof runtime {
  return require(IMPLEMENTATION);
}
