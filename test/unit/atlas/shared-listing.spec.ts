import assert from "node:assert";

import {
  createListingShare,
  SHARED,
  SHARED_LISTING_MAX_AGE_MS,
  sharedFirst,
} from "../../../provider/atlas/shared-listing";
import { fakeAdapterClient, fakeClock, jobFixture } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";

/** A listing that counts its calls and answers when the test says. */
function pendingLists() {
  const calls: ((items: string[]) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  return {
    calls,
    failures,
    list: () =>
      new Promise<string[]>((resolve, reject) => {
        calls.push(resolve);
        failures.push(reject);
      }),
  };
}

describe("shared listings", () => {
  it("answers concurrent shared listings of one key with one request", async () => {
    const share = createListingShare(fakeClock(0));
    const lists = pendingLists();
    const answers = [1, 2, 3].map(() => share.get("k", lists.list, SHARED));
    assert.strictEqual(lists.calls.length, 1);
    lists.calls[0]!(["a", "b"]);
    assert.deepStrictEqual(await Promise.all(answers), [
      ["a", "b"],
      ["a", "b"],
      ["a", "b"],
    ]);
  });

  it("hands each caller its own array", async () => {
    const share = createListingShare(fakeClock(0));
    const first = share.get("k", async () => ["a"], SHARED);
    const second = share.get("k", async () => ["b"], SHARED);
    (await first).push("mine");
    assert.deepStrictEqual(await second, ["a"]);
  });

  it("reuses an answer for as long as the caller allows, then lists again", async () => {
    const clock = fakeClock(0);
    const share = createListingShare(clock);
    let calls = 0;
    const list = async () => [String(++calls)];
    assert.deepStrictEqual(await share.get("k", list, SHARED), ["1"]);
    clock.advance(SHARED_LISTING_MAX_AGE_MS);
    assert.deepStrictEqual(await share.get("k", list, SHARED), ["1"]);
    clock.advance(1);
    assert.deepStrictEqual(await share.get("k", list, SHARED), ["2"]);
  });

  it("never serves a listing that did not ask to share, but lets it refresh the shared answer", async () => {
    const share = createListingShare(fakeClock(0));
    let calls = 0;
    const list = async () => [String(++calls)];
    await share.get("k", list, SHARED);
    assert.deepStrictEqual(await share.get("k", list), ["2"]);
    assert.deepStrictEqual(await share.get("k", list, SHARED), ["2"]);
  });

  it("keeps keys apart", async () => {
    const share = createListingShare(fakeClock(0));
    assert.deepStrictEqual(await share.get("a", async () => ["a"], SHARED), ["a"]);
    assert.deepStrictEqual(await share.get("b", async () => ["b"], SHARED), ["b"]);
  });

  it("shares a failure with the callers waiting for it, and no one after", async () => {
    const share = createListingShare(fakeClock(0));
    const lists = pendingLists();
    const waiting = [share.get("k", lists.list, SHARED), share.get("k", lists.list, SHARED)];
    lists.failures[0]!(new Error("503"));
    for (const answer of waiting) await assert.rejects(answer, /503/);
    const again = share.get("k", lists.list, SHARED);
    assert.strictEqual(lists.calls.length, 2);
    lists.calls[1]!(["ok"]);
    assert.deepStrictEqual(await again, ["ok"]);
  });

  it("adds a job this process created to the shared listing, and to no listing not yet made", async () => {
    const share = createListingShare(fakeClock(0));
    share.record("k", "early");
    assert.deepStrictEqual(await share.get("k", async () => ["a"], SHARED), ["a"]);
    share.record("k", "new");
    assert.deepStrictEqual(await share.get("k", async () => ["unused"], SHARED), ["new", "a"]);
  });

  it("is wired into the client's creates: a shared listing shows the job a POST just created", async () => {
    const { client } = fakeAdapterClient([
      { status: 200, body: { results: [], totalCount: 0 } },
      { status: 200, body: jobFixture() },
    ]);
    assert.deepStrictEqual(await client.listServerlessRestoreJobs(GROUP, "prod", SHARED), []);
    const body = { deliveryType: "automated" as const, targetClusterName: "stage", targetGroupId: GROUP };
    const job = await client.createServerlessRestoreJob(GROUP, "prod", body);
    assert.deepStrictEqual(await client.listServerlessRestoreJobs(GROUP, "prod", SHARED), [job]);
  });

  it("shares only the first listing of a starter: later ones look for a job a POST created", () => {
    const asked: unknown[] = [];
    const list = sharedFirst(async (reuse) => (asked.push(reuse), []));
    void list();
    void list();
    void list();
    assert.deepStrictEqual(asked, [SHARED, undefined, undefined]);
  });

  it("is wired into the client's job listings: one request for two shared listings", async () => {
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: [jobFixture()], totalCount: 1 } },
    ]);
    const [a, b] = await Promise.all([
      client.listServerlessRestoreJobs(GROUP, "prod", SHARED),
      client.listServerlessRestoreJobs(GROUP, "prod", SHARED),
    ]);
    assert.deepStrictEqual(a, b);
    assert.strictEqual(adapter.seen.length, 1);
  });
});
