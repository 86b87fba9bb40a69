import assert from "node:assert";

import sinon from "sinon";

import { AtlasApiError } from "../../../provider/atlas/errors";
import {
  CLOCK_SKEW_MS,
  createAtMostOnce,
  matches,
  MAX_POSTS,
  RESEND_FLOOR_MS,
} from "../../../provider/restore/at-most-once";
import type { JobSource, PendingIntent } from "../../../provider/restore/types";
import { fakeClock } from "../../helpers/fakes";

interface Job {
  id: string;
  target?: string;
  snapshot?: string;
  moment?: number;
  running?: boolean;
  createdAt?: number;
}

const lost = () => new AtlasApiError({ method: "POST", path: "/api/x", networkCode: "ECONNRESET" });
const refused = () =>
  new AtlasApiError({ status: 400, method: "POST", path: "/api/x", errorCode: "INVALID" });

/** A job source over a mutable list, whose POST runs `post` (by default: a new job appears). */
function source(jobs: Job[], intent: Record<string, unknown>, options: { createdAt?: boolean } = {}) {
  const created: Job = { id: "new", target: "stage", snapshot: "s1", running: true };
  const src = {
    list: sinon.fake(async () => jobs.map((job) => ({ ...job }))),
    get: sinon.fake(async (id: string) => {
      const job = jobs.find((j) => j.id === id);
      if (!job) throw new AtlasApiError({ status: 404, method: "GET", path: "/api/x" });
      return job;
    }),
    create: sinon.stub<[], Promise<Job>>().callsFake(async () => (jobs.push(created), created)),
    intent,
    reported: (job: Job) => ({ target: job.target, snapshot: job.snapshot, moment: job.moment }),
    running: (job: Job) => job.running === true,
    ...(options.createdAt ? { createdAt: (job: Job) => job.createdAt } : {}),
  } satisfies JobSource<Job>;
  return src;
}

function context(pending?: PendingIntent) {
  const clock = fakeClock();
  const remembered: PendingIntent[] = [];
  const messages: string[] = [];
  return {
    clock,
    remembered,
    messages,
    forgotten: sinon.fake(),
    options: {
      clock,
      log: {
        info: (m: string) => messages.push(`info: ${m}`),
        warn: (m: string) => messages.push(`warn: ${m}`),
      },
      remember: (intent: PendingIntent) => void remembered.push(intent),
      ...(pending ? { pending } : {}),
    },
  };
}

const INTENT = { target: "stage", snapshot: "s1" };

describe("at most one restore per intent", () => {
  afterEach(() => sinon.restore());

  describe("matching", () => {
    const src = source([], { target: "stage", moment: 1_800_000_000 });

    it("strict: every field the intent names is reported and equal", () => {
      assert.strictEqual(matches(src, { id: "a", target: "stage", moment: 1_800_000_000 }, "strict"), true);
      assert.strictEqual(matches(src, { id: "a", target: "stage", moment: 1_700_000_000 }, "strict"), false);
      // The defect: a field the job does not report counted as a match.
      assert.strictEqual(matches(src, { id: "a", target: "stage" }, "strict"), false);
    });

    it("lenient: a field the job leaves out does not count against it, a different one does", () => {
      assert.strictEqual(matches(src, { id: "a", target: "stage" }, "lenient"), true);
      assert.strictEqual(matches(src, { id: "a", target: "stage", moment: 1_700_000_000 }, "lenient"), false);
    });
  });

  it("starts a job and journals the attempt before the POST and the job after it", async () => {
    const c = context();
    const src = source([{ id: "old", target: "stage", snapshot: "s1" }], INTENT);
    const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
    assert.deepStrictEqual([result.job.id, result.how], ["new", "started"]);
    const start = c.clock.now();
    assert.deepStrictEqual(c.remembered, [
      { attemptStartedAt: start, knownJobIds: ["old"], posts: 1 },
      { attemptStartedAt: start, knownJobIds: ["old"], posts: 1, jobId: "new" },
    ]);
  });

  it("adopts a running job only when it matches strictly (a running restore to another moment is not it)", async () => {
    const c = context();
    const other = { id: "t1", target: "stage", running: true, moment: 1_700_000_000 };
    const unreported = { id: "t0", target: "stage", running: true };
    const src = source([other, unreported], { target: "stage", moment: 1_800_000_000 });
    const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
    assert.strictEqual(result.how, "started");
    sinon.assert.calledOnce(src.create);

    const same = source([{ id: "t2", target: "stage", running: true, moment: 1_800_000_000 }], {
      target: "stage",
      moment: 1_800_000_000,
    });
    const adopted = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: same });
    assert.deepStrictEqual([adopted.job.id, adopted.how], ["t2", "running"]);
    sinon.assert.notCalled(same.create);
  });

  it("after an ambiguous POST waits the floor and lists twice before sending it again", async () => {
    const c = context();
    const jobs: Job[] = [];
    const src = source(jobs, INTENT);
    src.create.onCall(0).rejects(lost());
    const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
    assert.strictEqual(result.how, "started");
    sinon.assert.calledTwice(src.create);
    assert.strictEqual(src.list.callCount, 3, "the first listing, then two after the lost answer");
    assert.ok(src.list.getCall(2).calledBefore(src.create.getCall(1)));
    assert.ok(c.clock.sleeps.reduce((a, b) => a + b, 0) >= RESEND_FLOOR_MS);
    assert.strictEqual(c.remembered.at(-1)!.posts, 2);
  });

  it("adopts a job that appears after an ambiguous POST, even one that leaves a field out", async () => {
    const c = context();
    const jobs: Job[] = [];
    const src = source(jobs, INTENT);
    // The POST was carried out, its answer lost; the listing lags once.
    src.create.callsFake(async () => {
      jobs.push({ id: "lagging", target: "stage", running: true });
      throw lost();
    });
    let listings = 0;
    src.list = sinon.fake(async () => (listings++ < 2 ? [] : jobs.map((job) => ({ ...job }))));
    const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
    assert.deepStrictEqual([result.job.id, result.how], ["lagging", "ambiguous"]);
    sinon.assert.calledOnce(src.create);
    assert.ok(
      c.messages.some((m) => m.includes("got no clear answer, but the job exists; adopting it: lagging")),
    );
  });

  it(`sends at most ${MAX_POSTS} POSTs when every answer is lost and no job appears`, async () => {
    const c = context();
    const src = source([], INTENT);
    src.create.rejects(lost());
    await assert.rejects(createAtMostOnce({ ...c.options, forget: c.forgotten, source: src }), AtlasApiError);
    sinon.assert.callCount(src.create, MAX_POSTS);
    assert.ok(src.list.callCount >= 1 + 2 * MAX_POSTS);
  });

  it("never resends after a clear refusal, and forgets the attempt", async () => {
    const c = context();
    const src = source([], INTENT);
    src.create.rejects(refused());
    await assert.rejects(createAtMostOnce({ ...c.options, forget: c.forgotten, source: src }), /INVALID|400/);
    sinon.assert.calledOnce(src.create);
    sinon.assert.calledOnce(c.forgotten);
  });

  it("does not resend when the listings after an ambiguous POST keep failing", async () => {
    const c = context();
    const src = source([], INTENT);
    src.create.rejects(lost());
    let calls = 0;
    src.list = sinon.fake(async () => {
      if (calls++ === 0) return [];
      throw new AtlasApiError({ status: 503, method: "GET", path: "/api/x" });
    });
    await assert.rejects(createAtMostOnce({ ...c.options, forget: c.forgotten, source: src }), {
      status: 503,
    });
    sinon.assert.calledOnce(src.create);
  });

  describe("an earlier, interrupted attempt (the journal)", () => {
    const start = fakeClock().now();

    it("adopts the job it recorded, even when the listing does not show it yet", async () => {
      const jobs: Job[] = [{ id: "mine", target: "stage", snapshot: "s1" }];
      const src = source([], INTENT);
      src.get = sinon.fake(async (_id: string) => jobs[0]!);
      const c = context({ attemptStartedAt: start - 60_000, knownJobIds: [], posts: 1, jobId: "mine" });
      const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
      assert.deepStrictEqual([result.job.id, result.how], ["mine", "journal"]);
      sinon.assert.notCalled(src.create);
    });

    it("adopts a job that appeared after its unanswered POST, finished or not", async () => {
      const src = source([{ id: "old" }, { id: "appeared", target: "stage", snapshot: "s1" }], INTENT);
      const c = context({ attemptStartedAt: start - 60_000, knownJobIds: ["old"], posts: 1 });
      const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
      assert.deepStrictEqual([result.job.id, result.how], ["appeared", "journal"]);
    });

    it("never adopts a job created before the attempt that wrote the entry", async () => {
      const older = { id: "mine", target: "stage", snapshot: "s1", createdAt: start - 3_600_000 };
      const src = source([older], INTENT, { createdAt: true });
      const c = context({ attemptStartedAt: start - 60_000, knownJobIds: [], posts: 1, jobId: "mine" });
      const result = await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src });
      assert.strictEqual(result.how, "started");
      sinon.assert.calledOnce(src.create);
    });

    it("allows for clock skew in the creation time", async () => {
      const skewed = {
        id: "mine",
        target: "stage",
        snapshot: "s1",
        createdAt: start - 60_000 - CLOCK_SKEW_MS / 2,
      };
      const src = source([skewed], INTENT, { createdAt: true });
      const c = context({ attemptStartedAt: start - 60_000, knownJobIds: [], posts: 1, jobId: "mine" });
      assert.strictEqual(
        (await createAtMostOnce({ ...c.options, forget: c.forgotten, source: src })).how,
        "journal",
      );
    });
  });
});
