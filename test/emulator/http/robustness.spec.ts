import assert from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import sinon from "sinon";

import { startEmulator } from "../../../emulator";
import { manualClock } from "../../../emulator/clock";
import { Store } from "../../../emulator/state/store";
import {
  assertAtlasError,
  AtlasTestClient,
  automatedRestore,
  G,
  group,
  rawRequest,
  SNAPSHOT,
  START,
  startTestEmulator,
  TestAdmin,
  type TestEmulator,
  V1,
} from "../helpers";

// Issue 14, robustness: the emulator stays up and answers in Atlas's error shape whatever it is sent.

const INSTANCE = group(G, "/serverless/prod-orders");
const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");
const UNKNOWN_ID = "0123456789abcdef01234567";

/** One malformed request: through fetch, or raw bytes for what fetch will not send. */
type Malformed =
  | { kind: "atlas"; method: string; path: string; body?: string; headers?: Record<string, string> }
  | { kind: "admin"; method: string; path: string; body?: string }
  | { kind: "raw"; bytes: Buffer | string };

/** At least a hundred malformed requests of every family the issue names. */
function malformedRequests(token: string): Malformed[] {
  const auth = { Authorization: `Bearer ${token}`, Accept: V1, "Content-Type": V1 };
  const post = (body: string, path = JOBS): Malformed => ({
    kind: "atlas",
    method: "POST",
    path,
    body,
    headers: auth,
  });
  const get = (path: string, headers: Record<string, string> = auth): Malformed => ({
    kind: "atlas",
    method: "GET",
    path,
    headers,
  });
  const restore = (change: Record<string, unknown>) => post(JSON.stringify(automatedRestore(change)));
  const line = (target: string | Buffer): Buffer =>
    Buffer.concat([Buffer.from("GET "), Buffer.from(target), Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n")]);
  return [
    // bad JSON
    ...[
      "{",
      "[",
      "null",
      "1",
      '"x"',
      '{"deliveryType":',
      "\u0000",
      "{'a':1}",
      "[]",
      "true",
      "{}}",
      "{".repeat(5000),
    ].map((b) => post(b)),
    // wrong types and values
    ...[
      { deliveryType: 1 },
      { deliveryType: "later" },
      { snapshotId: 5 },
      { snapshotId: "zz" },
      { snapshotId: UNKNOWN_ID },
      { targetGroupId: true },
      { targetGroupId: UNKNOWN_ID },
      { targetClusterName: "-bad" },
      { targetClusterName: "nope" },
      { deliveryType: "pointInTime", pointInTimeUTCSeconds: "x" },
      { deliveryType: "pointInTime", pointInTimeUTCSeconds: 1e12 },
      { deliveryType: "pointInTime", oplogTs: 1.5 },
      { deliveryType: "pointInTime", oplogTs: 1_700_000_000, oplogInc: -1 },
      { links: "x", extra: { nested: [1, 2] } },
      { snapshotId: null },
      { deliveryType: ["automated"] },
    ].map(restore),
    post(JSON.stringify({ snapshotId: "x".repeat(1_000_000) })),
    post(JSON.stringify(automatedRestore({ junk: "é".repeat(200_000) }))),
    {
      kind: "atlas",
      method: "POST",
      path: JOBS,
      body: "{}",
      headers: { ...auth, "Content-Type": "text/plain" },
    },
    {
      kind: "atlas",
      method: "POST",
      path: group(G, "/flexClusters/prod-orders/backup/download"),
      body: "{}",
      headers: {
        ...auth,
        Accept: "application/vnd.atlas.2024-11-13+json",
        "Content-Type": "application/json",
      },
    },
    // path traversal and bad path parameters
    ...[
      "/api/atlas/v2/groups/%2e%2e/serverless/prod-orders",
      `/api/atlas/v2/groups/${G}/serverless/%2e%2e%2f%2e%2e`,
      `/api/atlas/v2/groups/${G}/serverless/..%2f..%2fetc%2fpasswd`,
      `/api/atlas/v2/groups/${G}/serverless/prod-orders/backup/snapshots/..%00`,
      `/api/atlas/v2/groups/${G}/serverless/prod-orders/backup/restoreJobs/${"f".repeat(25)}`,
      `/api/atlas/v2/groups/${G}/flexClusters/%ff%fe/backup/snapshots`,
      "/api/atlas/v2/groups/ZZZZ/serverless",
      "/api/atlas/v2/../../etc/passwd",
      "/etc/passwd",
      "/api/atlas/v2/groups",
      "/download/../../etc/passwd",
      `/download/${UNKNOWN_ID}/x.tar.gz`,
    ].map((path) => get(path)),
    // bad paging and flags
    ...[
      "pageNum=0",
      "pageNum=-1",
      "pageNum=abc",
      "pageNum=1e3",
      "itemsPerPage=501",
      "itemsPerPage=0",
      "includeCount=maybe",
      "envelope=yes",
      "pretty=1",
      "pageNum=99999999999999999999",
      "itemsPerPage=%00",
    ].map((q) => get(`${group(G, "/serverless/prod-orders/backup/snapshots")}?${q}`)),
    // versions
    get(INSTANCE, { ...auth, Accept: "application/vnd.atlas.2099-13-45+json" }),
    get(INSTANCE, { ...auth, Accept: "application/json" }),
    get(INSTANCE, { Authorization: auth.Authorization }),
    // junk auth
    ...[
      "Bearer ",
      "Bearer x",
      "Bearer " + "a".repeat(8000),
      "Digest garbage",
      'Digest username="',
      'Digest username="emulpubk", nonce="x", response="y"',
      "Basic eDp5",
      "Negotiate abc",
      "",
      "Digest " + "é".repeat(100),
    ].map((a) => get(INSTANCE, { Accept: V1, Authorization: a })),
    // bad admin bodies and ids
    ...[
      ["POST", "/clock", '{"advanceMs":1e308}'],
      ["POST", "/clock", '{"advanceMs":8.64e15}'],
      ["POST", "/clock", '{"advanceMs":"x"}'],
      ["POST", "/clock", '{"advanceMs":-1}'],
      ["POST", "/clock", "[]"],
      ["POST", "/clock", "{"],
      ["POST", "/clock", '{"advanceMs":1,"back":true}'],
      ["PATCH", "/options", '{"timeScale":"x"}'],
      ["PATCH", "/options", '{"faults":"x"}'],
      ["PATCH", "/options", '{"unknown":1}'],
      ["PATCH", "/options", "null"],
      ["PATCH", "/options", '{"rateLimit":{"capacity":-1}}'],
      ["PATCH", "/jobs/zzz", '{"failed":true}'],
      ["PATCH", `/jobs/${UNKNOWN_ID}`, '{"failed":true}'],
      ["PATCH", `/jobs/${UNKNOWN_ID}`, "{"],
      ["POST", "/snapshots/zzz/fail-restores", "{}"],
      ["POST", `/snapshots/${UNKNOWN_ID}/fail-restores`, "{}"],
      ["POST", `/snapshots/${SNAPSHOT}/fail-restores`, '{"fail":"yes"}'],
      ["POST", `/snapshots/${SNAPSHOT}/fail-restores`, '{"colour":true}'],
      ["POST", "/reset", '{"x":1}'],
      ["GET", `/clusters/${G}/nope`, undefined],
      ["GET", `/clusters/${G}/prod-orders?kind=dedicated`, undefined],
      ["GET", "/clusters/", undefined],
      ["GET", "/nothing", undefined],
      ["DELETE", "/options", undefined],
    ].map(([method, path, body]): Malformed => ({ kind: "admin", method: method!, path: path!, body })),
    // what fetch will not send
    ...[
      line("//"),
      line("http://[::1"),
      line("http://evil.invalid:99999/x"),
      line(Buffer.from([0x2f, 0xff, 0xfe, 0xc3])),
      line(`/${"a".repeat(20_000)}`),
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      "\u0000\u0001 junk\r\n\r\n",
      Buffer.concat([
        Buffer.from("GET / HTTP/1.1\r\nHost: x\r\nX-A: "),
        Buffer.from([0xff, 0x00]),
        Buffer.from("\r\n\r\n"),
      ]),
      "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
      "BREW /coffee HTCPCP/1.0\r\n\r\n",
    ].map((bytes): Malformed => ({ kind: "raw", bytes })),
  ];
}

/** Sends each request; every answer must be a 4xx in Atlas's error shape. */
async function sendAll(baseUrl: string, requests: Malformed[]): Promise<void> {
  const port = Number(new URL(baseUrl).port);
  for (const [i, r] of requests.entries()) {
    let status: number;
    let text: string;
    if (r.kind === "raw") {
      ({ status, body: text } = await rawRequest(port, r.bytes));
    } else {
      const prefix = r.kind === "admin" ? "/__emulator" : "";
      const response = await fetch(`${baseUrl}${prefix}${r.path}`, {
        method: r.method,
        headers: r.kind === "admin" ? { "Content-Type": "application/json" } : r.headers,
        body: r.body,
      });
      status = response.status;
      text = await response.text();
    }
    const where = `request ${i} (${r.kind === "raw" ? String(r.bytes).slice(0, 40) : `${r.method} ${r.path.slice(0, 80)}`})`;
    assert.ok(status >= 400 && status < 500, `${where} answered ${status}`);
    assertAtlasError(status, JSON.parse(text), where);
  }
}

describe("emulator robustness", () => {
  let t: TestEmulator;
  let dir: string;
  let stateFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-robust-"));
    stateFile = join(dir, "state.json");
  });
  afterEach(async () => {
    sinon.restore();
    await t.emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a clock advance past what a date holds without applying or saving it", async () => {
    t = await startTestEmulator({ stateFile });
    for (const advanceMs of [1e308, 8.64e15]) {
      const refused = await t.admin.call("POST", "/clock", { advanceMs });
      assert.strictEqual(refused.status, 400);
      assertAtlasError(400, refused.body, `advanceMs ${advanceMs}`);
    }
    assert.strictEqual(
      (JSON.parse(readFileSync(stateFile, "utf8")) as { clockOffsetMs: number }).clockOffsetMs,
      0,
    );
    assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200);
    assert.strictEqual((await t.atlas.get("/api/atlas/v2/nothing")).status, 404);
    await t.emulator.close();
    t = await startTestEmulator({ stateFile });
    assert.strictEqual(
      (await t.atlas.get(INSTANCE)).status,
      200,
      "and the state file still starts an emulator",
    );
  });

  it("answers 400 to request targets that are not URLs", async () => {
    t = await startTestEmulator();
    for (const target of ["//", "http://[::1", "http://evil.invalid:99999/x"]) {
      const answer = await rawRequest(t.emulator.port, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.strictEqual(answer.status, 400, target);
      assert.strictEqual(
        (JSON.parse(answer.body) as { errorCode: string }).errorCode,
        "INVALID_REQUEST_TARGET",
      );
    }
  });

  it("answers a bug with a bare UNEXPECTED_ERROR and logs its details", async () => {
    t = await startTestEmulator();
    sinon.stub(Store.prototype, "jobsOf").throws(new Error("internal detail /home/secret"));
    const logged = sinon.stub(console, "error");
    const answer = await t.atlas.get(JOBS);
    assert.strictEqual(answer.status, 500);
    assert.deepStrictEqual(answer.body, {
      error: 500,
      errorCode: "UNEXPECTED_ERROR",
      detail: "Unexpected error.",
      reason: "Internal Server Error",
      parameters: [],
    });
    sinon.assert.calledOnceWithMatch(
      logged,
      sinon.match(/unexpected error: Error: internal detail \/home\/secret/),
    );
  });

  it("answers oversized request lines and headers with 431, bytes that are not HTTP with 400, Atlas-shaped", async () => {
    t = await startTestEmulator();
    const cases: Array<[Buffer | string, number]> = [
      [`GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
      [
        Buffer.concat([
          Buffer.from("GET /"),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ]),
        400,
      ],
    ];
    for (const [bytes, status] of cases) {
      const answer = await rawRequest(t.emulator.port, bytes);
      assert.strictEqual(answer.status, status);
      assertAtlasError(status, JSON.parse(answer.body), `raw ${status}`);
    }
  });

  it("validates admin ids and bodies: unknown snapshots and jobs answer 404, bad ones 400", async () => {
    t = await startTestEmulator();
    const status = async (method: string, path: string, body?: unknown) =>
      (await t.admin.call(method, path, body)).status;
    assert.strictEqual(await status("POST", `/snapshots/${UNKNOWN_ID}/fail-restores`), 404);
    assert.strictEqual(await status("POST", "/snapshots/x/fail-restores"), 400);
    assert.strictEqual(await status("POST", `/snapshots/${SNAPSHOT}/fail-restores`, { fail: "yes" }), 400);
    assert.strictEqual(await status("POST", `/snapshots/${SNAPSHOT}/fail-restores`, { fail: false }), 200);
    assert.strictEqual(await status("PATCH", "/jobs/x", { failed: true }), 400);
    assert.strictEqual(await status("PATCH", `/jobs/${UNKNOWN_ID}`, { failed: true }), 404);
    assert.strictEqual(await status("GET", `/clusters/${G}/prod-orders?kind=dedicated`), 400);
    assert.strictEqual(await status("POST", "/reset", { everything: true }), 400);
  });

  it("answers a hundred malformed requests in Atlas's error shape and serves on, also after a restart", async () => {
    const clock = manualClock(START);
    t = await startTestEmulator({ stateFile }, clock);
    const requests = malformedRequests(t.token);
    assert.ok(requests.length >= 100, `${requests.length} requests`);
    await sendAll(t.emulator.url, requests);
    assert.strictEqual((await t.atlas.post(JOBS, automatedRestore())).status, 200);

    await t.emulator.close();
    const restarted = await startEmulator({ stateFile, restoreDurationMs: 1000 }, clock);
    t = {
      ...t,
      emulator: restarted,
      atlas: new AtlasTestClient(restarted.url, { kind: "bearer", token: t.token }),
      admin: new TestAdmin(restarted.url),
    };
    await sendAll(restarted.url, requests);
    assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200);
    assert.strictEqual(
      (await t.admin.jobs()).length,
      1,
      "the restore from before the restart is still there",
    );
  });
});
