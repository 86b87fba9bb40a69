import assert from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { checkedAnswer, curl } from "./helpers";

/** Sends a request to an Atlas route; the answer is checked against the contract. */
async function call(
  url: string,
  _operationId: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const method = init.method ?? "GET";
  const response = await fetch(url, {
    method,
    headers: init.headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return checkedAnswer(method, url, response);
}

/** The emulator over real HTTP; every Atlas answer is checked against the OpenAPI contract. */

const seed = defaultSeed();
const G = seed.projects[0]!.id;
const OTHER = seed.projects[1]!.id;
const account = seed.serviceAccounts[0]!;
const key = seed.apiKeys[0]!;
const restricted = seed.apiKeys[1]!;
const V1 = "application/vnd.atlas.2023-01-01+json";
const V2 = "application/vnd.atlas.2024-11-13+json";
const SNAPSHOT = "6650a1b2c3d4e5f6a7b8cb03";
const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd02";

async function token(
  url: string,
  clientId = account.clientId,
  secret = account.clientSecret,
): Promise<string> {
  const response = await fetch(`${url}/api/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  assert.strictEqual(response.status, 200);
  const body = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
  assert.strictEqual(body.expires_in, 3600);
  assert.strictEqual(body.token_type, "Bearer");
  return body.access_token;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Atlas emulator", function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let auth: Record<string, string>;
  const api = (path: string) => `${emulator.url}/api/atlas/v2/groups/${path}`;
  /** POSTs the usual automated restore of prod-orders into staging-orders. */
  const restoreIntoStaging = () =>
    call(api(`${G}/serverless/prod-orders/backup/restoreJobs`), "createGroupServerlessBackupRestoreJob", {
      method: "POST",
      headers: auth,
      body: {
        deliveryType: "automated",
        snapshotId: SNAPSHOT,
        targetClusterName: "staging-orders",
        targetGroupId: G,
      },
    });

  beforeEach(async () => {
    emulator = await startEmulator({ restoreDurationMs: 200 });
    auth = { Authorization: `Bearer ${await token(emulator.url)}`, Accept: V1, "Content-Type": V1 };
  });
  afterEach(() => emulator.close());

  it("runs a serverless restore from POST to finishedAt and fills the target", async () => {
    const created = await restoreIntoStaging();
    assert.strictEqual(created.status, 200);
    assert.strictEqual(created.headers.get("content-type"), V1);
    const job = created.body as { id: string; finishedAt?: string };
    assert.strictEqual(job.finishedAt, undefined);
    const target = await call(api(`${G}/serverless/staging-orders`), "getGroupServerlessInstance", {
      headers: auth,
    });
    assert.strictEqual((target.body as { stateName: string }).stateName, "UPDATING");
    await sleep(300);
    const done = await call(
      api(`${G}/serverless/prod-orders/backup/restoreJobs/${job.id}`),
      "getGroupServerlessBackupRestoreJob",
      { headers: auth },
    );
    assert.ok((done.body as { finishedAt?: string }).finishedAt);
    const cluster = (await (
      await fetch(`${emulator.url}/__emulator/clusters/${G}/staging-orders`)
    ).json()) as Record<string, unknown>;
    assert.strictEqual(cluster.restoredSnapshotId, SNAPSHOT);
    const counters = (await (await fetch(`${emulator.url}/__emulator/counters`)).json()) as {
      byOperation: Record<string, number>;
    };
    assert.strictEqual(counters.byOperation.createGroupServerlessBackupRestoreJob, 1);
  });

  it("fails restores of a snapshot marked to fail, and prepares links for downloads", async () => {
    const post = (body: Record<string, unknown>) =>
      call(api(`${G}/serverless/prod-orders/backup/restoreJobs`), "createGroupServerlessBackupRestoreJob", {
        method: "POST",
        headers: auth,
        body: { targetGroupId: G, ...body },
      });
    const failing = (
      await post({
        deliveryType: "automated",
        snapshotId: "6650a1b2c3d4e5f6a7b8cb00",
        targetClusterName: "staging-orders",
      })
    ).body as { id: string };
    const download = (
      await post({ deliveryType: "download", snapshotId: SNAPSHOT, targetClusterName: "prod-orders" })
    ).body as { id: string };
    await sleep(300);
    const get = (id: string) =>
      call(
        api(`${G}/serverless/prod-orders/backup/restoreJobs/${id}`),
        "getGroupServerlessBackupRestoreJob",
        { headers: auth },
      );
    assert.strictEqual(((await get(failing.id)).body as { failed: boolean }).failed, true);
    const ready = (await get(download.id)).body as { deliveryUrl: string[]; expiresAt?: string };
    assert.strictEqual(ready.deliveryUrl.length, 1);
    assert.ok(ready.expiresAt);
  });

  it("runs flex restores and downloads, PENDING to COMPLETED", async () => {
    const flexAuth = { ...auth, Accept: V2, "Content-Type": V2 };
    const created = await call(
      api(`${G}/flexClusters/prod-orders/backup/restoreJobs`),
      "createGroupFlexClusterBackupRestoreJob",
      {
        method: "POST",
        headers: flexAuth,
        body: { snapshotId: FLEX_SNAPSHOT, targetDeploymentItemName: "staging-orders" },
      },
    );
    assert.strictEqual((created.body as { status: string }).status, "PENDING");
    const download = await call(
      api(`${G}/flexClusters/prod-orders/backup/download`),
      "downloadGroupFlexClusterBackup",
      {
        method: "POST",
        headers: flexAuth,
        body: { snapshotId: FLEX_SNAPSHOT },
      },
    );
    await sleep(300);
    const id = (created.body as { id: string }).id;
    const done = await call(
      api(`${G}/flexClusters/prod-orders/backup/restoreJobs/${id}`),
      "getGroupFlexClusterBackupRestoreJob",
      { headers: flexAuth },
    );
    assert.strictEqual((done.body as { status: string }).status, "COMPLETED");
    const downloadId = (download.body as { id: string }).id;
    const link = await call(
      api(`${G}/flexClusters/prod-orders/backup/restoreJobs/${downloadId}`),
      "getGroupFlexClusterBackupRestoreJob",
      { headers: flexAuth },
    );
    assert.match((link.body as { snapshotUrl: string }).snapshotUrl, /^http/);
  });

  it("pages, counts and envelopes lists", async () => {
    const path = api(`${G}/serverless/prod-orders/backup/snapshots`);
    const first = await call(`${path}?itemsPerPage=2&pageNum=1`, "listGroupServerlessBackupSnapshots", {
      headers: auth,
    });
    const page = first.body as { results: unknown[]; totalCount: number; links: { rel: string }[] };
    assert.strictEqual(page.results.length, 2);
    assert.strictEqual(page.totalCount, 5);
    assert.deepStrictEqual(
      page.links.map((l) => l.rel),
      ["self", "next"],
    );
    const wrapped = await fetch(`${path}?envelope=true&pretty=true&includeCount=false`, { headers: auth });
    const text = await wrapped.text();
    assert.ok(text.includes("\n  "), "pretty output is indented");
    const body = JSON.parse(text) as { status: number; totalCount?: number };
    assert.strictEqual(body.status, 200);
    assert.strictEqual(body.totalCount, undefined);
  });

  it("refuses bad bodies, unknown instances and missing versions as Atlas does", async () => {
    const bad = await call(
      api(`${G}/serverless/prod-orders/backup/restoreJobs`),
      "createGroupServerlessBackupRestoreJob",
      {
        method: "POST",
        headers: auth,
        body: { deliveryType: "restore", targetClusterName: "staging-orders" },
      },
    );
    assert.strictEqual(bad.status, 400);
    assert.match((bad.body as { errorCode: string }).errorCode, /MISSING_ATTRIBUTE|INVALID_ENUM_VALUE/);
    const missing = await call(api(`${G}/serverless/nope`), "getGroupServerlessInstance", { headers: auth });
    assert.strictEqual(missing.status, 404);
    assert.strictEqual((missing.body as { errorCode: string }).errorCode, "SERVERLESS_INSTANCE_NOT_FOUND");
    const unversioned = await call(api(`${G}/serverless/prod-orders`), "getGroupServerlessInstance", {
      headers: { ...auth, Accept: "application/json" },
    });
    assert.strictEqual(unversioned.status, 406);
  });

  it("speaks HTTP Digest to curl, and refuses a wrong key or another project", async () => {
    const digest = (user: string, password: string, groupId: string) =>
      curl([
        "--digest",
        "-u",
        `${user}:${password}`,
        "-H",
        `Accept: ${V1}`,
        "-w",
        "\n%{http_code}",
        api(`${groupId}/serverless/prod-orders`),
      ]);
    assert.match(await digest(key.publicKey, key.privateKey, G), /\n200$/);
    assert.match(await digest(key.publicKey, "wrong", G), /\n401$/);
    assert.match(await digest(restricted.publicKey, restricted.privateKey, OTHER), /\n403$/);
  });

  it("answers a stale nonce with stale=true after the nonce expires", async () => {
    await emulator.close();
    emulator = await startEmulator({ nonceTtlMs: 50 });
    const challenge = await fetch(api(`${G}/serverless/prod-orders`), { headers: { Accept: V1 } });
    const nonce = /nonce="([^"]+)"/.exec(challenge.headers.get("www-authenticate")!)![1]!;
    await sleep(80);
    const { digestAuthorization } = await import("../../provider/auth/digest");
    const header = digestAuthorization({
      challenge: { realm: "MMS Public API", nonce, qop: "auth", algorithm: "MD5", stale: false },
      username: key.publicKey,
      password: key.privateKey,
      method: "GET",
      uri: `/api/atlas/v2/groups/${G}/serverless/prod-orders`,
      nonceCount: 1,
      cnonce: "abc",
    });
    const answer = await fetch(api(`${G}/serverless/prod-orders`), {
      headers: { Accept: V1, Authorization: header },
    });
    assert.strictEqual(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate")!, /stale=true/);
  });

  it("revokes OAuth tokens", async () => {
    const value = await token(emulator.url);
    const basic = `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString("base64")}`;
    const revoked = await fetch(`${emulator.url}/api/oauth/revoke`, {
      method: "POST",
      headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${value}`,
    });
    assert.strictEqual(revoked.status, 200);
    const refused = await fetch(api(`${G}/serverless/prod-orders`), {
      headers: { Accept: V1, Authorization: `Bearer ${value}` },
    });
    assert.strictEqual(refused.status, 401);
  });

  it("limits rates with 429 and Retry-After", async () => {
    await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({ rateLimit: { capacity: 2, refillPerSecond: 1 } }),
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(api(`${G}/serverless/prod-orders`), { headers: auth });
      statuses.push(last.status);
    }
    assert.deepStrictEqual(statuses, [200, 200, 429]);
    assert.strictEqual(last!.headers.get("retry-after"), "1");
    assert.strictEqual(last!.headers.get("ratelimit-remaining"), "0");
  });

  it("injects faults: a dropped answer after the job was created", async () => {
    await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({
        faults: [
          {
            operationId: "createGroupServerlessBackupRestoreJob",
            action: "drop-response-after-commit",
            count: 1,
          },
          { operationId: "getGroupServerlessInstance", sequence: ["503", "500", "ok"] },
        ],
      }),
    });
    await assert.rejects(
      fetch(api(`${G}/serverless/prod-orders/backup/restoreJobs`), {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          deliveryType: "automated",
          snapshotId: SNAPSHOT,
          targetClusterName: "staging-orders",
          targetGroupId: G,
        }),
      }),
    );
    const jobs = (await (await fetch(`${emulator.url}/__emulator/jobs`)).json()) as { jobs: unknown[] };
    assert.strictEqual(jobs.jobs.length, 1);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(api(`${G}/serverless/prod-orders`), { headers: auth })).status);
    assert.deepStrictEqual(statuses, [503, 500, 200]);
  });

  it("injects connection resets and latency, and logs every request", async () => {
    await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({
        faults: [{ operationId: "getGroupServerlessInstance", sequence: ["reset", "latency:150"] }],
      }),
    });
    await assert.rejects(fetch(api(`${G}/serverless/prod-orders`), { headers: auth }));
    const started = Date.now();
    assert.strictEqual((await fetch(api(`${G}/serverless/prod-orders`), { headers: auth })).status, 200);
    assert.ok(Date.now() - started >= 150);
    const { requests } = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
      requests: { status: unknown; operationId?: string }[];
    };
    assert.deepStrictEqual(
      requests.map((r) => [r.operationId, r.status]),
      [
        ["getGroupServerlessInstance", "reset"],
        ["getGroupServerlessInstance", 200],
      ],
    );
  });

  it("lets an admin expire a job and reset everything", async () => {
    const created = await restoreIntoStaging();
    const id = (created.body as { id: string }).id;
    await fetch(`${emulator.url}/__emulator/jobs/${id}`, {
      method: "PATCH",
      body: JSON.stringify({ expired: true }),
    });
    const job = await call(
      api(`${G}/serverless/prod-orders/backup/restoreJobs/${id}`),
      "getGroupServerlessBackupRestoreJob",
      { headers: auth },
    );
    assert.strictEqual((job.body as { expired: boolean }).expired, true);
    await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" });
    const jobs = (await (await fetch(`${emulator.url}/__emulator/jobs`)).json()) as { jobs: unknown[] };
    assert.strictEqual(jobs.jobs.length, 0);
    const bad = await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({ sunset: "later" }),
    });
    assert.strictEqual(bad.status, 400);
  });

  it("answers as after the sunset: gone, or migrated to flex", async () => {
    await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({ sunset: "gone" }),
    });
    const gone = await call(api(`${G}/serverless/prod-orders`), "getGroupServerlessInstance", {
      headers: auth,
    });
    assert.strictEqual(gone.status, 410);
    assert.strictEqual((gone.body as { errorCode: string }).errorCode, "VERSION_GONE");
    await fetch(`${emulator.url}/__emulator/options`, {
      method: "PATCH",
      body: JSON.stringify({ sunset: "migrated" }),
    });
    const migrated = await call(api(`${G}/serverless/prod-orders`), "getGroupServerlessInstance", {
      headers: auth,
    });
    assert.strictEqual(migrated.status, 404);
    const flex = await call(api(`${G}/flexClusters/prod-orders`), "getGroupFlexCluster", {
      headers: { ...auth, Accept: V2 },
    });
    assert.strictEqual(flex.status, 200);
  });

  it("keeps jobs across a restart with a state file", async () => {
    await emulator.close();
    const dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
    try {
      const stateFile = join(dir, "state.json");
      emulator = await startEmulator({ stateFile, restoreDurationMs: 400 });
      auth.Authorization = `Bearer ${await token(emulator.url)}`;
      const created = await restoreIntoStaging();
      const id = (created.body as { id: string }).id;
      await emulator.close();
      emulator = await startEmulator({ stateFile, restoreDurationMs: 400 });
      await sleep(450);
      const done = await call(
        api(`${G}/serverless/prod-orders/backup/restoreJobs/${id}`),
        "getGroupServerlessBackupRestoreJob",
        { headers: auth },
      );
      assert.strictEqual(done.status, 200, "the token and the job survived the restart");
      assert.ok((done.body as { finishedAt?: string }).finishedAt);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
