import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// `count` resources in one stack: restore jobs into distinct targets (bench-target-01, …), or, with
// `kind: minimal`, a dynamic resource whose provider does nothing, for the state-size baseline.
const config = new pulumi.Config();
const count = config.requireNumber("count");
const groupId = config.require("groupId");

const minimal: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "minimal", outs: {} };
  },
};

class Minimal extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(minimal, name, {}, {});
  }
}

for (let i = 1; i <= count; i++) {
  const target = `bench-target-${String(i).padStart(3, "0")}`;
  if (config.get("kind") === "minimal") {
    new Minimal(`minimal-${i}`);
  } else {
    new ServerlessRestoreJob(`restore-${i}`, {
      groupId,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: target,
    });
  }
}
