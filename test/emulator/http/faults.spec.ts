import assert from "node:assert";

import {
  AtlasTestClient,
  automatedRestore,
  fetchToken,
  G,
  group,
  RESTRICTED_ACCOUNT,
  startTestEmulator,
  type TestEmulator,
  until,
} from "../helpers";

const INSTANCE = group(G, "/serverless/prod-orders");
const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");

describe("emulator faults and rate limits over HTTP", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator()));
  afterEach(() => t.emulator.close());

  const statuses = async (n: number, client = t.atlas, path = INSTANCE) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await client.get(path)).status);
    return out;
  };

  it("answers injected 500 and 503 (with Retry-After) and 429 as ApiErrors", async () => {
    await t.admin.setOptions({
      faults: [
        { operationId: "getGroupServerlessInstance", sequence: ["500", "503", "429"], retryAfterSeconds: 3 },
      ],
    });
    const answers = [await t.atlas.get(INSTANCE), await t.atlas.get(INSTANCE), await t.atlas.get(INSTANCE)];
    assert.deepStrictEqual(
      answers.map((a) => [
        a.status,
        (a.body as { errorCode: string }).errorCode,
        a.headers.get("retry-after"),
      ]),
      [
        [500, "UNEXPECTED_ERROR", null],
        [503, "SERVICE_UNAVAILABLE", "3"],
        [429, "RATE_LIMITED", "3"],
      ],
    );
    assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200, "a sequence plays once");
  });

  it("fires a rule on the next N requests of its operation only", async () => {
    await t.admin.setOptions({
      faults: [{ operationId: "getGroupServerlessInstance", action: "503", count: 2 }],
    });
    assert.deepStrictEqual(await statuses(1, t.atlas, group(G, "/flexClusters/prod-orders")), [200]);
    assert.deepStrictEqual(await statuses(3), [503, 503, 200]);
  });

  it("delays answers with latency on the emulator's clock", async () => {
    await t.admin.setOptions({ faults: [{ action: "latency:60000", count: 1 }] });
    let settled = false;
    const answer = t.atlas.get(INSTANCE).then((a) => ((settled = true), a));
    await until(
      async () => (await t.admin.counters()).byOperation.getGroupServerlessInstance === 1,
      "the request to arrive",
    );
    t.clock.advance(59_999);
    await t.admin.counters(); // a round trip, in which a woken answer would have arrived
    assert.strictEqual(settled, false, "the answer waits for the emulator's clock");
    t.clock.advance(1);
    assert.strictEqual((await answer).status, 200);
  });

  it("resets the connection without an answer", async () => {
    await t.admin.setOptions({ faults: [{ action: "reset", count: 1 }] });
    await assert.rejects(t.atlas.get(INSTANCE));
    assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200);
    const log = await t.admin.requests();
    assert.deepStrictEqual(
      log.filter((r) => r.operationId === "getGroupServerlessInstance").map((r) => r.status),
      ["reset", 200],
    );
  });

  it("drop-response-after-commit: the job exists though the client got no answer", async () => {
    await t.admin.setOptions({
      faults: [
        {
          operationId: "createGroupServerlessBackupRestoreJob",
          action: "drop-response-after-commit",
          count: 1,
        },
      ],
    });
    await assert.rejects(t.atlas.post(JOBS, automatedRestore()));
    const jobs = await t.admin.jobs();
    assert.strictEqual(jobs.length, 1);
    const listed = (await t.atlas.get(JOBS)).body as { results: { id: string }[] };
    assert.deepStrictEqual(
      listed.results.map((j) => j.id),
      [jobs[0]!.id],
      "a client can find the job it lost",
    );
    assert.strictEqual((await t.admin.counters()).byOperation.createGroupServerlessBackupRestoreJob, 1);
    assert.strictEqual(
      (await t.admin.requests()).find((r) => r.method === "POST" && r.operationId !== "oauthToken")?.status,
      "dropped",
    );
  });

  describe("held requests", () => {
    const CREATE = "createGroupServerlessBackupRestoreJob";
    const holdCreate = (action: "hold" | "hold-response-after-commit") =>
      t.admin.setOptions({ faults: [{ operationId: CREATE, method: "POST", action, count: 1 }] });
    const heldOnce = async () =>
      (
        await t.admin.call<{ held: { id: string; committed: boolean }[] }>(
          "GET",
          `/held?operationId=${CREATE}&count=1&timeoutMs=5000`,
        )
      ).body.held;

    it("holds a create POST's answer after the job exists, until released", async () => {
      await holdCreate("hold-response-after-commit");
      let answered = false;
      const post = t.atlas.post(JOBS, automatedRestore()).then((a) => ((answered = true), a));
      const held = await heldOnce();
      assert.deepStrictEqual(
        held.map((h) => h.committed),
        [true],
      );
      assert.strictEqual((await t.admin.jobs()).length, 1, "carried out before its answer");
      assert.strictEqual(answered, false);
      assert.deepStrictEqual((await t.admin.call("POST", `/held/${held[0]!.id}/release`)).body, {
        released: [held[0]!.id],
      });
      assert.strictEqual((await post).status, 200);
    });

    it("drops a held answer like drop-response-after-commit", async () => {
      await holdCreate("hold-response-after-commit");
      const post = t.atlas.post(JOBS, automatedRestore()).catch((error: unknown) => error);
      const [held] = await heldOnce();
      await t.admin.call("POST", `/held/${held!.id}/release`, { mode: "drop" });
      assert.ok((await post) instanceof Error);
      assert.strictEqual((await t.admin.jobs()).length, 1);
      assert.strictEqual((await t.admin.requests()).at(-1)!.status, "dropped");
    });

    it("drops a request held before it was carried out like a reset: no job", async () => {
      await holdCreate("hold");
      const post = t.atlas.post(JOBS, automatedRestore()).catch((error: unknown) => error);
      assert.deepStrictEqual(
        (await heldOnce()).map((h) => h.committed),
        [false],
      );
      assert.strictEqual((await t.admin.call("POST", "/held/release", { mode: "drop" })).status, 200);
      assert.ok((await post) instanceof Error);
      assert.strictEqual((await t.admin.jobs()).length, 0);
      assert.strictEqual((await t.admin.requests()).at(-1)!.status, "reset");
    });

    it("counts arrivals without holding, and answers a wait that times out with 408", async () => {
      assert.strictEqual((await t.atlas.post(JOBS, automatedRestore())).status, 200);
      const once = await t.admin.call("GET", `/arrivals/${CREATE}?count=1`);
      assert.deepStrictEqual(once.body, { operationId: CREATE, count: 1 });
      const twice = await t.admin.call<{ errorCode: string }>(
        "GET",
        `/arrivals/${CREATE}?count=2&timeoutMs=50`,
      );
      assert.deepStrictEqual([twice.status, twice.body.errorCode], [408, "TIMEOUT"]);
      const held = await t.admin.call<{ errorCode: string }>("GET", `/held?count=1&timeoutMs=50`);
      assert.deepStrictEqual([held.status, held.body.errorCode], [408, "TIMEOUT"]);
      assert.deepStrictEqual((await t.admin.call("GET", `/held?operationId=${CREATE}`)).body, { held: [] });
    });

    it("refuses bad waits and releases in Atlas's error shape, and an unknown held request", async () => {
      const refused = [
        await t.admin.call("GET", "/held?operationId=not-an-id"),
        await t.admin.call("GET", "/held?count=-1"),
        await t.admin.call("GET", `/arrivals/${CREATE}?timeoutMs=forever`),
        await t.admin.call("POST", "/held/release", { mode: "later" }),
        await t.admin.call("POST", "/held/release", { how: "drop" }),
      ];
      for (const answer of refused) {
        assert.strictEqual(answer.status, 400);
        assert.strictEqual((answer.body as { errorCode: string }).errorCode, "INVALID_ADMIN_REQUEST");
      }
      const unknown = await t.admin.call<{ errorCode: string }>("POST", "/held/99/release", { mode: "drop" });
      assert.deepStrictEqual([unknown.status, unknown.body.errorCode], [404, "RESOURCE_NOT_FOUND"]);
    });
  });

  it("does not spend a fault on a digest challenge", async () => {
    await t.admin.setOptions({
      faults: [{ operationId: "createGroupServerlessBackupRestoreJob", action: "500", count: 1 }],
    });
    const first = await t.digest.post(JOBS, automatedRestore());
    assert.strictEqual(first.status, 500, "the authenticated POST met the fault, not the challenge");
    assert.strictEqual((await t.digest.post(JOBS, automatedRestore())).status, 200);
  });

  it("draws probabilistic faults from the fault seed: the same seed, the same faults", async () => {
    const run = async (faultSeed: number) => {
      await t.admin.call("POST", "/reset");
      await t.admin.setOptions({ faults: [{ action: "503", probability: 0.5 }], faultSeed });
      return (await statuses(20)).join(",");
    };
    const a = await run(5);
    assert.strictEqual(await run(5), a);
    assert.notStrictEqual(await run(6), a);
    assert.ok(a.includes("503") && a.includes("200"));
  });

  describe("rate limit", () => {
    it("answers 429 RATE_LIMITED with Retry-After once the bucket is empty, RateLimit headers on every answer", async () => {
      await t.admin.setOptions({ rateLimit: { capacity: 2, refillPerSecond: 0.5 } });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await t.atlas.get(INSTANCE));
      assert.deepStrictEqual(
        answers.map((a) => [
          a.status,
          a.headers.get("ratelimit-limit"),
          a.headers.get("ratelimit-remaining"),
        ]),
        [
          [200, "2", "1"],
          [200, "2", "0"],
          [429, "2", "0"],
        ],
      );
      assert.strictEqual(answers[2]!.headers.get("retry-after"), "2");
      assert.strictEqual((answers[2]!.body as { errorCode: string }).errorCode, "RATE_LIMITED");
      t.clock.advance(2000);
      assert.strictEqual((await t.atlas.get(INSTANCE)).status, 200, "the bucket refilled");
    });

    it("keeps one bucket per credential by default, one for all with scope global", async () => {
      const other = new AtlasTestClient(t.emulator.url, {
        kind: "bearer",
        token: await fetchToken(t.emulator.url, RESTRICTED_ACCOUNT.clientId, RESTRICTED_ACCOUNT.clientSecret),
      });
      await t.admin.setOptions({ rateLimit: { capacity: 1, refillPerSecond: 1 } });
      assert.deepStrictEqual([...(await statuses(2)), ...(await statuses(1, other))], [200, 429, 200]);
      await t.admin.setOptions({ rateLimit: { capacity: 1, refillPerSecond: 1, scope: "global" } });
      assert.deepStrictEqual([...(await statuses(1)), ...(await statuses(1, other))], [200, 429]);
    });

    it("sends Atlas's usual RateLimit headers, unspent, without a limit", async () => {
      for (const answer of [await t.atlas.get(INSTANCE), await t.atlas.get(`${INSTANCE}x`)]) {
        assert.strictEqual(answer.headers.get("ratelimit-limit"), "1200");
        assert.strictEqual(answer.headers.get("ratelimit-remaining"), "1199");
      }
    });
  });
});
