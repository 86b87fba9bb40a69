import assert from "node:assert";

import { CONTRACT_OPERATIONS } from "../contract";
import {
  automatedRestore,
  CLUSTER_SNAPSHOT,
  FLEX_SNAPSHOT,
  G,
  group,
  IN_PROGRESS_SNAPSHOT,
  OTHER,
  SHARDED_SNAPSHOT,
  SNAPSHOT,
  startTestEmulator,
  type TestEmulator,
  V1,
  V2,
} from "../helpers";

type ApiError = { errorCode: string; detail: string; badRequestDetail?: { fields: { field: string }[] } };
const error = (body: unknown) => body as ApiError;

describe("emulator routes, versions, validation and pages over HTTP", () => {
  let t: TestEmulator;
  before(async () => (t = await startTestEmulator()));
  after(() => t.emulator.close());

  it("serves every operation of the OpenAPI files, each answer valid", async () => {
    const download = await t.atlas.post(group(G, "/flexClusters/prod-orders/backup/download"), {
      snapshotId: FLEX_SNAPSHOT,
    });
    const flexJob = (download.body as { id: string }).id;
    const job = (
      await t.atlas.post(group(G, "/serverless/prod-orders/backup/restoreJobs"), automatedRestore())
    ).body as { id: string };
    const flexRestore = await t.atlas.post(group(G, "/flexClusters/prod-orders/backup/restoreJobs"), {
      snapshotId: FLEX_SNAPSHOT,
      targetDeploymentItemName: "staging-orders",
    });
    const gets = [
      "/serverless",
      "/serverless/prod-orders",
      "/serverless/prod-orders/backup/snapshots",
      `/serverless/prod-orders/backup/snapshots/${SNAPSHOT}`,
      "/serverless/prod-orders/backup/restoreJobs",
      `/serverless/prod-orders/backup/restoreJobs/${job.id}`,
      "/flexClusters/prod-orders",
      "/flexClusters/prod-orders/backup/snapshots",
      `/flexClusters/prod-orders/backup/snapshots/${FLEX_SNAPSHOT}`,
      "/flexClusters/prod-orders/backup/restoreJobs",
      `/flexClusters/prod-orders/backup/restoreJobs/${flexJob}`,
    ];
    const clusterJob = (
      await t.atlas.post(group(G, "/clusters/prod-cluster/backup/restoreJobs"), {
        deliveryType: "automated",
        snapshotId: CLUSTER_SNAPSHOT,
        targetClusterName: "staging-cluster",
        targetGroupId: OTHER,
      })
    ).body as { id: string };
    const taken = await t.atlas.post(group(G, "/clusters/prod-cluster/backup/snapshots"), {
      description: "before the migration",
    });
    gets.push(
      "/clusters/prod-cluster",
      "/clusters/prod-cluster/backup/snapshots",
      `/clusters/prod-cluster/backup/snapshots/${CLUSTER_SNAPSHOT}`,
      `/clusters/prod-sharded/backup/snapshots/shardedCluster/${SHARDED_SNAPSHOT}`,
      "/clusters/prod-sharded/backup/snapshots/shardedClusters",
      "/clusters/prod-cluster/backup/restoreJobs",
      `/clusters/prod-cluster/backup/restoreJobs/${clusterJob.id}`,
    );
    for (const path of gets) assert.strictEqual((await t.atlas.get(group(G, path))).status, 200, path);
    assert.strictEqual(flexRestore.status, 200);
    assert.strictEqual(taken.status, 200);
    const collectionJob = await t.atlas.post(group(G, "/clusters/prod-cluster/collectionRestoreJobs"), {
      snapshotId: CLUSTER_SNAPSHOT,
      targetClusterName: "staging-cluster",
      targetGroupId: OTHER,
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
      collections: [{ sourceNamespace: "orders.customers" }],
    });
    assert.strictEqual(collectionJob.status, 201);
    const collectionJobs = `/clusters/prod-cluster/collectionRestoreJobs/${(collectionJob.body as { id: string }).id}`;
    t.clock.advance(500);
    for (const path of [
      "/clusters/prod-cluster/collectionRestoreJobs",
      collectionJobs,
      `${collectionJobs}/collections`,
      `${collectionJobs}/collections/orders.customers`,
    ])
      assert.strictEqual((await t.atlas.get(group(G, path))).status, 200, path);
    const clusterDownload = (
      await t.atlas.post(group(G, "/clusters/prod-cluster/backup/restoreJobs"), {
        deliveryType: "download",
        snapshotId: CLUSTER_SNAPSHOT,
      })
    ).body as { id: string };
    const cancel = await t.atlas.request(
      "DELETE",
      group(G, `/clusters/prod-cluster/backup/restoreJobs/${clusterDownload.id}`),
    );
    assert.strictEqual(cancel.status, 204);
    const { byOperation } = await t.admin.counters();
    assert.deepStrictEqual(
      CONTRACT_OPERATIONS.filter((op) => !byOperation[op]),
      [],
      "every contract operation was served",
    );
  });

  describe("versioned media types", () => {
    it("names the version served in Content-Type, in UTF-8: 2023-01-01 for serverless, 2024-11-13 for flex", async () => {
      const serverless = await t.atlas.get(group(G, "/serverless/prod-orders"));
      assert.strictEqual(serverless.headers.get("content-type"), `${V1};charset=utf-8`);
      const flex = await t.atlas.get(group(G, "/flexClusters/prod-orders"));
      assert.strictEqual(flex.headers.get("content-type"), `${V2};charset=utf-8`);
    });

    it("serves the newest version dated on or before the date asked", async () => {
      // The OpenAPI's own examples send 2025-03-12 to every operation, whatever its versions.
      const later = await t.atlas.get(group(G, "/serverless/prod-orders"), { accept: V2 });
      assert.strictEqual(later.status, 200);
      assert.strictEqual(later.headers.get("content-type"), `${V1};charset=utf-8`);
      const created = await t.atlas.post(
        group(G, "/serverless/prod-orders/backup/restoreJobs"),
        automatedRestore(),
        {
          accept: "application/vnd.atlas.2024-05-30+json",
        },
      );
      assert.strictEqual(created.status, 200);
    });

    it("refuses a missing version, or one older than every version, with 406, an impossible date with 400", async () => {
      const path = group(G, "/serverless/prod-orders");
      for (const accept of [null, "application/json", "application/vnd.atlas.2022-12-31+json"]) {
        const answer = await t.atlas.get(path, { accept });
        assert.strictEqual(answer.status, 406, String(accept));
        assert.strictEqual(error(answer.body).errorCode, "INVALID_VERSION_DATE");
      }
      const flexWithV1 = await t.atlas.get(group(G, "/flexClusters/prod-orders"), { accept: V1 });
      assert.strictEqual(flexWithV1.status, 406);
      const impossible = await t.atlas.get(path, { accept: "application/vnd.atlas.2023-13-45+json" });
      assert.strictEqual(impossible.status, 400);
      assert.strictEqual(error(impossible.body).errorCode, "INVALID_VERSION_DATE");
    });

    it("refuses a body of another media type with 415", async () => {
      const answer = await t.atlas.post(
        group(G, "/serverless/prod-orders/backup/restoreJobs"),
        automatedRestore(),
        {
          contentType: "text/plain",
        },
      );
      assert.strictEqual(answer.status, 415);
    });
  });

  describe("validation and not-found answers", () => {
    const create = (body: unknown) =>
      t.atlas.post(group(G, "/serverless/prod-orders/backup/restoreJobs"), body);

    it("lists every missing attribute, even for a download", async () => {
      const answer = await create({ deliveryType: "download", snapshotId: SNAPSHOT });
      assert.strictEqual(answer.status, 400);
      assert.strictEqual(error(answer.body).errorCode, "MISSING_ATTRIBUTE");
      assert.deepStrictEqual(
        error(answer.body).badRequestDetail?.fields.map((f) => f.field),
        ["targetClusterName", "targetGroupId"],
      );
    });

    it("refuses an unknown delivery type, a bad id, a time before 2008 and unknown attributes", async () => {
      assert.strictEqual(
        error((await create(automatedRestore({ deliveryType: "copy" }))).body).errorCode,
        "INVALID_ENUM_VALUE",
      );
      assert.strictEqual(
        error((await create(automatedRestore({ snapshotId: "abc" }))).body).errorCode,
        "INVALID_ATTRIBUTE",
      );
      const early = await create(
        automatedRestore({ deliveryType: "pointInTime", snapshotId: undefined, pointInTimeUTCSeconds: 1 }),
      );
      assert.deepStrictEqual(
        error(early.body).badRequestDetail?.fields.map((f) => f.field),
        ["pointInTimeUTCSeconds"],
      );
      assert.strictEqual(
        error((await create(automatedRestore({ colour: "red" }))).body).errorCode,
        "INVALID_ATTRIBUTE",
      );
    });

    it("refuses malformed JSON and a missing snapshot for an automated restore", async () => {
      assert.strictEqual(error((await create("{not json")).body).errorCode, "INVALID_JSON");
      const noSnapshot = await create(automatedRestore({ snapshotId: undefined }));
      assert.strictEqual(error(noSnapshot.body).errorCode, "MISSING_ATTRIBUTE");
    });

    it("refuses a snapshot that is not completed, and a point in time with nothing before it", async () => {
      const running = await create(automatedRestore({ snapshotId: IN_PROGRESS_SNAPSHOT }));
      assert.deepStrictEqual(
        [running.status, error(running.body).errorCode],
        [400, "SNAPSHOT_NOT_COMPLETED"],
      );
      const tooEarly = await create(
        automatedRestore({
          deliveryType: "pointInTime",
          snapshotId: undefined,
          pointInTimeUTCSeconds: 1_600_000_000,
        }),
      );
      assert.deepStrictEqual(
        [tooEarly.status, error(tooEarly.body).errorCode],
        [400, "INVALID_RESTORE_TIME"],
      );
    });

    it("answers 404 with Atlas's codes for unknown instances, clusters, snapshots, jobs and routes", async () => {
      const cases: Array<[string, string]> = [
        ["/serverless/nope", "SERVERLESS_INSTANCE_NOT_FOUND"],
        ["/serverless/nope/backup/snapshots", "SERVERLESS_INSTANCE_NOT_FOUND"],
        ["/flexClusters/nope", "FLEX_CLUSTER_NOT_FOUND"],
        ["/flexClusters/nope/backup/restoreJobs", "FLEX_CLUSTER_NOT_FOUND"],
        [`/serverless/prod-orders/backup/snapshots/${FLEX_SNAPSHOT}`, "SNAPSHOT_NOT_FOUND"],
        ["/serverless/prod-orders/backup/restoreJobs/aaaaaaaaaaaaaaaaaaaaaaaa", "RESTORE_JOB_NOT_FOUND"],
        ["/flexClusters/prod-orders/backup/restoreJobs/aaaaaaaaaaaaaaaaaaaaaaaa", "RESTORE_JOB_NOT_FOUND"],
      ];
      for (const [path, code] of cases) {
        const answer = await t.atlas.get(group(G, path));
        assert.deepStrictEqual([answer.status, error(answer.body).errorCode], [404, code], path);
      }
      const target = await create(automatedRestore({ targetClusterName: "nope" }));
      assert.deepStrictEqual(
        [target.status, error(target.body).errorCode],
        [404, "SERVERLESS_INSTANCE_NOT_FOUND"],
      );
      const route = await t.atlas.get("/api/atlas/v2/clusters");
      assert.deepStrictEqual([route.status, error(route.body).errorCode], [404, "RESOURCE_NOT_FOUND"]);
    });

    it("does not show a job through another cluster's path", async () => {
      const job = (await create(automatedRestore())).body as { id: string };
      const other = await t.atlas.get(group(G, `/serverless/staging-orders/backup/restoreJobs/${job.id}`));
      assert.strictEqual(other.status, 404);
      const flex = await t.atlas.get(group(G, `/flexClusters/prod-orders/backup/restoreJobs/${job.id}`));
      assert.strictEqual(flex.status, 404);
    });

    it("checks path parameters against their patterns", async () => {
      const answer = await t.atlas.get(group("not-an-id", "/serverless/prod-orders"));
      assert.deepStrictEqual([answer.status, error(answer.body).errorCode], [400, "INVALID_PARAMETER"]);
    });

    it("answers 405 for a method a path does not take", async () => {
      const answer = await t.atlas.request("DELETE", group(G, "/serverless/prod-orders/backup/restoreJobs"));
      assert.strictEqual(answer.status, 405);
    });
  });

  describe("pages, envelope and pretty", () => {
    const snapshots = group(G, "/serverless/prod-orders/backup/snapshots");

    it("pages newest first with totalCount and self/next/previous links", async () => {
      const first = (await t.atlas.get(`${snapshots}?itemsPerPage=2`)).body as {
        results: { id: string; createdAt: string }[];
        totalCount: number;
        links: { rel: string; href: string }[];
      };
      assert.strictEqual(first.totalCount, 5);
      assert.deepStrictEqual(
        first.links.map((l) => l.rel),
        ["self", "next"],
      );
      assert.ok(first.results[0]!.createdAt > first.results[1]!.createdAt);
      const next = first.links.find((l) => l.rel === "next")!.href;
      const second = (await t.atlas.get(next.slice(t.emulator.url.length))).body as {
        results: { id: string }[];
        links: { rel: string }[];
      };
      assert.deepStrictEqual(
        second.links.map((l) => l.rel),
        ["previous", "self", "next"],
      );
      assert.notStrictEqual(second.results[0]!.id, first.results[0]!.id);
      const last = (await t.atlas.get(`${snapshots}?itemsPerPage=2&pageNum=3&includeCount=false`))
        .body as Record<string, unknown>;
      assert.strictEqual((last.results as unknown[]).length, 1);
      assert.strictEqual("totalCount" in last, false);
    });

    it("refuses itemsPerPage outside 1..500", async () => {
      const answer = await t.atlas.get(`${snapshots}?itemsPerPage=501`);
      assert.deepStrictEqual([answer.status, error(answer.body).errorCode], [400, "INVALID_PARAMETER"]);
    });

    it("wraps one resource as {status, content} and adds status to a page with envelope=true", async () => {
      const one = await t.atlas.get(`${group(G, "/serverless/prod-orders")}?envelope=true`);
      assert.deepStrictEqual(Object.keys(one.body as object).sort(), ["content", "status"]);
      const page = await t.atlas.get(`${snapshots}?envelope=true`);
      assert.strictEqual((page.body as { status: number }).status, 200);
      assert.ok(Array.isArray((page.body as { results: unknown[] }).results));
    });

    it("indents with pretty=true, errors included", async () => {
      const pretty = await t.atlas.get(`${group(G, "/serverless/prod-orders")}?pretty=true`);
      assert.match(pretty.text, /^\{\n {2}"/);
      const compact = await t.atlas.get(group(G, "/serverless/prod-orders"));
      assert.ok(!compact.text.includes("\n"));
      const prettyError = await t.atlas.get(`${group(G, "/serverless/nope")}?pretty=true`);
      assert.match(prettyError.text, /^\{\n {2}"/);
    });
  });
});
