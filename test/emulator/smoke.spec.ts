import assert from "node:assert";

import {
  automatedRestore,
  checkedAnswer,
  G,
  group,
  startTestEmulator,
  type TestEmulator,
  V1,
} from "./helpers";

describe("emulator smoke test", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator({ restoreDurationMs: 50 })));
  afterEach(() => t.emulator.close());

  it("binds 127.0.0.1 on a free port and gives its URL without a trailing slash", () => {
    assert.match(t.emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.strictEqual(t.emulator.url, `http://127.0.0.1:${t.emulator.port}`);
  });

  it("refuses a port in use, naming it", async () => {
    await assert.rejects(
      startTestEmulator({ port: t.emulator.port }),
      new RegExp(`cannot listen on 127\\.0\\.0\\.1 \\(EADDRINUSE\\): port ${t.emulator.port}$`),
    );
  });

  it("runs a digest-authenticated restore to its end, counting one POST", async () => {
    const path = group(G, "/serverless/prod-orders/backup/restoreJobs");
    // By hand first, to see the challenge a client must answer.
    const challenge = await checkedAnswer(
      "POST",
      path,
      await fetch(`${t.emulator.url}${path}`, {
        method: "POST",
        headers: { Accept: V1, "Content-Type": V1 },
        body: JSON.stringify(automatedRestore()),
      }),
    );
    assert.strictEqual(challenge.status, 401);
    assert.match(challenge.headers.get("www-authenticate")!, /^Digest realm="MMS Public API", .*qop="auth"/);

    const created = await t.digest.post(path, automatedRestore());
    assert.strictEqual(created.status, 200);
    const job = created.body as Record<string, unknown>;
    assert.deepStrictEqual(
      [job.failed, job.cancelled, job.expired, job.finishedAt],
      [false, false, false, undefined],
    );

    t.clock.advance(60);
    const done = await t.digest.get(`${path}/${String(job.id)}`);
    assert.ok((done.body as { finishedAt?: string }).finishedAt);
    assert.strictEqual(
      (await t.admin.cluster(G, "staging-orders", "serverless")).restoredSnapshotId,
      job.snapshotId,
    );

    const counters = await t.admin.counters();
    assert.strictEqual(counters.byOperation.createGroupServerlessBackupRestoreJob, 1);
    assert.strictEqual(counters.byMethod.POST, 1);
  });
});
