import assert from "node:assert";

import { checkCollectionInputs, CollectionRestoreJobInputs } from "../../../provider/kinds/collection/inputs";
import {
  collectionDetails,
  collectionOutputs,
  COMPLETED_BY_RECORD,
} from "../../../provider/kinds/collection/outputs";
import { COLLECTION_OUTPUTS } from "../../../provider/resources/collection-restore-job";
import { RESTORE_OUTPUTS } from "../../../provider/resources/restore-resource";

describe("CollectionRestoreJob outputs", () => {
  it("registers every output the provider computes, and no other", () => {
    const { inputs } = checkCollectionInputs(
      {
        groupId: "0123456789abcdef01234567",
        clusterName: "prod-cluster",
        targetClusterName: "staging-cluster",
        collections: [{ sourceNamespace: "orders.orders" }],
      },
      1_800_000_000,
    );
    const decoded = CollectionRestoreJobInputs.decode(inputs);
    assert.strictEqual(decoded._tag, "Right");
    const outs = collectionOutputs(
      decoded.right,
      {
        id: "65a1b2c3d4e5f6a7b8c9d0e2",
        state: "FAILED",
        createdAt: "2026-11-28T12:00:00Z",
        finishedAt: "2026-11-28T12:10:00Z",
        errorMessage: "collection was not found: orders.orders",
        snapshotId: "bbbbbbbbbbbbbbbbbbbbbbbb",
        restoredDocuments: 0,
        totalDocuments: 0,
        indexStatus: { state: "NOT_STARTED", failedCollectionCount: 0 },
      },
      "latest",
    );
    // The per-collection outcome is the record's, read once the job has ended.
    const details = collectionDetails(
      [{ sourceNamespace: "orders.orders", state: "NOT_FOUND" }],
      outs.status,
    );
    assert.deepStrictEqual(Object.keys(details).sort(), [...COMPLETED_BY_RECORD].sort());
    const computed = Object.keys({ ...outs, ...details }).filter(
      (key) => !Object.hasOwn(decoded.right, key) || key === "snapshotId",
    );
    // `targetReady` and `verification` are the record's, set once the target is ready and checked.
    assert.deepStrictEqual(
      [...computed, "targetReady", "verification"].sort(),
      [...RESTORE_OUTPUTS, ...COLLECTION_OUTPUTS].sort(),
    );
  });
});
