import type * as pulumi from "@pulumi/pulumi";

import type { Lifecycle } from "../restore/types";
import type * as runtime from "./provider-process";

/**
 * The module the provider process loads, by package name. Pulumi serializes the provider object into
 * every resource's state and runs it in another process; naming the implementation instead of
 * capturing it keeps state to a few kilobytes, free of credentials and clients.
 */
const IMPLEMENTATION = "pulumi-atlas-restore/dist/provider/pulumi/provider-process";

/**
 * The dynamic provider of one kind of restore (`serverless`, `flex`, …): it starts the job and returns
 * at once. Exported for tests and advanced users.
 */
export function restoreJobProvider(kind: string): pulumi.dynamic.ResourceProvider {
  const lifecycle = () => {
    const found = implementation().lifecycles[kind];
    if (!found) throw new Error(`pulumi-atlas-restore has no restore kind: ${kind}`);
    return found.start;
  };
  return providerOf(lifecycle);
}

/**
 * The dynamic provider of every restore's record (see `restore/record.ts`): it records what the
 * program's wait saw and, for a completed restore, waits for its target. Exported for tests.
 */
export function recordProvider(): pulumi.dynamic.ResourceProvider {
  return providerOf(() => implementation().record);
}

/** Provider methods that load the implementation in the provider process, on first use. */
function providerOf(lifecycle: () => Lifecycle): pulumi.dynamic.ResourceProvider {
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
