import assert from "node:assert";
import { connect } from "node:net";

import sinon from "sinon";

import {
  ACCOUNT,
  automatedRestore,
  CLUSTER_SNAPSHOT,
  curl,
  G,
  group,
  HOUR,
  KEY,
  rawRequest,
  SHARDED_SNAPSHOT,
  START,
  startTestEmulator,
  type TestEmulator,
  until,
  V_BACKUP,
  V_CLUSTER,
  V1,
} from "../helpers";

// Issue 27: what clients nobody here wrote (the Atlas CLI, the Go SDK, curl as the docs show it) met on
// the emulator. Every answer through the test clients is also checked against the OpenAPI contract.

type ApiErrorBody = {
  errorCode: string;
  detail: string;
  parameters: string[];
  badRequestDetail?: { fields: { field: string }[] };
};
const error = (body: unknown) => body as ApiErrorBody;
const CLUSTER = group(G, "/clusters/prod-cluster");
const SHARDED = group(G, "/clusters/prod-sharded");
const seconds = (ms: number) => Math.floor(ms / 1000);

describe("emulator fidelity to Atlas (issue 27)", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator()));
  afterEach(() => {
    sinon.restore();
    return t.emulator.close();
  });

  it("1. answers a dedicated cluster's name on the Flex API with 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API", async () => {
    // The Atlas CLI switches to the clusters API on this code only (backups snapshots/restores list,
    // describe and watch).
    for (const path of [
      "/flexClusters/prod-cluster",
      "/flexClusters/prod-cluster/backup/restoreJobs",
      `/flexClusters/prod-cluster/backup/restoreJobs/${"a".repeat(24)}`,
      "/flexClusters/prod-cluster/backup/snapshots",
      `/flexClusters/prod-cluster/backup/snapshots/${CLUSTER_SNAPSHOT}`,
    ]) {
      const answer = await t.atlas.get(group(G, path));
      assert.strictEqual(answer.status, 400, path);
      assert.deepStrictEqual(answer.body, {
        error: 400,
        errorCode: "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
        detail: "Cannot use non-flex cluster prod-cluster in the flex API.",
        reason: "Bad Request",
        parameters: ["prod-cluster"],
      });
    }
    const unknown = await t.atlas.get(group(G, "/flexClusters/nope/backup/restoreJobs"));
    assert.strictEqual(error(unknown.body).errorCode, "FLEX_CLUSTER_NOT_FOUND");
  });

  it("2. refuses keys every object inherits (__proto__, constructor, toString) as unknown attributes", async () => {
    const jobs = `${CLUSTER}/backup/restoreJobs`;
    for (const key of ["__proto__", "constructor", "toString"]) {
      const text = `{"deliveryType":"download","${key}":{"snapshotId":"${CLUSTER_SNAPSHOT}"}}`;
      const answer = await t.atlas.post(jobs, text);
      assert.strictEqual(answer.status, 400, key);
      assert.strictEqual(error(answer.body).errorCode, "INVALID_ATTRIBUTE");
      assert.deepStrictEqual(
        error(answer.body).badRequestDetail?.fields.map((f) => f.field),
        [key],
      );
    }
    assert.deepStrictEqual(await t.admin.jobs(), [], "no snapshotId was taken from the prototype");
  });

  it("3. lists the closest completed snapshot before pointInTimeUtcSeconds or oplogTs/oplogInc, and checks them", async () => {
    const list = async (query: string) => t.atlas.get(`${CLUSTER}/backup/snapshots?${query}`);
    const ids = async (query: string) =>
      ((await list(query)).body as { results: { id: string }[] }).results.map((s) => s.id);
    // prod-cluster: …ce03 in progress (1 h before the start), …ce02 completed (24 h), …ce01 completed (48 h).
    assert.deepStrictEqual(await ids(`pointInTimeUtcSeconds=${seconds(START)}`), [CLUSTER_SNAPSHOT]);
    assert.deepStrictEqual(await ids(`pointInTimeUtcSeconds=${seconds(START - 30 * HOUR)}`), [
      "6650a1b2c3d4e5f6a7b8ce01",
    ]);
    assert.deepStrictEqual(await ids(`oplogTs=${seconds(START - 2 * HOUR)}&oplogInc=1`), [CLUSTER_SNAPSHOT]);
    assert.deepStrictEqual(await ids(`pointInTimeUtcSeconds=${seconds(START - 72 * HOUR)}`), []);
    assert.strictEqual((await ids("")).length, 3, "no query, every snapshot");
    for (const [query, field] of [
      ["oplogTs=abc&oplogInc=1", "oplogTs"],
      ["pointInTimeUtcSeconds=1.5", "pointInTimeUtcSeconds"],
      [`pointInTimeUtcSeconds=${"9".repeat(20)}`, "pointInTimeUtcSeconds"],
      [`pointInTimeUtcSeconds=${seconds(START)}&oplogTs=1&oplogInc=1`, "pointInTimeUtcSeconds"],
      [`oplogTs=${seconds(START)}`, "oplogInc"],
      ["oplogInc=1", "oplogTs"],
    ]) {
      const answer = await list(query!);
      assert.deepStrictEqual(
        [answer.status, error(answer.body).errorCode, error(answer.body).parameters],
        [400, "INVALID_PARAMETER", [field]],
        query,
      );
    }
  });

  it("4. lists a sharded cluster's snapshots at …/snapshots/shardedClusters (a replica set has none)", async () => {
    const sharded = await t.atlas.get(`${SHARDED}/backup/snapshots/shardedClusters`);
    assert.strictEqual(sharded.status, 200);
    const page = sharded.body as { results: { id: string; members: unknown[] }[]; totalCount: number };
    assert.deepStrictEqual(
      page.results.map((s) => [s.id, s.members.length]),
      [
        ["6650a1b2c3d4e5f6a7b8ce13", 2],
        [SHARDED_SNAPSHOT, 2],
        ["6650a1b2c3d4e5f6a7b8ce11", 2],
      ],
    );
    assert.strictEqual(page.totalCount, 3);
    const replicaSet = await t.atlas.get(`${CLUSTER}/backup/snapshots/shardedClusters?envelope=true`);
    assert.deepStrictEqual(replicaSet.body, {
      links: [
        { rel: "self", href: `${t.emulator.url}${CLUSTER}/backup/snapshots/shardedClusters?envelope=true` },
      ],
      results: [],
      totalCount: 0,
      status: 200,
    });
    assert.strictEqual(
      (await t.atlas.request("HEAD", `${SHARDED}/backup/snapshots/shardedClusters`)).status,
      200,
    );
    const post = await t.atlas.post(`${SHARDED}/backup/snapshots/shardedClusters`, {});
    assert.deepStrictEqual([post.status, post.headers.get("allow")], [405, "GET, HEAD"]);
  });

  it("5. serves getGroupCluster's 2023-01-01 and 2023-02-01 versions, which Atlas serves until 2027-07-01", async () => {
    for (const [version, schema] of [
      ["2023-01-01", "LegacyAtlasCluster"],
      ["2023-02-01", "AdvancedClusterDescription"],
      ["2024-08-05", "ClusterDescription20240805"],
    ]) {
      const accept = `application/vnd.atlas.${version!}+json`;
      const answer = await t.atlas.get(CLUSTER, { accept });
      assert.strictEqual(answer.status, 200, schema);
      assert.strictEqual(answer.headers.get("content-type"), `${accept};charset=utf-8`);
      const body = answer.body as { stateName: string; providerBackupEnabled?: boolean; numShards?: number };
      assert.strictEqual(body.stateName, "IDLE");
      assert.strictEqual(body.providerBackupEnabled, version === "2023-01-01" ? true : undefined, schema);
    }
    const legacySharded = await t.atlas.get(SHARDED, { accept: V_BACKUP });
    assert.strictEqual((legacySharded.body as { numShards: number }).numShards, 2);
    // `atlas clusters describe` asks for 2023-02-01; a later date gets the newest version before it.
    const between = await t.atlas.get(CLUSTER, { accept: "application/vnd.atlas.2024-05-30+json" });
    assert.strictEqual(
      between.headers.get("content-type"),
      "application/vnd.atlas.2023-02-01+json;charset=utf-8",
    );
  });

  it("6. refuses a take-snapshot without a body, or with null, as the OpenAPI requires one", async () => {
    const snapshots = `${CLUSTER}/backup/snapshots`;
    for (const body of ["", "null"]) {
      const answer = await t.atlas.post(snapshots, body);
      assert.deepStrictEqual([answer.status, error(answer.body).errorCode], [400, "INVALID_JSON"], body);
    }
    const listed = (await t.atlas.get(snapshots)).body as { results: unknown[] };
    assert.strictEqual(listed.results.length, 3, "no snapshot was taken");
    assert.strictEqual((await t.atlas.post(snapshots, {})).status, 200, "an empty object takes one");
  });

  it("7. never answers 400 for a bad flag where the OpenAPI declares no 400, and still does where it does", async () => {
    const lenient = [
      `${CLUSTER}?pretty=yes&envelope=1`,
      `${CLUSTER}/backup/restoreJobs?envelope=yes&includeCount=maybe&itemsPerPage=0&pageNum=abc`,
      `${CLUSTER}/backup/restoreJobs?itemsPerPage=501`,
      group(G, "/serverless?pretty=1&includeCount=x"),
    ];
    for (const path of lenient) {
      const answer = await t.atlas.get(path);
      assert.strictEqual(answer.status, 200, path);
    }
    const wrapped = await t.atlas.get(`${CLUSTER}?envelope=TRUE`);
    assert.strictEqual((wrapped.body as { status: number }).status, 200, "TRUE is true, as Java reads it");
    const page = (await t.atlas.get(`${CLUSTER}/backup/restoreJobs?itemsPerPage=501`)).body as {
      links: { rel: string; href: string }[];
    };
    assert.match(page.links[0]!.href, /itemsPerPage=500/, "a page size past the bound is the bound");
    const job = await t.atlas.get(`${CLUSTER}/backup/restoreJobs/not-an-id`);
    assert.deepStrictEqual([job.status, error(job.body).errorCode], [404, "RESTORE_JOB_NOT_FOUND"]);
    const project = await t.atlas.get("/api/atlas/v2/groups/ZZZZ/clusters/prod-cluster");
    assert.deepStrictEqual([project.status, error(project.body).errorCode], [404, "GROUP_NOT_FOUND"]);
    const strict = await t.atlas.get(`${CLUSTER}/backup/snapshots?envelope=yes`);
    assert.deepStrictEqual([strict.status, error(strict.body).errorCode], [400, "INVALID_PARAMETER"]);
  });

  it("8. names every error's code in X-Error-Code, sends RateLimit headers and says UTF-8 like Atlas", async () => {
    const ok = await t.atlas.get(CLUSTER);
    assert.strictEqual(ok.headers.get("content-type"), `${V_CLUSTER};charset=utf-8`);
    assert.deepStrictEqual(
      [ok.headers.get("ratelimit-limit"), ok.headers.get("ratelimit-remaining")],
      ["1200", "1199"],
    );
    const missing = await t.atlas.get(group(G, "/clusters/nope"));
    assert.strictEqual(missing.headers.get("x-error-code"), "CLUSTER_NOT_FOUND");
    assert.strictEqual(missing.headers.get("content-type"), "application/json");
    assert.strictEqual(missing.headers.get("ratelimit-limit"), "1200");
    const challenge = await fetch(`${t.emulator.url}${CLUSTER}`, { headers: { Accept: V_CLUSTER } });
    assert.strictEqual(challenge.headers.get("x-error-code"), "UNAUTHORIZED");
    const unknown = await fetch(`${t.emulator.url}/api/atlas/v2/nothing`);
    assert.strictEqual(unknown.headers.get("x-error-code"), "RESOURCE_NOT_FOUND");
  });

  it("10. gives an on-demand snapshot frequencyType ondemand, as Atlas answers", async () => {
    const taken = await t.atlas.post(`${CLUSTER}/backup/snapshots`, { description: "before" });
    const id = (taken.body as { id: string; frequencyType: string }).id;
    assert.strictEqual((taken.body as { frequencyType: string }).frequencyType, "ondemand");
    const read = await t.atlas.get(`${CLUSTER}/backup/snapshots/${id}`);
    assert.strictEqual((read.body as { frequencyType: string }).frequencyType, "ondemand");
    const scheduled = await t.atlas.get(`${CLUSTER}/backup/snapshots/${CLUSTER_SNAPSHOT}`);
    assert.strictEqual((scheduled.body as { frequencyType: string }).frequencyType, "daily");
  });

  it("11. takes a client that disconnects mid-request quietly, and answers CONNECT", async () => {
    const logged = sinon.stub(console, "error");
    const path = `${CLUSTER}/backup/restoreJobs`;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(t.emulator.port, "127.0.0.1", () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"delivery`,
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on("error", reject);
    });
    const requests = async () =>
      (await t.admin.requests()).filter((r) => r.path === path && r.status === "reset").length;
    await until(async () => (await requests()) === 1, "the abandoned request in the log");
    sinon.assert.notCalled(logged);
    assert.strictEqual((await t.atlas.get(CLUSTER)).status, 200, "and serves on");

    const tunnel = await rawRequest(
      t.emulator.port,
      "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
    );
    assert.strictEqual(tunnel.status, 400);
    assert.strictEqual((JSON.parse(tunnel.body) as ApiErrorBody).errorCode, "INVALID_REQUEST_TARGET");
    const onPath = await rawRequest(t.emulator.port, `CONNECT ${CLUSTER} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.strictEqual(onPath.status, 405);
    assert.match(onPath.headers, /\r\nAllow: GET, HEAD\r\n/);
    assert.match(onPath.headers, /\r\nX-Error-Code: METHOD_NOT_ALLOWED\r\n/);
  });

  it("12. wraps an error as {status, content} with envelope=true, as any single resource", async () => {
    const answer = await t.atlas.get(`${group(G, "/clusters/nope")}?envelope=true`);
    assert.strictEqual(answer.status, 404);
    const body = answer.body as { status: number; content: ApiErrorBody };
    assert.strictEqual(body.status, 404);
    assert.strictEqual(body.content.errorCode, "CLUSTER_NOT_FOUND");
    const bad = await t.atlas.post(`${CLUSTER}/backup/restoreJobs?envelope=true`, { deliveryType: "copy" });
    assert.deepStrictEqual(
      [(bad.body as { status: number }).status, (bad.body as { content: ApiErrorBody }).content.errorCode],
      [400, "INVALID_ENUM_VALUE"],
    );
    // A success's envelope carries its own status too: 201 for a collection restore's create.
    const created = await t.atlas.post(`${CLUSTER}/collectionRestoreJobs?envelope=true`, {
      snapshotId: CLUSTER_SNAPSHOT,
      targetClusterName: "staging-cluster",
      targetGroupId: "6650a1b2c3d4e5f6a7b8c9d1",
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
      collections: [{ sourceNamespace: "orders.customers" }],
    });
    assert.deepStrictEqual([created.status, (created.body as { status: number }).status], [201, 201]);
  });

  describe("13. the seed's curl, which sends 2024-05-30 to an operation whose only version is 2023-01-01", () => {
    /** The restore POST as the seed document's curl sends it, with `auth` and a body `Content-Type`. */
    const postRestore = async (auth: string[], contentType: string) => {
      const out = await curl([
        ...auth,
        "--header",
        "Accept: application/vnd.atlas.2024-05-30+json",
        "--header",
        `Content-Type: ${contentType}`,
        "-X",
        "POST",
        `${t.emulator.url}${group(G, "/serverless/prod-orders/backup/restoreJobs")}`,
        "--data",
        JSON.stringify(automatedRestore()),
        "-w",
        "\n%{http_code}\n%{content_type}",
      ]);
      const [body, status, type] = out.split("\n");
      assert.strictEqual(status, "200", out);
      assert.strictEqual(type, `${V1};charset=utf-8`, "the version served is named");
      return JSON.parse(body!) as { id: string; targetGroupId: string };
    };

    it("works with a service account's Bearer token", async function () {
      this.timeout(10_000);
      const basic = Buffer.from(`${ACCOUNT.clientId}:${ACCOUNT.clientSecret}`).toString("base64");
      const token = JSON.parse(
        await curl([
          "-fsS",
          "--request",
          "POST",
          `${t.emulator.url}/api/oauth/token`,
          "--header",
          `Authorization: Basic ${basic}`,
          "--header",
          "Content-Type: application/x-www-form-urlencoded",
          "--header",
          "Accept: application/json",
          "--data",
          "grant_type=client_credentials",
        ]),
      ) as { access_token: string };
      const job = await postRestore(
        ["--header", `Authorization: Bearer ${token.access_token}`],
        "application/json",
      );
      assert.strictEqual(job.targetGroupId, G);
    });

    it("works with an API key over --digest", async function () {
      this.timeout(10_000);
      const job = await postRestore(
        ["--user", `${KEY.publicKey}:${KEY.privateKey}`, "--digest"],
        "application/vnd.atlas.2024-05-30+json",
      );
      assert.match(job.id, /^[a-f0-9]{24}$/);
      assert.strictEqual((await t.admin.jobs()).length, 1, "one job, the challenge created nothing");
    });
  });
});
