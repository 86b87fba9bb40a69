import assert from "node:assert";

import {
  isBeingRestored,
  jobProgress,
  restoresInto,
  type StoredJob,
} from "../../../emulator/state/restore-jobs";

const job = (over: Partial<StoredJob> = {}): StoredJob => ({
  id: "aaaaaaaaaaaaaaaaaaaaaaaa",
  api: "serverless",
  groupId: "g",
  clusterName: "src",
  snapshotId: "s",
  snapshotCreatedAt: "2025-11-04T02:00:00Z",
  deliveryType: "automated",
  targetGroupId: "g",
  targetClusterName: "dst",
  createdAt: 1000,
  durationMs: 1000,
  downloadTtlMs: 500,
  fails: false,
  ...over,
});

describe("emulator job lifecycle", () => {
  it("goes PENDING, QUEUED, RUNNING, then COMPLETED at createdAt + duration", () => {
    const table: Array<[number, string, number | undefined]> = [
      [1000, "PENDING", undefined],
      [1099, "PENDING", undefined],
      [1100, "QUEUED", undefined],
      [1300, "RUNNING", undefined],
      [1999, "RUNNING", undefined],
      [2000, "COMPLETED", 2000],
      [9999, "COMPLETED", 2000],
    ];
    for (const [now, phase, finishedAt] of table) {
      const progress = jobProgress(job(), now);
      assert.deepStrictEqual([progress.phase, progress.finishedAt], [phase, finishedAt], `at ${now}`);
    }
  });

  it("fails at the end when its snapshot fails restores", () => {
    assert.deepStrictEqual(jobProgress(job({ fails: true }), 2000), {
      phase: "FAILED",
      finishedAt: 2000,
      expired: false,
      linkServes: false,
    });
  });

  it("gives downloads an expiry, and expires them after it", () => {
    const download = job({ deliveryType: "download" });
    assert.deepStrictEqual(jobProgress(download, 2000), {
      phase: "COMPLETED",
      finishedAt: 2000,
      expiresAt: 2500,
      expired: false,
      linkServes: true,
    });
    assert.strictEqual(jobProgress(download, 1999).linkServes, false, "a serverless link waits for the end");
    assert.deepStrictEqual(
      [jobProgress(download, 2500).expired, jobProgress(download, 2500).linkServes],
      [true, false],
    );
  });

  it("obeys admin cancellation (only before the end) and expiry", () => {
    assert.deepStrictEqual(jobProgress(job({ cancelledAt: 1500 }), 1600), {
      phase: "CANCELLED",
      expired: false,
      linkServes: false,
    });
    assert.strictEqual(jobProgress(job({ cancelledAt: 2500 }), 3000).phase, "COMPLETED");
    assert.strictEqual(jobProgress(job({ expiredAt: 1500 }), 1600).expired, true);
  });

  it("records what landed in a target, oldest first, and whether a restore into it runs", () => {
    const jobs = [
      job({ id: "b", createdAt: 3000 }),
      job({ id: "a" }),
      job({ id: "c", deliveryType: "download" }),
      job({ id: "d", fails: true }),
      job({ id: "e", api: "flex" }),
    ];
    assert.deepStrictEqual(
      restoresInto(jobs, "serverless", "g", "dst", 10_000).map((r) => [r.jobId, r.restoredAt]),
      [
        ["a", new Date(2000).toISOString()],
        ["b", new Date(4000).toISOString()],
      ],
    );
    assert.strictEqual(isBeingRestored(jobs, "serverless", "g", "dst", 3500), true);
    assert.strictEqual(isBeingRestored(jobs, "serverless", "g", "dst", 4000), false);
    assert.strictEqual(isBeingRestored(jobs, "serverless", "g", "src", 3500), false);
  });
});
