import assert from "node:assert";

import {
  collectionJobHistory,
  flexForecast,
  flexJobHistory,
  serverlessJobHistory,
} from "../../../provider/atlas/job-history";
import type { FlexRestoreJob } from "../../../provider/atlas/wire";
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

  const restore = (id: string, start: string, finish?: string): FlexRestoreJob => ({
    id,
    status: finish ? "COMPLETED" : "RUNNING",
    deliveryType: "RESTORE",
    restoreScheduledDate: start,
    ...(finish ? { restoreFinishedDate: finish } : {}),
  });
  const earlier = [
    restore("a", "2026-11-01T10:00:00Z", "2026-11-01T10:10:00Z"),
    restore("b", "2026-11-02T10:00:00Z", "2026-11-02T10:10:00Z"),
  ];
  const now = Date.parse("2026-11-05T10:00:05Z");

  it("forecasts a Flex restore from the others, counted from its own scheduled date", () => {
    const job = restore("new", "2026-11-05T10:00:00Z");
    assert.deepStrictEqual(flexForecast(job, [...earlier, job], now), {
      expectedMs: 600_000,
      lowMs: 570_000,
      highMs: 630_000,
      basedOn: 2,
      startedAt: Date.parse("2026-11-05T10:00:00Z"),
    });
  });

  const none: [string, FlexRestoreJob, FlexRestoreJob[]][] = [
    [
      "a download, which restores do not predict",
      { ...restore("new", "2026-11-05T10:00:00Z"), deliveryType: "DOWNLOAD" },
      earlier,
    ],
    ["a single earlier restore", restore("new", "2026-11-05T10:00:00Z"), earlier.slice(0, 1)],
    // An adopted job that already finished must not predict itself.
    [
      "only the job itself besides one other",
      restore("a", "2026-11-01T10:00:00Z", "2026-11-01T10:10:00Z"),
      earlier.slice(0, 1),
    ],
  ];
  for (const [label, job, listed] of none) {
    it(`forecasts nothing for ${label}`, () => {
      assert.strictEqual(flexForecast(job, listed, now), undefined);
    });
  }

  it("counts from now when the job reports no scheduled date", () => {
    const { restoreScheduledDate: _none, ...job } = restore("new", "2026-11-05T10:00:00Z");
    assert.strictEqual(flexForecast(job, earlier, now)?.startedAt, now);
  });

  it("takes successful collection restores with their start, finish and documents", () => {
    const common = {
      targetClusterName: "t",
      targetGroupId: "g",
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
    } as const;
    assert.deepStrictEqual(
      collectionJobHistory([
        {
          ...common,
          id: "a",
          state: "SUCCESSFUL",
          createdAt: "2026-11-01T10:00:00Z",
          finishedAt: "2026-11-01T10:20:00Z",
          totalDocuments: 5,
        },
        {
          ...common,
          id: "b",
          state: "FAILED",
          createdAt: "2026-11-02T10:00:00Z",
          finishedAt: "2026-11-02T10:01:00Z",
        },
        {
          ...common,
          id: "c",
          state: "SUCCESSFUL",
          createdAt: "2026-11-03T10:00:00Z",
          finishedAt: "2026-11-03T10:30:00Z",
          totalDocuments: null,
        },
      ]),
      [
        { startedAt: "2026-11-01T10:00:00Z", finishedAt: "2026-11-01T10:20:00Z", size: 5 },
        { startedAt: "2026-11-03T10:00:00Z", finishedAt: "2026-11-03T10:30:00Z" },
      ],
    );
  });
});
