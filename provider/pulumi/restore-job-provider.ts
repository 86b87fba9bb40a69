import type * as pulumi from "@pulumi/pulumi";

import type * as runtime from "./provider-process";

/**
 * The module the provider process loads, by package name. Pulumi serializes the provider object into
 * every resource's state and runs it in another process; naming the implementation instead of
 * capturing it keeps state to a few kilobytes, free of credentials and clients.
 */
const IMPLEMENTATION = "pulumi-atlas-restore/dist/provider/pulumi/provider-process";

/** Which of a restore's two dynamic resources: the one that starts the job, or the one that waits. */
export type RestoreRole = "start" | "wait";

/**
 * The dynamic provider of one role of one kind of restore (`serverless`, `flex`, …), exported for
 * tests and advanced users.
 */
export function restoreJobProvider(kind: string, role: RestoreRole): pulumi.dynamic.ResourceProvider {
  const lifecycle = () => {
    const found = implementation().lifecycles[kind];
    if (!found) throw new Error(`pulumi-atlas-restore has no restore kind: ${kind}`);
    return found[role];
  };
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
