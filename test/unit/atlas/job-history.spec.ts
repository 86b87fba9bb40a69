import assert from "node:assert";

import { flexJobHistory, serverlessJobHistory } from "../../../provider/atlas/job-history";
import { predictDuration } from "../../../provider/waiting/schedule";

describe("job history", () => {
  it("takes completed Flex restores with their scheduled and finished dates", () => {
    const history = flexJobHistory([
      {
        id: "a",
        status: "COMPLETED",
        deliveryType: "RESTORE",
        restoreScheduledDate: "2026-11-01T10:00:00Z",
        restoreFinishedDate: "2026-11-01T10:10:00Z",
      },
      { id: "b", status: "RUNNING", restoreScheduledDate: "2026-11-02T10:00:00Z" },
      {
        id: "c",
        status: "COMPLETED",
        deliveryType: "DOWNLOAD",
        restoreScheduledDate: "2026-11-03T10:00:00Z",
        restoreFinishedDate: "2026-11-03T10:01:00Z",
      },
      {
        id: "d",
        status: "COMPLETED",
        restoreScheduledDate: "2026-11-04T10:00:00Z",
        restoreFinishedDate: "2026-11-04T10:12:00Z",
      },
    ]);
    assert.deepStrictEqual(history, [
      { startedAt: "2026-11-01T10:00:00Z", finishedAt: "2026-11-01T10:10:00Z" },
      { startedAt: "2026-11-04T10:00:00Z", finishedAt: "2026-11-04T10:12:00Z" },
    ]);
    assert.strictEqual(predictDuration(history)?.expectedMs, 720_000);
  });

  it("finds no history in serverless jobs: they report no start", () => {
    assert.deepStrictEqual(serverlessJobHistory([{ id: "a", finishedAt: "2026-11-01T10:10:00Z" }]), []);
  });
});
