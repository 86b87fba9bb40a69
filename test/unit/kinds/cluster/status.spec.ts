import assert from "node:assert";

import type { ClusterRestoreJob } from "../../../../provider/atlas/cluster-wire";
import { clusterJobStatus, jobEnded } from "../../../../provider/kinds/cluster/status";
import { clusterJobFixture } from "../../../helpers/fakes";

describe("cluster restore job status (the Atlas CLI's terminal rule)", () => {
  const table: [string, Partial<ClusterRestoreJob>, string, boolean][] = [
    ["just created", {}, "RUNNING", false],
    ["failed", { failed: true }, "FAILED", true],
    ["cancelled", { cancelled: true }, "CANCELLED", true],
    ["expired", { expired: true }, "EXPIRED", true],
    ["failed wins over finishedAt", { failed: true, finishedAt: "2026-11-28T12:00:00Z" }, "FAILED", true],
    ["finished", { finishedAt: "2026-11-28T12:00:00Z" }, "COMPLETED", true],
    [
      "a download with a link and no finishedAt",
      { deliveryType: "download", deliveryUrl: ["u"] },
      "COMPLETED",
      false,
    ],
    [
      "a download named in another case",
      { deliveryType: "DOWNLOAD", deliveryUrl: ["u"] },
      "COMPLETED",
      false,
    ],
    ["a download without links yet", { deliveryType: "download", deliveryUrl: [] }, "RUNNING", false],
    [
      "a sharded download with every component's link",
      { deliveryType: "download", components: [{ downloadUrl: "a" }, { downloadUrl: "b" }] },
      "COMPLETED",
      false,
    ],
    [
      "a sharded download missing one component's link",
      { deliveryType: "download", components: [{ downloadUrl: "a" }, { replicaSetName: "shard-1" }] },
      "RUNNING",
      false,
    ],
    ["an automated job with a stray link", { deliveryUrl: ["u"] }, "RUNNING", false],
  ];
  for (const [title, overrides, status, ended] of table) {
    it(`${title}: ${status}`, () => {
      const job = clusterJobFixture(overrides);
      assert.strictEqual(clusterJobStatus(job), status);
      assert.strictEqual(jobEnded(job), ended);
    });
  }
});
