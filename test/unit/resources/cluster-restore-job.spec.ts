import assert from "node:assert";

import { CLUSTER_SECRET_OUTPUTS } from "../../../provider/kinds/cluster/outputs";
import { CLUSTER_SECRETS } from "../../../provider/resources/cluster-restore-job";

describe("ClusterRestoreJob resource", () => {
  it("marks as secret exactly the outputs the provider keeps out of partial state", () => {
    assert.deepStrictEqual([...CLUSTER_SECRETS].sort(), [...CLUSTER_SECRET_OUTPUTS].sort());
  });
});
