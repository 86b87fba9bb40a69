import assert from "node:assert";

import sinon from "sinon";

import { SHARED } from "../../../provider/atlas/shared-listing";
import type { BackupSnapshot, FlexSnapshot } from "../../../provider/atlas/wire";
import {
  completedFlexSnapshots,
  completedServerlessSnapshots,
  latestSnapshot,
} from "../../../provider/restore/snapshot-choice";
import { fakeAtlasClient } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";

describe("snapshots", () => {
  afterEach(() => sinon.restore());

  describe("completedServerlessSnapshots", () => {
    it("keeps only completed snapshots, newest first, with when each was taken", () => {
      const snapshots: BackupSnapshot[] = [
        { id: "a", createdAt: "2026-11-26T00:00:00Z", status: "completed" },
        { id: "b", createdAt: "2026-11-28T00:00:00Z", status: "completed" },
        { id: "c", createdAt: "2026-11-28T06:00:00Z", status: "inProgress" },
        { id: "d", createdAt: "2026-11-28T07:00:00Z", status: "queued" },
        { id: "e", createdAt: "2026-11-28T08:00:00Z", status: "failed" },
        { id: "f", createdAt: "2026-11-28T09:00:00Z" },
        { id: "g", createdAt: "2026-11-27T00:00:00Z", status: "completed", snapshotType: "scheduled" },
      ];
      assert.deepStrictEqual(completedServerlessSnapshots(snapshots), [
        { id: "b", takenAt: "2026-11-28T00:00:00Z" },
        { id: "g", takenAt: "2026-11-27T00:00:00Z" },
        { id: "a", takenAt: "2026-11-26T00:00:00Z" },
      ]);
    });

    it("orders by instant, not by text, whatever the time zone offset", () => {
      const snapshots: BackupSnapshot[] = [
        { id: "earlier", createdAt: "2026-11-28T01:00:00+02:00", status: "completed" }, // 23:00Z the day before
        { id: "later", createdAt: "2026-11-27T23:30:00Z", status: "completed" },
        { id: "with-ms", createdAt: "2026-11-27T23:30:00.500Z", status: "completed" },
      ];
      assert.deepStrictEqual(
        completedServerlessSnapshots(snapshots).map((s) => s.id),
        ["with-ms", "later", "earlier"],
      );
    });

    it("puts snapshots without a readable date last, in the order listed", () => {
      const snapshots: BackupSnapshot[] = [
        { id: "no-date", status: "completed" },
        { id: "garbage", createdAt: "yesterday", status: "completed" },
        { id: "dated", createdAt: "2026-11-28T00:00:00Z", status: "completed" },
      ];
      assert.deepStrictEqual(completedServerlessSnapshots(snapshots), [
        { id: "dated", takenAt: "2026-11-28T00:00:00Z" },
        { id: "no-date", takenAt: undefined },
        { id: "garbage", takenAt: "yesterday" },
      ]);
    });

    it("gives an empty list when nothing is completed, and leaves its argument as it was", () => {
      assert.deepStrictEqual(completedServerlessSnapshots([]), []);
      const snapshots: BackupSnapshot[] = [
        { id: "a", createdAt: "2026-11-26T00:00:00Z", status: "completed" },
        { id: "b", createdAt: "2026-11-28T00:00:00Z", status: "completed" },
      ];
      const copy = structuredClone(snapshots);
      completedServerlessSnapshots(snapshots);
      assert.deepStrictEqual(snapshots, copy);
      assert.deepStrictEqual(completedServerlessSnapshots([{ id: "x", status: "inProgress" }]), []);
    });
  });

  describe("completedFlexSnapshots", () => {
    it("keeps only COMPLETED snapshots, newest first", () => {
      const snapshots: FlexSnapshot[] = [
        { id: "a", status: "COMPLETED", finishTime: "2026-11-26T00:10:00Z" },
        { id: "b", status: "COMPLETED", finishTime: "2026-11-28T00:10:00Z" },
        { id: "p", status: "PENDING", startTime: "2026-11-28T05:00:00Z" },
        { id: "q", status: "QUEUED", scheduledTime: "2026-11-28T06:00:00Z" },
        { id: "r", status: "RUNNING", startTime: "2026-11-28T07:00:00Z" },
        { id: "f", status: "FAILED", finishTime: "2026-11-28T08:00:00Z" },
        { id: "none", finishTime: "2026-11-28T09:00:00Z" },
      ];
      assert.deepStrictEqual(completedFlexSnapshots(snapshots), [
        { id: "b", takenAt: "2026-11-28T00:10:00Z" },
        { id: "a", takenAt: "2026-11-26T00:10:00Z" },
      ]);
    });

    it("dates a snapshot by finishTime, else startTime, else scheduledTime", () => {
      const snapshots: FlexSnapshot[] = [
        {
          id: "finished",
          status: "COMPLETED",
          finishTime: "2026-11-27T00:10:00Z",
          startTime: "2026-11-27T00:00:00Z",
          scheduledTime: "2026-11-26T23:59:00Z",
        },
        {
          id: "started",
          status: "COMPLETED",
          startTime: "2026-11-28T00:00:00Z",
          scheduledTime: "2026-11-20T00:00:00Z",
        },
        { id: "scheduled", status: "COMPLETED", scheduledTime: "2026-11-25T00:00:00Z" },
        { id: "undated", status: "COMPLETED", expiration: "2026-12-28T00:00:00Z" },
      ];
      assert.deepStrictEqual(completedFlexSnapshots(snapshots), [
        { id: "started", takenAt: "2026-11-28T00:00:00Z" },
        { id: "finished", takenAt: "2026-11-27T00:10:00Z" },
        { id: "scheduled", takenAt: "2026-11-25T00:00:00Z" },
        { id: "undated", takenAt: undefined },
      ]);
    });
  });

  describe("latestSnapshot", () => {
    it("lists the serverless instance's snapshots, sharing the listing, and gives the newest completed one", async () => {
      const listServerlessSnapshots = sinon.fake.resolves([
        { id: "old", createdAt: "2026-11-27T00:00:00Z", status: "completed" },
        { id: "new", createdAt: "2026-11-28T00:00:00Z", status: "completed" },
        { id: "running", createdAt: "2026-11-28T06:00:00Z", status: "inProgress" },
      ]);
      const client = fakeAtlasClient({ listServerlessSnapshots });
      assert.deepStrictEqual(await latestSnapshot(client, "serverless", GROUP, "prod"), {
        id: "new",
        takenAt: "2026-11-28T00:00:00Z",
      });
      sinon.assert.calledOnceWithExactly(listServerlessSnapshots, GROUP, "prod", SHARED);
    });

    it("lists the flex cluster's snapshots for the flex API, sharing the listing", async () => {
      const listFlexSnapshots = sinon.fake.resolves([
        { id: "new", status: "COMPLETED", finishTime: "2026-11-28T00:10:00Z" },
        { id: "old", status: "COMPLETED", finishTime: "2026-11-27T00:10:00Z" },
      ]);
      const client = fakeAtlasClient({ listFlexSnapshots });
      assert.deepStrictEqual(await latestSnapshot(client, "flex", GROUP, "prod"), {
        id: "new",
        takenAt: "2026-11-28T00:10:00Z",
      });
      sinon.assert.calledOnceWithExactly(listFlexSnapshots, GROUP, "prod", SHARED);
    });

    it("gives undefined when no snapshot is completed", async () => {
      const serverless = fakeAtlasClient({
        listServerlessSnapshots: sinon.fake.resolves([{ id: "q", status: "queued" }]),
      });
      assert.strictEqual(await latestSnapshot(serverless, "serverless", GROUP, "prod"), undefined);
      const flex = fakeAtlasClient({ listFlexSnapshots: sinon.fake.resolves([]) });
      assert.strictEqual(await latestSnapshot(flex, "flex", GROUP, "prod"), undefined);
    });

    it("passes a failed listing on", async () => {
      const client = fakeAtlasClient({
        listServerlessSnapshots: sinon.fake.rejects(new Error("serverless instance not found: prod")),
      });
      await assert.rejects(latestSnapshot(client, "serverless", GROUP, "prod"), {
        message: "serverless instance not found: prod",
      });
    });
  });
});
