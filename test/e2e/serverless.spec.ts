import assert from "node:assert";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, PROGRAM_DIR, Stack, transcript } from "./harness";

/**
 * The real Pulumi CLI against the emulator: what a user runs, checked by what Atlas saw (the
 * emulator's counters) and what state recorded.
 */

const seed = defaultSeed();
const PROJECT = seed.projects[0]!.id;
const account = seed.serviceAccounts[0]!;
const apiKey = seed.apiKeys[0]!;
const NEWEST_COMPLETED = "6650a1b2c3d4e5f6a7b8cb03";
const OLDER = "6650a1b2c3d4e5f6a7b8cb02";
const FAILS_RESTORES = "6650a1b2c3d4e5f6a7b8cb00";

const automated = {
  groupId: PROJECT,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
};

describe("end to end: ServerlessRestoreJob under the real engine", function () {
  this.timeout(15 * 60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let counter = 0;

  /** A fresh stack of the fixture program, after resetting the emulator. */
  async function stack(args: Record<string, unknown>, kind = "serverless"): Promise<Stack> {
    await admin.reset();
    return fixtureStack(`s${++counter}`, home, emulator.url, args, kind);
  }

  before(async () => {
    emulator = await startEmulator({ sunset: "off" });
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  describe("one restore, from up to destroy", () => {
    let s: Stack;

    before(async () => {
      s = await stack(automated);
    });

    it("up creates exactly one restore job and records it", async () => {
      await s.up();
      assert.strictEqual(await admin.jobsCreated(), 1);
      const [job] = await s.restoreJobs();
      assert.strictEqual(job!.outputs.snapshotId, NEWEST_COMPLETED);
      assert.strictEqual(job!.outputs.snapshotSource, "latest");
      const outputs = await s.outputs();
      assert.strictEqual(outputs.restoreJobId, job!.id);
      assert.strictEqual(outputs.status, "COMPLETED");
      assert.strictEqual(outputs.targetReady, true);
    });

    it("the target instance holds the snapshot afterwards", async () => {
      const target = await admin.cluster(PROJECT, "staging-orders");
      assert.strictEqual(target.restoredSnapshotId, NEWEST_COMPLETED);
      assert.strictEqual(target.restoredFromJobId, (await s.outputs()).restoreJobId);
    });

    it("a second up with no change does nothing", async () => {
      const before = await admin.jobsCreated();
      const result = await s.up();
      // The stack, the restore's job and its record.
      assert.match(result.stdout, /Resources:\n\s+3 unchanged\n/);
      assert.strictEqual(await admin.jobsCreated(), before);
    });

    it("a new snapshotId previews as a replacement and up creates exactly one new job", async () => {
      await s.setConfig("args", JSON.stringify({ ...automated, snapshotId: OLDER }));
      const preview = await s.preview();
      assert.match(preview.stdout, /\+-\s*pulumi-nodejs:dynamic\/mongodbatlas:ServerlessRestoreJob.*replace/);
      assert.match(preview.stdout, /snapshotId/);
      const before = await admin.jobsCreated();
      await s.up();
      assert.strictEqual(await admin.jobsCreated(), before + 1);
      assert.strictEqual((await s.outputs()).snapshotId, OLDER);
    });

    it("new triggers preview as a replacement and up creates exactly one new job", async () => {
      await s.setConfig(
        "args",
        JSON.stringify({ ...automated, snapshotId: OLDER, triggers: ["2026-11-28"] }),
      );
      assert.match((await s.preview()).stdout, /replace/);
      const before = await admin.jobsCreated();
      await s.up();
      assert.strictEqual(await admin.jobsCreated(), before + 1);
    });

    it("refresh picks up a change Atlas makes to the job", async () => {
      const { restoreJobId } = await s.outputs();
      await admin.patchJob(String(restoreJobId), { expired: true });
      await s.refresh();
      // Refresh updates the restore's record; stack outputs change on the next `up`, which a job
      // that completed and later expired does not fail.
      const [record] = await s.records();
      assert.strictEqual(record!.outputs.status, "EXPIRED");
      const before = await admin.jobsCreated();
      await s.up();
      const outputs = await s.outputs();
      assert.deepStrictEqual([outputs.status, outputs.expired], ["EXPIRED", true]);
      assert.strictEqual(await admin.jobsCreated(), before);
    });

    it("destroy leaves state empty without writing to Atlas", async () => {
      const before = await admin.jobsCreated();
      await s.destroy();
      assert.deepStrictEqual(await s.restoreJobs(), []);
      assert.strictEqual(await admin.jobsCreated(), before);
      await s.remove();
    });
  });

  it("a restore that fails in Atlas fails up, names the job and records it", async () => {
    const s = await stack({ ...automated, snapshotId: FAILS_RESTORES });
    const result = await s.up([], true);
    assert.notStrictEqual(result.code, 0);
    const [job] = await s.restoreJobs();
    assert.ok(job, "the failed job is recorded in state");
    // Under the restore's own row, with the job and what to do.
    assert.match(
      result.stdout,
      new RegExp(
        `mongodbatlas:ServerlessRestore \\(restore\\):\n\\s+error: .*\n.*restore job ended FAILED: ${job.id}`,
      ),
    );
    assert.match(result.stdout, /pulumi up --replace <urn>/);
    const [record] = await s.records();
    assert.strictEqual(record!.outputs.status, "FAILED", "state says how the job ended");
    assert.match(record!.initErrors![0]!, new RegExp(`restore job ended FAILED: ${job.id}`));
    assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /, "no stack trace");
    // The next `up` fails the same way, and starts nothing.
    const again = await s.up([], true);
    assert.notStrictEqual(again.code, 0);
    assert.match(again.stdout, /restore job ended FAILED/);
    assert.strictEqual(await admin.jobsCreated(), 1);
    await s.destroy();
    await s.remove();
  });

  it("a resource that names the restore only in dependsOn is created once the job has completed", async () => {
    const s = await stack(automated);
    await s.setConfig("dependent", "true");
    await admin.setOptions({ restoreDurationMs: { automated: 8000 } });
    await s.up();
    assert.deepStrictEqual((await s.outputs()).phasesSeenByDependent, ["COMPLETED"]);
    await s.destroy();
    await s.remove();
  });

  it("a wait that times out records the job, and the next up resumes it without a new job", async () => {
    const s = await stack({ ...automated, waitTimeoutSeconds: 2 });
    await admin.setOptions({ restoreDurationMs: { automated: 8000 } });
    const first = await s.up([], true);
    assert.notStrictEqual(first.code, 0);
    assert.match(first.stdout, /restore job still running after \d+ s/);
    const [recorded] = await s.restoreJobs();
    assert.ok(recorded, "the job is recorded in state");
    const [unfinished] = await s.records();
    assert.strictEqual(unfinished!.outputs.status, "RUNNING", "state says the job was still running");
    assert.match(unfinished!.initErrors![0]!, /still running after \d+ s/);

    await s.setConfig("args", JSON.stringify({ ...automated, waitTimeoutSeconds: 120 }));
    await s.up();
    const [done] = await s.records();
    assert.strictEqual(done!.id, recorded!.id);
    assert.deepStrictEqual([done!.outputs.status, done!.initErrors], ["COMPLETED", undefined]);
    const outputs = await s.outputs();
    assert.deepStrictEqual([outputs.restoreJobId, outputs.status], [recorded!.id, "COMPLETED"]);
    assert.strictEqual(await admin.jobsCreated(), 1);
    await s.destroy();
    await s.remove();
  });

  it("bad inputs fail preview naming each property, without echoing values or calling Atlas", async () => {
    const secretLooking = "mdb_sa_sk_PastedIntoTheWrongField";
    const s = await stack({ groupId: secretLooking, clusterName: "", deliveryType: "restore", oplogInc: 0 });
    const result = await s.preview([], true);
    assert.notStrictEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    for (const property of ["groupId", "clusterName", "deliveryType", "oplogInc"]) {
      assert.match(output, new RegExp(`${property}: `), `names ${property}:\n${output}`);
    }
    assert.ok(!output.includes(secretLooking));
    assert.strictEqual(await admin.atlasRequests(), 0);
    await s.remove();
  });

  describe("credentials", () => {
    const cases: [string, Record<string, string>, Record<string, string>, NodeJS.ProcessEnv][] = [
      [
        "an API key (digest) in stack config secrets",
        { "mongodbatlas:publicKey": apiKey.publicKey },
        { "mongodbatlas:privateKey": apiKey.privateKey },
        {},
      ],
      [
        "an API key (digest) in the environment",
        {},
        {},
        { MONGODB_ATLAS_PUBLIC_API_KEY: apiKey.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: apiKey.privateKey },
      ],
      [
        "a service account in the environment",
        {},
        {},
        { MONGODB_ATLAS_CLIENT_ID: account.clientId, MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret },
      ],
    ];
    for (const [title, config, secrets, env] of cases) {
      it(`works with ${title}`, async () => {
        await admin.reset();
        const s = new Stack(`c${++counter}`, PROGRAM_DIR, home, {
          ...env,
          MONGODB_ATLAS_BASE_URL: emulator.url,
        });
        await s.init(
          { args: JSON.stringify({ ...automated, waitForCompletion: false }), ...config },
          secrets,
        );
        await s.up();
        assert.strictEqual(await admin.jobsCreated(), 1);
        await s.destroy();
        await s.remove();
      });
    }
  });

  it("nothing secret reached the CLI output or the exported state", async () => {
    const everything = transcript.join("\n");
    for (const secret of [account.clientSecret, apiKey.privateKey, "Bearer "]) {
      assert.ok(!everything.includes(secret), `the CLI output holds no ${secret.slice(0, 8)}…`);
    }
    // Download links (a stack named `download` makes a plain "/download/" that is no URL).
    assert.doesNotMatch(everything, /:\/\/[^"\s]*\/download\//, "the CLI output holds no download link");
  });
});
