import assert from "node:assert";

import { classifyStatus, flexJobStatus, serverlessJobStatus } from "../provider/restore-job-state";

describe("restore job state", () => {
  const serverless: [string, Parameters<typeof serverlessJobStatus>[0], string][] = [
    ["just created", { id: "j" }, "RUNNING"],
    ["finished", { id: "j", finishedAt: "t" }, "COMPLETED"],
    ["failed (with finishedAt)", { id: "j", failed: true, finishedAt: "t" }, "FAILED"],
    ["cancelled", { id: "j", cancelled: true }, "CANCELLED"],
    ["expired after finishing", { id: "j", expired: true, finishedAt: "t" }, "EXPIRED"],
    ["a download with a link", { id: "j", deliveryType: "download", deliveryUrl: ["u"] }, "COMPLETED"],
    ["a download without a link yet", { id: "j", deliveryType: "download", deliveryUrl: [] }, "RUNNING"],
    [
      "an automated restore with a stray link",
      { id: "j", deliveryType: "automated", deliveryUrl: ["u"] },
      "RUNNING",
    ],
  ];
  for (const [title, job, status] of serverless) {
    it(`serverless job ${title}: ${status}`, () => assert.strictEqual(serverlessJobStatus(job), status));
  }

  const flex: [Parameters<typeof flexJobStatus>[0], string][] = [
    [{ id: "j", status: "PENDING" }, "RUNNING"],
    [{ id: "j", status: "QUEUED" }, "RUNNING"],
    [{ id: "j", status: "RUNNING" }, "RUNNING"],
    [{ id: "j", status: "FAILED" }, "FAILED"],
    [{ id: "j", status: "COMPLETED" }, "COMPLETED"],
    [{ id: "j", status: "RUNNING", deliveryType: "DOWNLOAD", snapshotUrl: "u" }, "COMPLETED"],
  ];
  for (const [job, status] of flex) {
    it(`flex job ${JSON.stringify(job)}: ${status}`, () => assert.strictEqual(flexJobStatus(job), status));
  }

  it("classifies statuses for the poller", () => {
    assert.deepStrictEqual(
      (["RUNNING", "COMPLETED", "FAILED", "CANCELLED", "EXPIRED"] as const).map(classifyStatus),
      ["RETRY", "SUCCESS", "FAILURE", "FAILURE", "FAILURE"],
    );
  });
});
