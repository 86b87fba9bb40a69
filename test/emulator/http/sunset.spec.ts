import assert from "node:assert";

import { defaultSeed } from "../../../emulator";
import {
  automatedRestore,
  FLEX_SNAPSHOT,
  G,
  group,
  OTHER,
  SNAPSHOT,
  startTestEmulator,
  type TestEmulator,
} from "../helpers";

const errorCode = (body: unknown) => (body as { errorCode: string }).errorCode;

describe("emulator serverless sunset over HTTP", () => {
  let t: TestEmulator;
  afterEach(() => t.emulator.close());

  it("gone: every serverless operation answers 410 VERSION_GONE; flex serves the same names", async () => {
    t = await startTestEmulator({ sunset: "gone" });
    const paths = [
      "/serverless",
      "/serverless/prod-orders",
      "/serverless/prod-orders/backup/snapshots",
      `/serverless/prod-orders/backup/snapshots/${SNAPSHOT}`,
      "/serverless/prod-orders/backup/restoreJobs",
      "/serverless/prod-orders/backup/restoreJobs/aaaaaaaaaaaaaaaaaaaaaaaa",
    ];
    for (const path of paths) {
      const answer = await t.atlas.get(group(G, path));
      assert.deepStrictEqual([answer.status, errorCode(answer.body)], [410, "VERSION_GONE"], path);
    }
    const post = await t.atlas.post(
      group(G, "/serverless/prod-orders/backup/restoreJobs"),
      automatedRestore(),
    );
    assert.strictEqual(post.status, 410);
    assert.strictEqual((await t.admin.jobs()).length, 0);
    assert.strictEqual((await t.atlas.get(group(G, "/flexClusters/prod-orders"))).status, 200);
    const flex = await t.atlas.post(group(G, "/flexClusters/prod-orders/backup/restoreJobs"), {
      snapshotId: FLEX_SNAPSHOT,
      targetDeploymentItemName: "staging-orders",
    });
    assert.strictEqual(flex.status, 200);
  });

  it("migrated: instances that became flex clusters answer 404 SERVERLESS_INSTANCE_NOT_FOUND; others still serve", async () => {
    const seed = defaultSeed();
    seed.serverlessInstances.push({
      id: "6650a1b2c3d4e5f6a7b8ca09",
      groupId: G,
      name: "legacy-only",
      snapshots: [],
    });
    t = await startTestEmulator({ seed, sunset: "migrated" });
    for (const path of ["/serverless/prod-orders", "/serverless/prod-orders/backup/snapshots"]) {
      const answer = await t.atlas.get(group(G, path));
      assert.deepStrictEqual(
        [answer.status, errorCode(answer.body)],
        [404, "SERVERLESS_INSTANCE_NOT_FOUND"],
        path,
      );
    }
    assert.strictEqual((await t.atlas.get(group(G, "/serverless/legacy-only"))).status, 200);
    const list = (await t.atlas.get(group(G, "/serverless"))).body as { results: { name: string }[] };
    assert.deepStrictEqual(
      list.results.map((r) => r.name),
      ["legacy-only"],
    );
    assert.strictEqual((await t.atlas.get(group(G, "/flexClusters/prod-orders"))).status, 200);
  });

  it("can be switched at run time, and back", async () => {
    t = await startTestEmulator();
    const get = async () => (await t.atlas.get(group(OTHER, "/serverless/staging-orders"))).status;
    assert.strictEqual(await get(), 200);
    await t.admin.setOptions({ sunset: "migrated" });
    assert.strictEqual(await get(), 404);
    await t.admin.setOptions({ sunset: "gone" });
    assert.strictEqual(await get(), 410);
    await t.admin.setOptions({ sunset: "off" });
    assert.strictEqual(await get(), 200);
  });
});
