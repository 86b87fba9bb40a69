import assert from "node:assert";

import {
  collectionJobHistory,
  flaggedForecast,
  flaggedJobHistory,
  flexForecast,
  flexJobHistory,
} from "../../../provider/atlas/job-history";
import type { FlexRestoreJob } from "../../../provider/atlas/wire";
import { predictDuration } from "../../../provider/waiting/forecast";

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
    assert.ok(Math.abs(predictDuration(history)!.expectedMs - Math.sqrt(600_000 * 720_000)) <= 1);
  });

  /** An ObjectId made at `iso` (its first four bytes are the creation second). */
  const idAt = (iso: string, tail: string) =>
    (Date.parse(iso) / 1000).toString(16).padStart(8, "0") + tail.padStart(16, "0");

  it("measures serverless and dedicated jobs from their id's creation time to finishedAt", () => {
    const jobs = [
      {
        id: idAt("2026-11-01T10:00:00Z", "a"),
        deliveryType: "automated",
        finishedAt: "2026-11-01T10:04:00Z",
      },
      {
        id: idAt("2026-11-02T10:00:00Z", "b"),
        deliveryType: "automated",
        finishedAt: "2026-11-02T10:05:00Z",
        failed: true,
      },
      {
        id: idAt("2026-11-03T10:00:00Z", "c"),
        deliveryType: "automated",
        finishedAt: "2026-11-03T10:05:00Z",
        cancelled: true,
      },
      { id: idAt("2026-11-04T10:00:00Z", "d"), deliveryType: "download", finishedAt: "2026-11-04T10:01:00Z" },
      { id: idAt("2026-11-05T10:00:00Z", "e"), deliveryType: "automated" },
      {
        id: idAt("2026-11-06T10:00:00Z", "f"),
        deliveryType: "automated",
        finishedAt: "2026-11-06T10:06:00Z",
      },
    ];
    assert.deepStrictEqual(flaggedJobHistory(jobs, "automated"), [
      { startedAt: Date.parse("2026-11-01T10:00:00Z"), finishedAt: "2026-11-01T10:04:00Z" },
      { startedAt: Date.parse("2026-11-06T10:00:00Z"), finishedAt: "2026-11-06T10:06:00Z" },
    ]);
    const job = { id: idAt("2026-11-07T10:00:00Z", "9"), deliveryType: "automated" };
    const forecast = flaggedForecast(job, [...jobs, job], Date.parse("2026-11-07T10:00:09Z"));
    assert.strictEqual(forecast?.basedOn, 2);
    assert.strictEqual(forecast?.startedAt, Date.parse("2026-11-07T10:00:00Z"));
    assert.strictEqual(flaggedForecast({ ...job, deliveryType: "download" }, jobs, 0), undefined);
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
    const forecast = flexForecast(job, [...earlier, job], now)!;
    assert.deepStrictEqual(
      { expectedMs: forecast.expectedMs, basedOn: forecast.basedOn, startedAt: forecast.startedAt },
      { expectedMs: 600_000, basedOn: 2, startedAt: Date.parse("2026-11-05T10:00:00Z") },
    );
    assert.ok(forecast.lowMs < 600_000 && forecast.highMs > 600_000);
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
