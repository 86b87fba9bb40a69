import assert from "node:assert";

import { AtlasApiError } from "../../../provider/atlas/errors";
import { InputNotFoundError } from "../../../provider/restore/errors";
import { byInputNotFound } from "../../../provider/restore/messages";

const SOURCE = "6553a0a0a0a0a0a0a0a0a0a1";
const TARGET = "6553a0a0a0a0a0a0a0a0a0a2";

const notFound = (errorCode: string, detail: string, status = 404) =>
  new AtlasApiError({
    status,
    method: "POST",
    path: "/api/atlas/v2/groups/x/restoreJobs",
    errorCode,
    detail,
  });

describe("byInputNotFound: a 404 told by the input that names what Atlas lacks", () => {
  const inputs = {
    resourceName: "orders",
    groupId: SOURCE,
    clusterName: "orders",
    targetGroupId: TARGET,
    targetClusterName: "orders",
  };

  it("names the target when the missing cluster is in the target's project", () => {
    const error = byInputNotFound(
      notFound("CLUSTER_NOT_FOUND", `No cluster named orders exists in group ${TARGET}.`),
      inputs,
    );
    assert.ok(error instanceof InputNotFoundError);
    assert.strictEqual(error.property, "targetClusterName");
    assert.strictEqual(
      error.message,
      "targetClusterName names nothing Atlas has (404 CLUSTER_NOT_FOUND); check its spelling and project: orders",
    );
  });

  it("names the source when the same name is missing in the source's project", () => {
    const error = byInputNotFound(
      notFound("CLUSTER_NOT_FOUND", `No cluster named orders exists in group ${SOURCE}.`),
      inputs,
    );
    assert.ok(error instanceof InputNotFoundError);
    assert.strictEqual(error.property, "clusterName");
  });

  it("names a project when Atlas lacks the project", () => {
    const error = byInputNotFound(notFound("GROUP_NOT_FOUND", `No group with ID ${TARGET} exists.`), inputs);
    assert.ok(error instanceof InputNotFoundError);
    assert.strictEqual(error.property, "targetGroupId");
  });

  it("never names the resource's own name, and leaves other errors as they are", () => {
    const unnamed = notFound("CLUSTER_NOT_FOUND", "No cluster named other exists.");
    assert.strictEqual(byInputNotFound(unnamed, inputs), unnamed);
    const conflict = notFound("CLUSTER_NOT_FOUND", `No cluster named orders exists in group ${TARGET}.`, 409);
    assert.strictEqual(byInputNotFound(conflict, inputs), conflict);
    const snapshot = notFound("SNAPSHOT_NOT_FOUND", "No snapshot with ID orders exists.");
    assert.strictEqual(byInputNotFound(snapshot, { resourceName: "orders" }), snapshot);
    const plain = new Error("boom");
    assert.strictEqual(byInputNotFound(plain, inputs), plain);
  });
});
