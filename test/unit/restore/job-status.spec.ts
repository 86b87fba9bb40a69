import assert from "node:assert";

import type { FlexRestoreJob, ServerlessJobWire } from "../../../provider/atlas/wire";
import {
  classifyStatus,
  flexJobStatus,
  type RestoreJobStatus,
  serverlessJobStatus,
} from "../../../provider/restore/job-status";

describe("restore job state", () => {
  describe("serverless jobs (no status field)", () => {
    const T = "2026-11-28T12:05:00Z";
    const cases: [string, Omit<ServerlessJobWire, "id">, RestoreJobStatus][] = [
      ["just created", {}, "RUNNING"],
      ["with every flag false", { failed: false, cancelled: false, expired: false }, "RUNNING"],
      ["finished", { finishedAt: T }, "COMPLETED"],
      [
        "finished, flags false",
        { finishedAt: T, failed: false, cancelled: false, expired: false },
        "COMPLETED",
      ],
      ["failed", { failed: true }, "FAILED"],
      ["failed and finished", { failed: true, finishedAt: T }, "FAILED"],
      ["failed and cancelled", { failed: true, cancelled: true }, "FAILED"],
      ["failed and expired", { failed: true, expired: true }, "FAILED"],
      ["cancelled", { cancelled: true }, "CANCELLED"],
      ["cancelled and finished", { cancelled: true, finishedAt: T }, "CANCELLED"],
      ["cancelled and expired", { cancelled: true, expired: true }, "CANCELLED"],
      ["expired", { expired: true }, "EXPIRED"],
      ["expired after finishing", { expired: true, finishedAt: T }, "EXPIRED"],
      [
        "an expired download with its link",
        { deliveryType: "download", expired: true, deliveryUrl: ["u"] },
        "EXPIRED",
      ],
      [
        "a failed download with a link",
        { deliveryType: "download", failed: true, deliveryUrl: ["u"] },
        "FAILED",
      ],
      [
        "a download with a link",
        { deliveryType: "download", deliveryUrl: ["https://x/y.tar.gz"] },
        "COMPLETED",
      ],
      ["a download with two links", { deliveryType: "download", deliveryUrl: ["u1", "u2"] }, "COMPLETED"],
      ["a download without a link yet", { deliveryType: "download", deliveryUrl: [] }, "RUNNING"],
      ["a download without a link field", { deliveryType: "download" }, "RUNNING"],
      ["a finished download without a link", { deliveryType: "download", finishedAt: T }, "COMPLETED"],
      [
        "an automated restore with a link but no finishedAt",
        { deliveryType: "automated", deliveryUrl: ["u"] },
        "RUNNING",
      ],
      [
        "a pointInTime restore with a link but no finishedAt",
        { deliveryType: "pointInTime", deliveryUrl: ["u"] },
        "RUNNING",
      ],
      ["an automated restore, finished", { deliveryType: "automated", finishedAt: T }, "COMPLETED"],
      ["an empty finishedAt", { finishedAt: "" }, "RUNNING"],
    ];
    for (const [title, fields, status] of cases) {
      it(`${title}: ${status}`, () =>
        assert.strictEqual(serverlessJobStatus({ id: "j", ...fields }), status));
    }
  });

  describe("flex jobs", () => {
    const cases: [Omit<FlexRestoreJob, "id">, RestoreJobStatus][] = [
      [{ status: "PENDING" }, "RUNNING"],
      [{ status: "QUEUED" }, "RUNNING"],
      [{ status: "RUNNING" }, "RUNNING"],
      [{ status: "FAILED" }, "FAILED"],
      [{ status: "COMPLETED" }, "COMPLETED"],
      [{ status: "RUNNING", deliveryType: "DOWNLOAD", snapshotUrl: "u" }, "COMPLETED"],
      [{ status: "RUNNING", deliveryType: "DOWNLOAD" }, "RUNNING"],
      [{ status: "FAILED", deliveryType: "DOWNLOAD", snapshotUrl: "u" }, "FAILED"],
    ];
    for (const [fields, status] of cases) {
      it(`${JSON.stringify(fields)}: ${status}`, () =>
        assert.strictEqual(flexJobStatus({ id: "j", ...fields }), status));
    }
  });

  describe("classifyStatus", () => {
    const cases: [RestoreJobStatus, string][] = [
      ["RUNNING", "RETRY"],
      ["COMPLETED", "SUCCESS"],
      ["FAILED", "FAILURE"],
      ["CANCELLED", "FAILURE"],
      ["EXPIRED", "FAILURE"],
    ];
    for (const [status, verdict] of cases) {
      it(`${status}: ${verdict}`, () => assert.strictEqual(classifyStatus(status), verdict));
    }
  });
});
