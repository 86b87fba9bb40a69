import * as pulumi from "@pulumi/pulumi";
import { CollectionRestoreJob, ServerlessRestoreJob } from "pulumi-atlas-restore";

// `count` resources in one stack: restore jobs into distinct targets (bench-target-01, …); with
// `kind: collection`, collection restores of one source cluster into distinct namespaces (Atlas runs
// them one at a time); with `kind: minimal`, a dynamic resource whose provider does nothing, for the
// engine's own cost; with `kind: pair`, two such resources, the second depending on the first, as a
// restore's record depends on its job: the engine's own cost of a restore's shape.
const config = new pulumi.Config();
const count = config.requireNumber("count");
const groupId = config.require("groupId");
const kind = config.get("kind") ?? "restore";

const minimal: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "minimal", outs: {} };
  },
};

class Minimal extends pulumi.dynamic.Resource {
  constructor(name: string, opts: pulumi.CustomResourceOptions = {}) {
    super(minimal, name, {}, opts);
  }
}

for (let i = 1; i <= count; i++) {
  const n = String(i).padStart(3, "0");
  if (kind === "minimal") {
    new Minimal(`minimal-${i}`);
  } else if (kind === "pair") {
    new Minimal(`record-${i}`, { dependsOn: new Minimal(`job-${i}`) });
  } else if (kind === "collection") {
    new CollectionRestoreJob(`collection-${i}`, {
      groupId,
      clusterName: "prod-cluster",
      targetClusterName: "prod-cluster",
      collections: [{ sourceNamespace: "inventory.items", targetNamespace: `bench_${n}.items` }],
    });
  } else {
    new ServerlessRestoreJob(`restore-${i}`, {
      groupId,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: `bench-target-${n}`,
    });
  }
}
