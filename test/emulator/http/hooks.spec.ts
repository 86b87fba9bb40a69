import assert from "node:assert";

import { automatedRestore, G, group, startTestEmulator, type TestEmulator } from "../helpers";

const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");
const CREATE = "createGroupServerlessBackupRestoreJob";

describe("emulator test hooks over HTTP", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator()));
  afterEach(async () => {
    await t.admin.call("DELETE", "/hooks");
    await t.emulator.close();
  });

  const watch = async (body: Record<string, unknown>) =>
    (await t.admin.call<{ id: string }>("POST", "/hooks/watches", body)).body.id;

  it("holds a create POST's answer after the job exists, until released", async () => {
    const id = await watch({ operationId: CREATE, hold: 1 });
    let answered = false;
    const post = t.atlas.post(JOBS, automatedRestore()).then((a) => ((answered = true), a));
    const seen = await t.admin.call<{ arrived: number; held: number }>(
      "GET",
      `/hooks/watches/${id}?arrived=1`,
    );
    assert.deepStrictEqual([seen.body.arrived, seen.body.held], [1, 1]);
    const jobs = await t.admin.call<{ jobs: unknown[] }>("GET", "/jobs");
    assert.strictEqual(jobs.body.jobs.length, 1, "carried out before its answer");
    assert.strictEqual(answered, false);
    assert.deepStrictEqual((await t.admin.call("POST", `/hooks/watches/${id}/release`)).body, {
      released: 1,
    });
    assert.strictEqual((await post).status, 200);
  });

  it("drops a held answer like drop-response-after-commit", async () => {
    const id = await watch({ operationId: CREATE, hold: 1 });
    const post = t.atlas.post(JOBS, automatedRestore()).catch((error: unknown) => error);
    await t.admin.call("GET", `/hooks/watches/${id}?arrived=1`);
    await t.admin.call("POST", `/hooks/watches/${id}/release`, { mode: "drop" });
    assert.ok((await post) instanceof Error);
    const { body } = await t.admin.call<{ requests: { status: unknown }[] }>("GET", "/requests");
    assert.strictEqual(body.requests.at(-1)!.status, "dropped");
  });

  it("counts arrivals without holding, and answers a wait that times out with what it saw", async () => {
    const id = await watch({ operationId: CREATE });
    assert.strictEqual((await t.atlas.post(JOBS, automatedRestore())).status, 200);
    const seen = await t.admin.call<{ arrived: number }>(
      "GET",
      `/hooks/watches/${id}?arrived=2&timeoutMs=50`,
    );
    assert.strictEqual(seen.body.arrived, 1);
  });

  it("refuses a watch without an operation, and an unknown watch", async () => {
    assert.strictEqual((await t.admin.call("POST", "/hooks/watches", {})).status, 400);
    assert.strictEqual((await t.admin.call("GET", "/hooks/watches/nope")).status, 404);
  });
});
