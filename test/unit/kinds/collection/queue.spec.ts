import assert from "node:assert";

import type { CollectionRestoreJob } from "../../../../provider/atlas/collection-wire";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import { collectionSpec } from "../../../../provider/kinds/collection/spec";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import type { Session } from "../../../../provider/restore/types";
import { fakeAtlasClient, fakeSession } from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const SNAPSHOT = "bbbbbbbbbbbbbbbbbbbbbbbb";
const S = 1_000;
const LENGTH_MS = 90 * S;

/**
 * A source cluster as Atlas runs it: one collection restore at a time (409 for a second while one
 * runs), each taking {@link LENGTH_MS}, copying its documents evenly from a tenth of its length to
 * eight tenths. Records when each POST came and how it was answered.
 */
function oneAtATime(clock: { now(): number }) {
  const jobs: (CollectionRestoreJob & { startedMs: number })[] = [];
  const posts: { at: number; refused: boolean }[] = [];
  const view = (job: (typeof jobs)[number]): CollectionRestoreJob => {
    const elapsed = clock.now() - job.startedMs;
    const share = Math.min(1, Math.max(0, (elapsed / LENGTH_MS - 0.1) / 0.7));
    const done = elapsed >= LENGTH_MS;
    return {
      ...job,
      state: done ? "SUCCESSFUL" : elapsed < 0.1 * LENGTH_MS ? "INITIALIZING" : "IN_PROGRESS",
      restoredDocuments: Math.floor(1000 * share),
      ...(done ? { finishedAt: new Date(job.startedMs + LENGTH_MS).toISOString() } : {}),
    };
  };
  const running = () => jobs.some((job) => view(job).state !== "SUCCESSFUL");
  const client = fakeAtlasClient({
    listCollectionRestoreJobs: async () => jobs.map(view),
    getCollectionRestoreJob: async (_g, _c, id) => view(jobs.find((job) => job.id === id)!),
    listCollectionRestoreStates: async () => [],
    createCollectionRestoreJob: async (_g, _c, body) => {
      const refused = running();
      posts.push({ at: clock.now(), refused });
      if (refused) throw new AtlasApiError({ status: 409, method: "POST", path: "/x", errorCode: "BUSY" });
      const job = {
        ...body,
        id: (0x6650a1b2 + jobs.length).toString(16) + "c3d4e5f6a7b8c9d0",
        createdAt: new Date(clock.now()).toISOString(),
        startedMs: clock.now(),
        state: "INITIALIZING",
        totalDocuments: 1000,
        restoredDocuments: 0,
      } as CollectionRestoreJob & { startedMs: number };
      jobs.push(job);
      return view(job);
    },
  });
  return { client, jobs, posts };
}

describe("collection restores of one source take turns", () => {
  it("start one after another, in arrival order, each soon after the one before ends", async () => {
    const base = fakeSession(fakeAtlasClient({}));
    const cluster = oneAtATime(base.clock);
    const session: Session = {
      ...base.session,
      client: cluster.client,
      poll: { minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" },
    };
    const { start } = createLifecycles(collectionSpec, () => session, base.clock);
    const raw = (i: number) => ({
      __provider: "p",
      groupId: GROUP,
      clusterName: "prod-cluster",
      snapshotId: SNAPSHOT,
      targetClusterName: "staging-cluster",
      collections: [{ sourceNamespace: "orders.orders", targetNamespace: `copy_${i}.orders` }],
    });
    const checked = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => (await start.check({}, raw(i))).inputs!),
    );
    const started = await Promise.all(checked.map((inputs) => start.create(inputs)));

    assert.deepStrictEqual(
      cluster.posts.map((p) => p.refused),
      [false, false, false, false, false],
      "no POST is refused",
    );
    // In arrival order: the i-th resource got the i-th job.
    assert.deepStrictEqual(
      started.map((s) => s.id),
      cluster.jobs.map((job) => job.id),
    );
    const gaps = cluster.posts.slice(1).map((post, i) => post.at - (cluster.posts[i]!.at + LENGTH_MS));
    for (const gap of gaps) assert.ok(gap >= 0 && gap <= 10 * S, `idle for ${gap} ms: ${gaps.join(", ")}`);
    // Once two jobs ended, the next ones are forecast from them too, and noticed sooner.
    for (const gap of gaps.slice(2)) assert.ok(gap <= 3 * S, `idle for ${gap} ms: ${gaps.join(", ")}`);
  });
});
