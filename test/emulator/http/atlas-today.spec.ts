import assert from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { manualClock } from "../../../emulator/clock";
import {
  automatedRestore,
  beforeStart,
  G,
  group,
  HOUR,
  START,
  startTestEmulator,
  type TestEmulator,
} from "../helpers";

// Issue 14, "Atlas as of today": the sunset by the clock, error parameters, point-in-time windows,
// seed times relative to the start, HEAD and Allow. (The Flex download's snapshotUrl is in
// lifecycle.spec.ts.)

const SUNSET = Date.parse("2026-01-22T00:00:00Z");
const INSTANCE = group(G, "/serverless/prod-orders");
const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");
const code = (body: unknown) => (body as { errorCode: string }).errorCode;

describe("emulator fidelity to Atlas as of today", () => {
  let t: TestEmulator;
  afterEach(() => t.emulator.close());

  describe("the serverless sunset follows the emulator's clock by default", () => {
    it("serves serverless before 2026-01-22, then answers as migrated to Flex", async () => {
      t = await startTestEmulator({}, manualClock(SUNSET - 1));
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200);
      t.clock.advance(1);
      const after = await t.atlas.get(INSTANCE);
      assert.deepStrictEqual([after.status, code(after.body)], [404, "SERVERLESS_INSTANCE_NOT_FOUND"]);
      assert.strictEqual((await t.atlas.get(group(G, "/flexClusters/prod-orders"))).status, 200);
    });

    it("is forced by off, gone and migrated whatever the clock says", async () => {
      t = await startTestEmulator({ sunset: "off" }, manualClock(SUNSET + 86_400_000));
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200);
      await t.admin.setOptions({ sunset: "gone" });
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 410);
      await t.admin.setOptions({ sunset: "auto" });
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 404);
      t.clock.set(START);
      await t.admin.setOptions({ sunset: "migrated" });
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 404, "migrated before the date");
    });
  });

  it("fills error parameters with the values the detail names", async () => {
    t = await startTestEmulator();
    const unknownGroup = "0123456789abcdef01234567";
    const noGroup = await t.atlas.get(group(unknownGroup, "/serverless/prod-orders"));
    assert.deepStrictEqual(
      [code(noGroup.body), (noGroup.body as { parameters: unknown }).parameters],
      ["GROUP_NOT_FOUND", [unknownGroup]],
    );
    const noCluster = await t.atlas.get(group(G, "/flexClusters/nope"));
    assert.deepStrictEqual((noCluster.body as { parameters: unknown }).parameters, ["nope", G]);
    const missing = await t.atlas.post(JOBS, automatedRestore({ snapshotId: undefined }));
    assert.deepStrictEqual((missing.body as { parameters: unknown }).parameters, ["snapshotId"]);
  });

  describe("point-in-time restores stay inside the serverless restore window (72 hours)", () => {
    const pit = (hoursBefore: number) =>
      automatedRestore({
        deliveryType: "pointInTime",
        snapshotId: undefined,
        pointInTimeUTCSeconds: Math.floor((START - hoursBefore * HOUR) / 1000),
      });

    it("takes a time just inside the window and refuses one just before it, or in the future", async () => {
      t = await startTestEmulator();
      assert.strictEqual((await t.atlas.post(JOBS, pit(71.9))).status, 200);
      const before = await t.atlas.post(JOBS, pit(72.1));
      assert.deepStrictEqual([before.status, code(before.body)], [400, "INVALID_RESTORE_TIME"]);
      assert.match((before.body as { detail: string }).detail, /restore window of the last 72 hours/);
      const future = await t.atlas.post(JOBS, pit(-1));
      assert.deepStrictEqual([future.status, code(future.body)], [400, "INVALID_RESTORE_TIME"]);
    });

    it("moves with the clock: a time once inside is refused later", async () => {
      t = await startTestEmulator();
      t.clock.advance(2 * HOUR); // past the token's life: the digest client signs each request
      assert.strictEqual((await t.digest.post(JOBS, pit(71))).status, 400);
    });
  });

  describe("seed times count back from the emulator's first start", () => {
    const listed = async () =>
      (
        (await t.digest.get(group(G, "/serverless/prod-orders/backup/snapshots"))).body as {
          results: Array<{ createdAt: string; expiresAt: string }>;
        }
      ).results;

    it("lists the default seed's snapshots as recent and unexpired, whenever the emulator starts", async () => {
      for (const start of [START, Date.parse("2027-06-01T00:00:00Z")]) {
        t = await startTestEmulator({ sunset: "off" }, manualClock(start));
        const snapshots = await listed();
        assert.strictEqual(snapshots.length, 5);
        assert.strictEqual(snapshots[0]!.createdAt, new Date(start - 2 * HOUR).toISOString());
        assert.ok(
          snapshots.every((s) => Date.parse(s.expiresAt) > start),
          "none has expired",
        );
        await t.emulator.close();
      }
      t = await startTestEmulator();
    });

    it("drops snapshots once their retention ran out", async () => {
      t = await startTestEmulator({ sunset: "off" });
      t.clock.advance(30 * 24 * HOUR - 96 * HOUR);
      assert.strictEqual((await listed()).length, 4, "the oldest (taken 96 h before the start) is gone");
      const gone = await t.digest.get(
        group(G, "/serverless/prod-orders/backup/snapshots/6650a1b2c3d4e5f6a7b8cb00"),
      );
      assert.strictEqual(gone.status, 404);
    });

    it("keeps the first start's times across a restart from the state file", async () => {
      const dir = mkdtempSync(join(tmpdir(), "emulator-seed-times-"));
      try {
        const stateFile = join(dir, "state.json");
        t = await startTestEmulator({ stateFile });
        await t.emulator.close();
        t = await startTestEmulator({ stateFile }, manualClock(START + 5 * HOUR));
        assert.strictEqual((await listed())[0]!.createdAt, beforeStart(2));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("HEAD and Allow (RFC 9110)", () => {
    it("answers HEAD on every GET route with the GET's status and headers and no body", async () => {
      t = await startTestEmulator();
      for (const path of [
        INSTANCE,
        group(G, "/flexClusters/prod-orders/backup/snapshots"),
        group(G, "/flexClusters/nope"),
      ]) {
        const get = await t.atlas.get(path);
        const head = await t.atlas.request("HEAD", path);
        assert.strictEqual(head.status, get.status, path);
        assert.strictEqual(head.headers.get("content-length"), String(Buffer.byteLength(get.text)), path);
      }
      const counters = await t.admin.counters();
      assert.strictEqual(counters.byMethod.HEAD, 3);
    });

    it("names the allowed methods on a 405", async () => {
      t = await startTestEmulator();
      const answer = await t.atlas.request("DELETE", JOBS);
      assert.deepStrictEqual([answer.status, code(answer.body)], [405, "METHOD_NOT_ALLOWED"]);
      assert.strictEqual(answer.headers.get("allow"), "GET, HEAD, POST");
      const instance = await t.atlas.request("PUT", INSTANCE);
      assert.strictEqual(instance.headers.get("allow"), "GET, HEAD");
    });
  });
});
