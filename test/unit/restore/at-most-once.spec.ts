import assert from "node:assert";

import sinon from "sinon";

import { AtlasApiError, AtlasDecodeError } from "../../../provider/atlas/errors";
import {
  createAtMostOnce,
  type CreateOnceOptions,
  matches,
  MAX_POSTS,
  objectIdTime,
  RESEND_FLOOR_MS,
  RestoreNotListedError,
  UndecidedRestoreError,
} from "../../../provider/restore/at-most-once";
import type { JobSource, PendingIntent } from "../../../provider/restore/types";
import { fakeClock } from "../../helpers/fakes";

interface Job {
  id: string;
  target?: string;
  snapshot?: string;
  moment?: number;
  running?: boolean;
}

/** Ids as Atlas makes them: ObjectIds, whose first 4 bytes are the creation time in seconds. */
const at = (seconds: number, n: number) =>
  seconds.toString(16).padStart(8, "0") + n.toString(16).padStart(16, "0");
const T = 1_795_000_000;
const OLD = at(T - 7200, 1);
const OLDER = at(T - 86_400, 2);
const NEW = at(T, 3);

const lost = () => new AtlasApiError({ method: "POST", path: "/api/x", networkCode: "ECONNRESET" });
const refused = () =>
  new AtlasApiError({ status: 400, method: "POST", path: "/api/x", errorCode: "INVALID" });
const busy = () => new AtlasApiError({ status: 409, method: "POST", path: "/api/x", errorCode: "CONFLICT" });

/** A job source over a mutable list, whose POST (by default) makes `created` appear. */
function source(jobs: Job[], intent: Record<string, unknown> = INTENT) {
  const created: Job = { id: NEW, target: "stage", snapshot: "s1", running: true };
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
  } satisfies JobSource<Job>;
  return src;
}

const INTENT = { target: "stage", snapshot: "s1" };

function context(extra: Partial<CreateOnceOptions<Job>> = {}) {
  const clock = fakeClock(T * 1000);
  const remembered: PendingIntent[] = [];
  const messages: string[] = [];
  const forgotten = sinon.fake();
  const options = (src: JobSource<Job>): CreateOnceOptions<Job> => ({
    clock,
    log: { info: (m) => messages.push(`info: ${m}`), warn: (m) => messages.push(`warn: ${m}`) },
    remember: (intent) => void remembered.push(intent),
    forget: forgotten,
    source: src,
    ...extra,
  });
  return { clock, remembered, messages, forgotten, options };
}

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

    it("reads an ObjectId's creation time, and nothing from another id", () => {
      assert.strictEqual(objectIdTime(NEW), T * 1000);
      assert.strictEqual(objectIdTime("mine"), undefined);
    });
  });

  it("starts a job and journals the attempt, with what it asks for, before the POST and the job after it", async () => {
    const c = context({ decision: { snapshotId: "s1", snapshotSource: "latest" } });
    const other = { id: OLD, target: "prod", snapshot: "s1" };
    const result = await createAtMostOnce(c.options(source([other])));
    assert.deepStrictEqual([result.job.id, result.how], [NEW, "started"]);
    const attempt = {
      attemptStartedAt: T * 1000,
      knownJobIds: [OLD],
      posts: 1,
      request: INTENT,
      snapshotId: "s1",
      snapshotSource: "latest",
    };
    assert.deepStrictEqual(c.remembered, [attempt, { ...attempt, jobId: NEW }]);
  });

  describe("a job of the intent that nothing records (a fresh runner, another stack, the console)", () => {
    for (const running of [true, false]) {
      it(`stops, naming it and both ways forward, when it is ${running ? "running" : "finished"}`, async () => {
        const c = context();
        const src = source([{ id: OLD, target: "stage", snapshot: "s1", running }]);
        await assert.rejects(createAtMostOnce(c.options(src)), (error: Error) => {
          assert.ok(error instanceof UndecidedRestoreError);
          assert.deepStrictEqual(error.jobIds, [OLD]);
          assert.match(
            error.message,
            new RegExp(
              `^a restore job of the same intent \\(what is restored, and where\\) ${running ? "is running" : "exists"} in Atlas; .*` +
                `set existingRestoreJobId to its id; to restore again anyway, add its id to triggers: ${OLD}$`,
            ),
          );
          return true;
        });
        sinon.assert.notCalled(src.create);
        assert.deepStrictEqual(c.remembered, []);
      });
    }

    it("stops on a job that differs only in what the provider chose (a newer snapshot since)", async () => {
      const c = context();
      const src = { ...source([{ id: OLD, target: "stage", snapshot: "s0" }]), chosen: ["snapshot"] };
      await assert.rejects(createAtMostOnce(c.options(src)), UndecidedRestoreError);
      // A snapshot the user gave is the intent itself: another one is another restore.
      const given = source([{ id: OLD, target: "stage", snapshot: "s0" }]);
      assert.strictEqual((await createAtMostOnce(c.options(given))).how, "started");
    });

    it("does not stop on one state held for this resource, nor on older ones; a newer one stops it", async () => {
      const jobs = () => [
        { id: OLDER, target: "stage", snapshot: "s1" },
        { id: OLD, target: "stage", snapshot: "s1" },
      ];
      const c = context({ held: [OLD] });
      assert.strictEqual((await createAtMostOnce(c.options(source(jobs())))).how, "started");
      const later = at(T - 60, 4);
      const again = context({ held: [OLD] });
      const src = source([...jobs(), { id: later, target: "stage", snapshot: "s1" }]);
      await assert.rejects(createAtMostOnce(again.options(src)), { jobIds: [later] });
    });

    it("does not stop on a job held elsewhere on this machine or named in triggers, which prove nothing older", async () => {
      const jobs = [
        { id: OLDER, target: "stage", snapshot: "s1" },
        { id: OLD, target: "stage", snapshot: "s1" },
      ];
      const c = context({ past: [OLD] });
      await assert.rejects(createAtMostOnce(c.options(source(jobs))), { jobIds: [OLDER] });
      const both = context({ past: [OLD, OLDER] });
      assert.strictEqual((await createAtMostOnce(both.options(source(jobs)))).how, "started");
    });

    it("adopts an on-demand snapshot still being taken, and ignores finished ones (adoptRunning)", async () => {
      const c = context({ unrecorded: "adoptRunning" });
      const running = source([{ id: OLD, target: "stage", snapshot: "s1", running: true }]);
      assert.deepStrictEqual((await createAtMostOnce(c.options(running))).how, "running");
      assert.ok(c.messages.some((m) => m.includes(`already running; adopting it: ${OLD}`)));
      const finished = source([{ id: OLD, target: "stage", snapshot: "s1" }]);
      assert.strictEqual((await createAtMostOnce(c.options(finished))).how, "started");
    });
  });

  it("after an ambiguous POST waits the floor and lists twice before sending it again", async () => {
    const c = context();
    const src = source([]);
    src.create.onCall(0).rejects(lost());
    const result = await createAtMostOnce(c.options(src));
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
    const src = source(jobs);
    // The POST was carried out, its answer lost; the listing lags once.
    src.create.callsFake(async () => {
      jobs.push({ id: NEW, target: "stage", running: true });
      throw lost();
    });
    let listings = 0;
    src.list = sinon.fake(async () => (listings++ < 2 ? [] : jobs.map((job) => ({ ...job }))));
    const result = await createAtMostOnce(c.options(src));
    assert.deepStrictEqual([result.job.id, result.how], [NEW, "ambiguous"]);
    sinon.assert.calledOnce(src.create);
    assert.ok(
      c.messages.some((m) => m.includes(`got no clear answer, but the job exists; adopting it: ${NEW}`)),
    );
  });

  it("recognises its own job after an ambiguous POST whatever this machine's clock says (hours ahead)", async () => {
    const c = context();
    c.clock.advance(3_600_000);
    const jobs: Job[] = [];
    const src = source(jobs);
    src.create.callsFake(
      async () => (jobs.push({ id: NEW, target: "stage", snapshot: "s1" }), Promise.reject(lost())),
    );
    assert.strictEqual((await createAtMostOnce(c.options(src))).how, "ambiguous");
    sinon.assert.calledOnce(src.create);
  });

  it(`sends at most ${MAX_POSTS} POSTs when every answer is lost and no job appears`, async () => {
    const c = context();
    const src = source([]);
    src.create.rejects(lost());
    await assert.rejects(createAtMostOnce(c.options(src)), AtlasApiError);
    sinon.assert.callCount(src.create, MAX_POSTS);
    assert.ok(src.list.callCount >= 1 + 2 * MAX_POSTS);
    // Listed past the floor after each: none started a job, so a later one is never taken for theirs.
    sinon.assert.calledOnce(c.forgotten);
  });

  for (const [what, error] of [
    ["a clear refusal (4xx)", refused()],
    [
      "a refused connection",
      new AtlasApiError({ method: "POST", path: "/api/x", networkCode: "ECONNREFUSED" }),
    ],
  ] as const) {
    it(`never resends after ${what}, and forgets the attempt`, async () => {
      const c = context();
      const src = source([]);
      src.create.rejects(error);
      await assert.rejects(createAtMostOnce(c.options(src)), error);
      sinon.assert.calledOnce(src.create);
      sinon.assert.calledOnce(c.forgotten);
    });
  }

  it("keeps the attempt when a resend is refused: the first POST may have started a job", async () => {
    const c = context();
    const src = source([]);
    src.create.onCall(0).rejects(lost()).onCall(1).rejects(refused());
    await assert.rejects(createAtMostOnce(c.options(src)), /INVALID/);
    sinon.assert.notCalled(c.forgotten);
  });

  it("does not resend when the listings after an ambiguous POST keep failing", async () => {
    const c = context();
    const src = source([]);
    src.create.rejects(lost());
    let calls = 0;
    src.list = sinon.fake(async () => {
      if (calls++ === 0) return [];
      throw new AtlasApiError({ status: 503, method: "GET", path: "/api/x" });
    });
    await assert.rejects(createAtMostOnce(c.options(src)), { status: 503 });
    sinon.assert.calledOnce(src.create);
  });

  describe("a 2xx answer to the POST that cannot be read (issue 22, item 2)", () => {
    const unreadable = () => new AtlasDecodeError("POST /api/x", ["finishedAt: expected string"]);

    it("adopts the job once it is listed, and never sends the POST again", async () => {
      const c = context();
      const jobs: Job[] = [];
      const src = source(jobs);
      src.create.callsFake(
        async () => (jobs.push({ id: NEW, target: "stage", snapshot: "s1" }), Promise.reject(unreadable())),
      );
      const result = await createAtMostOnce(c.options(src));
      assert.deepStrictEqual([result.job.id, result.how], [NEW, "ambiguous"]);
      sinon.assert.calledOnce(src.create);
      sinon.assert.notCalled(c.forgotten);
    });

    it("when the job is not listed yet: fails, keeps the attempt as committed, and sends nothing more", async () => {
      const c = context();
      const src = source([]);
      src.create.rejects(unreadable());
      await assert.rejects(createAtMostOnce(c.options(src)), (error: Error) => {
        assert.ok(error instanceof RestoreNotListedError);
        assert.match(error.message, /its answer could not be read.*run `pulumi up` again to adopt it/);
        return true;
      });
      sinon.assert.calledOnce(src.create);
      sinon.assert.notCalled(c.forgotten);
      assert.strictEqual(c.remembered.at(-1)!.committed, true);
      // The next run (same machine) looks again, and still never POSTs.
      const next = context({ pending: c.remembered.at(-1)! });
      await assert.rejects(createAtMostOnce(next.options(src)), RestoreNotListedError);
      sinon.assert.calledOnce(src.create);
    });
  });

  it("a 409 (busy) after an unclear POST adopts the job that POST started (issue 22, item 7)", async () => {
    const c = context();
    const jobs: Job[] = [];
    const src = { ...source(jobs), busy: (e: unknown) => e instanceof AtlasApiError && e.status === 409 };
    let listings = 0;
    // The listing shows the job only after the floor the first time round.
    src.list = sinon.fake(async () => (listings++ < 3 ? [] : jobs.map((job) => ({ ...job }))));
    src.create
      .onCall(0)
      .callsFake(
        async () => (jobs.push({ id: NEW, target: "stage", running: true }), Promise.reject(lost())),
      );
    src.create.onCall(1).rejects(busy());
    const result = await createAtMostOnce(c.options(src));
    assert.deepStrictEqual([result.job.id, result.how], [NEW, "ambiguous"]);
    sinon.assert.calledTwice(src.create);
  });

  describe("an earlier, interrupted attempt of this intent (the journal)", () => {
    const pending = (extra: Partial<PendingIntent> = {}): PendingIntent => ({
      attemptStartedAt: T * 1000 - 60_000,
      knownJobIds: [OLD],
      posts: 1,
      ...extra,
    });

    it("adopts the job it recorded, even when the listing does not show it yet", async () => {
      const src = source([]);
      src.get = sinon.fake(async (_id: string) => ({ id: NEW, target: "stage", snapshot: "s1" }));
      const c = context({ pending: pending({ jobId: NEW }) });
      const result = await createAtMostOnce(c.options(src));
      assert.deepStrictEqual([result.job.id, result.how], [NEW, "journal"]);
      sinon.assert.notCalled(src.create);
    });

    it("stops when the job it recorded is gone from Atlas, rather than restore again", async () => {
      const c = context({ pending: pending({ jobId: NEW }) });
      const src = source([]);
      await assert.rejects(createAtMostOnce(c.options(src)), {
        name: "UndecidedRestoreError",
        jobIds: [NEW],
      });
      sinon.assert.notCalled(src.create);
    });

    it("adopts a job that appeared after its unanswered POST, finished or not, waiting out the listing's lag", async () => {
      const appeared = { id: NEW, target: "stage", snapshot: "s1" };
      const src = source([{ id: OLD, target: "stage", snapshot: "s1" }]);
      let listings = 0;
      // A rerun right after the kill: the first two listings do not show the job yet.
      src.list = sinon.fake(async () => [
        { id: OLD, target: "stage", snapshot: "s1" },
        ...(listings++ < 2 ? [] : [appeared]),
      ]);
      const c = context({ pending: pending() });
      const result = await createAtMostOnce(c.options(src));
      assert.deepStrictEqual([result.job.id, result.how], [NEW, "journal"]);
      sinon.assert.notCalled(src.create);
      assert.ok(
        c.messages.includes(
          `warn: an earlier run started this restore and stopped before recording it; adopting it: ${NEW}`,
        ),
      );
    });

    it("matches what that attempt asked for, not what this run would choose", async () => {
      const src = {
        ...source([{ id: NEW, target: "stage", snapshot: "s0" }], { target: "stage", snapshot: "s9" }),
        chosen: ["snapshot"],
      };
      const c = context({
        pending: pending({ knownJobIds: [], request: { target: "stage", snapshot: "s0" } }),
      });
      assert.strictEqual((await createAtMostOnce(c.options(src))).how, "journal");
    });

    it("stops when more than one new job could be its own", async () => {
      const twins = [
        { id: NEW, target: "stage", snapshot: "s1" },
        { id: at(T, 9), target: "stage", snapshot: "s1" },
      ];
      const c = context({ pending: pending({ knownJobIds: [] }) });
      await assert.rejects(createAtMostOnce(c.options(source(twins))), { jobIds: twins.map((j) => j.id) });
    });

    it("when nothing appeared, carries on with the same attempt (its known jobs, its count of POSTs)", async () => {
      const src = source([{ id: OLD, target: "stage", snapshot: "s1" }]);
      const c = context({ pending: pending() });
      assert.strictEqual((await createAtMostOnce(c.options(src))).how, "started");
      assert.deepStrictEqual(c.remembered[0], { ...pending(), posts: 2 });
    });

    it("waits out the lag of another intent's unanswered POST before it looks (unsettled)", async () => {
      const c = context({ unsettled: true });
      const src = source([]);
      await createAtMostOnce(c.options(src));
      assert.strictEqual(c.clock.sleeps[0], RESEND_FLOOR_MS);
    });
  });
});
