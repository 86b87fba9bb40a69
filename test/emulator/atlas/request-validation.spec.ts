import assert from "node:assert";

import { ApiError } from "../../../emulator/atlas/api-errors";
import { ServerlessBackupRestoreJob } from "../../../emulator/atlas/request-schemas";
import { validateBody, validatePathParams } from "../../../emulator/atlas/request-validation";

/** The error a call throws, as its body. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return { status: error.status, ...error.toBody() };
  }
  throw new Error("expected a refusal");
}

describe("emulator validation", () => {
  it("lists every violation in badRequestDetail, with the first one's errorCode", () => {
    const body = refusal(() =>
      validateBody(ServerlessBackupRestoreJob, { deliveryType: "restore", oplogTs: 5, colour: "red" }),
    );
    assert.strictEqual(body.status, 400);
    assert.strictEqual(body.errorCode, "MISSING_ATTRIBUTE");
    assert.strictEqual(body.detail, "The required attribute targetClusterName was not specified.");
    assert.deepStrictEqual(body.badRequestDetail?.fields, [
      { field: "targetClusterName", description: "is required" },
      { field: "targetGroupId", description: "is required" },
      { field: "deliveryType", description: "must be one of automated, download, pointInTime" },
      { field: "oplogTs", description: "must be >= 1199145600" },
      { field: "colour", description: "is not a known attribute" },
    ]);
  });

  it("names an invalid enumeration value", () => {
    const body = refusal(() =>
      validateBody(ServerlessBackupRestoreJob, {
        deliveryType: "restore",
        targetClusterName: "x",
        targetGroupId: "6650a1b2c3d4e5f6a7b8c9d0",
      }),
    );
    assert.strictEqual(body.errorCode, "INVALID_ENUM_VALUE");
    assert.strictEqual(body.detail, "An invalid enumeration value restore was specified.");
  });

  it("checks patterns, types and 32-bit integers", () => {
    const body = refusal(() =>
      validateBody(ServerlessBackupRestoreJob, {
        deliveryType: "automated",
        targetClusterName: "-x",
        targetGroupId: 7,
        pointInTimeUTCSeconds: 4_000_000_000,
      }),
    );
    assert.strictEqual(body.errorCode, "INVALID_ATTRIBUTE");
    assert.deepStrictEqual(
      body.badRequestDetail?.fields.map((f) => f.field),
      ["targetClusterName", "targetGroupId", "pointInTimeUTCSeconds"],
    );
  });

  it("drops read-only attributes a client echoes back", () => {
    const clean = validateBody(ServerlessBackupRestoreJob, {
      deliveryType: "automated",
      targetClusterName: "x",
      targetGroupId: "6650a1b2c3d4e5f6a7b8c9d0",
      id: "whatever",
      finishedAt: "now",
    });
    assert.deepStrictEqual(Object.keys(clean).sort(), ["deliveryType", "targetClusterName", "targetGroupId"]);
  });

  it("refuses a body that is not an object", () => {
    assert.strictEqual(refusal(() => validateBody(ServerlessBackupRestoreJob, [])).errorCode, "INVALID_JSON");
  });

  it("checks path parameters by name", () => {
    const body = refusal(() => validatePathParams({ groupId: "xyz", name: "ok" }));
    assert.strictEqual(body.errorCode, "INVALID_PARAMETER");
    assert.deepStrictEqual(body.badRequestDetail?.fields, [
      { field: "groupId", description: "must match ^([a-f0-9]{24})$" },
    ]);
    validatePathParams({ groupId: "6650a1b2c3d4e5f6a7b8c9d0", clusterName: "prod-orders" });
  });
});
