import type * as pulumi from "@pulumi/pulumi";

import type * as runtime from "./provider-process";

/**
 * The module the provider process loads, by package name. Pulumi serializes the provider object into
 * every resource's state and runs it in another process; naming the implementation instead of
 * capturing it keeps state to a few kilobytes, free of credentials and clients.
 */
const IMPLEMENTATION = "pulumi-atlas-restore/dist/provider/pulumi/provider-process";

/** The dynamic provider behind {@link ServerlessRestoreJob}, exported for tests and advanced users. */
export const serverlessRestoreJobProvider = providerFor("serverless");

/** The dynamic provider behind {@link FlexRestoreJob}, exported for tests and advanced users. */
export const flexRestoreJobProvider = providerFor("flex");

/** The dynamic provider behind {@link ClusterRestoreJob}, exported for tests and advanced users. */
export const clusterRestoreJobProvider = providerFor("cluster");

/** The dynamic provider behind {@link CollectionRestoreJob}, exported for tests and advanced users. */
export const collectionRestoreJobProvider = providerFor("collection");

/** The dynamic provider behind {@link RestoreJob}, exported for tests and advanced users. */
export const detectingRestoreJobProvider = providerFor("detecting");

function providerFor(
  kind: "serverless" | "flex" | "cluster" | "collection" | "detecting",
): pulumi.dynamic.ResourceProvider {
  const lifecycle = () => implementation()[kind];
  return {
    configure: async (req) => implementation().configure((key) => req.config.get(key)),
    check: (olds, news) => lifecycle().check(olds, news),
    diff: (id, olds, news) => lifecycle().diff(id, olds, news),
    create: (inputs) => lifecycle().create(inputs),
    read: (id, props) => lifecycle().read(id, props),
    update: (id, olds, news) => lifecycle().update(id, olds, news),
    delete: (id, props) => lifecycle().delete(id, props),
  };
}

function implementation(): typeof runtime {
  return require(IMPLEMENTATION);
}
