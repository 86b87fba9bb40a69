import assert from "node:assert";

import { assertContract, CONTRACT_OPERATIONS, contractMediaType, operationOf } from "./contract";

const job = {
  id: "aaaaaaaaaaaaaaaaaaaaaaaa",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
  targetGroupId: "6650a1b2c3d4e5f6a7b8c9d0",
  failed: false,
};

describe("emulator contract checker", () => {
  it("knows the 29 operations and finds them by method and path", () => {
    assert.strictEqual(CONTRACT_OPERATIONS.length, 29);
    assert.strictEqual(
      operationOf("DELETE", "/api/atlas/v2/groups/g/clusters/c/backup/restoreJobs/j"),
      "cancelGroupClusterBackupRestoreJob",
    );
    assert.strictEqual(
      operationOf("POST", "/api/atlas/v2/groups/g/flexClusters/c/backup/download"),
      "downloadGroupFlexClusterBackup",
    );
    assert.strictEqual(
      operationOf("GET", "/api/atlas/v2/groups/g/serverless"),
      "listGroupServerlessInstances",
    );
    assert.strictEqual(operationOf("DELETE", "/api/atlas/v2/groups/g/serverless"), undefined);
    assert.strictEqual(
      contractMediaType("getGroupFlexCluster", 200),
      "application/vnd.atlas.2024-11-13+json",
    );
    assert.strictEqual(contractMediaType("getGroupFlexCluster", 404), "application/json");
  });

  it("accepts a valid answer, and ApiError for statuses the subset leaves out", () => {
    assertContract("getGroupServerlessBackupRestoreJob", 200, job);
    assertContract("getGroupServerlessInstance", 410, { error: 410, errorCode: "VERSION_GONE" });
  });

  it("understands OpenAPI 3.0 nullable", () => {
    assertContract("getGroupServerlessInstance", 404, {
      error: 404,
      errorCode: "X",
      detail: null,
      reason: null,
    });
    assert.throws(() => assertContract("getGroupServerlessInstance", 404, { error: 404, errorCode: null }));
  });

  it("refuses undeclared properties, wrong enums and patterns", () => {
    assert.throws(
      () => assertContract("getGroupServerlessBackupRestoreJob", 200, { ...job, phase: "RUNNING" }),
      /must NOT have additional properties/,
    );
    assert.throws(() =>
      assertContract("getGroupServerlessBackupRestoreJob", 200, { ...job, deliveryType: "copy" }),
    );
    assert.throws(() => assertContract("getGroupServerlessBackupRestoreJob", 200, { ...job, id: "x" }));
    assert.throws(
      () => assertContract("listGroupServerlessBackupRestoreJobs", 200, { results: [{ ...job, extra: 1 }] }),
      /additional properties/,
    );
  });

  it("refuses an answer without its required fields", () => {
    assert.throws(() => assertContract("getGroupFlexCluster", 200, { name: "x" }), /providerSettings/);
  });
});
