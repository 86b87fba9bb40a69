import assert from "node:assert";

import { beliefFromLengths, rangeOf } from "../../../provider/waiting/belief";
import { planFor, unknownLengthGap } from "../../../provider/waiting/schedule";
import {
  collectionWait,
  earlierLengths,
  finishTimes,
  seeded,
  summarize,
} from "../../../provider/waiting/simulate";
import { waitPlan } from "../../../provider/waiting/wait-plan";

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const planned = { minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" } as const;
const ID = "6650a1b2c3d4e5f6a7b8c9d0";
const CREATED = 0x6650a1b2 * 1000;
const first = (plan: ReturnType<typeof waitPlan>, elapsedMs: number) =>
  plan.schedule({ waits: 0, elapsedMs, random: 0 });

/** The plan expects the end at `endsAtMs` (to the millisecond a bisection gives) for these reasons. */
function assertExpects(plan: ReturnType<typeof waitPlan>, endsAtMs: number, basis: string, basedOn: number) {
  const expected = plan.expectation()!;
  assert.ok(Math.abs(expected.endsAtMs - endsAtMs) <= 1, `${expected.endsAtMs} against ${endsAtMs}`);
  assert.deepStrictEqual([expected.basis, expected.basedOn], [basis, basedOn]);
}

describe("a wait's plan", () => {
  it("counts from the job's own start, and without a belief waits as for an unknown length", () => {
    const plan = waitPlan({ settings: planned, job: { restoreJobId: ID }, nowMs: CREATED + 5 * MIN });
    assert.strictEqual(plan.startedAtMs, CREATED);
    assert.strictEqual(first(plan, 5 * MIN), Math.round(unknownLengthGap(5 * MIN)));
    assert.strictEqual(plan.expectation(), undefined);
  });

  it("never starts later than now, whatever a clock elsewhere says", () => {
    const plan = waitPlan({ settings: planned, job: { restoreJobId: ID }, nowMs: CREATED - 3 * S });
    assert.strictEqual(plan.startedAtMs, CREATED - 3 * S);
  });

  it("follows the geometric settings a user gave, whatever the signals", () => {
    const settings = { minDelayMs: 700, maxDelayMs: 9000, mode: "geometric" } as const;
    const forecast = { expectedMs: HOUR, lowMs: 0.9 * HOUR, highMs: 1.1 * HOUR, basedOn: 3, startedAt: 0 };
    assert.strictEqual(first(waitPlan({ settings, forecast, job: {}, nowMs: 0 }), 0), 700);
    // Settings that name no mode are geometric too.
    const unnamed = { minDelayMs: 250, maxDelayMs: 2000 };
    assert.strictEqual(first(waitPlan({ settings: unnamed, job: {}, nowMs: 0 }), 0), 250);
  });

  it("plans around the starter's forecast, from the forecast's start", () => {
    const range = rangeOf(beliefFromLengths([50 * MIN, 55 * MIN, 60 * MIN])!);
    const plan = waitPlan({
      settings: planned,
      forecast: { ...range, startedAt: 1000 },
      job: {},
      nowMs: 1000,
    });
    const times = planFor(beliefFromLengths([50 * MIN, 55 * MIN, 60 * MIN])!, 0).times;
    assert.ok(Math.abs(first(plan, 0) - times[0]!) <= 1);
    assertExpects(plan, 1000 + range.expectedMs, "earlier jobs", 3);
  });

  it("re-plans from a collection restore's copy: the end follows the pace", () => {
    const plan = waitPlan({
      settings: planned,
      job: { state: "INITIALIZING", restoredDocuments: 0, totalDocuments: 1000 },
      nowMs: 0,
    });
    plan.observe({ state: "IN_PROGRESS", restoredDocuments: 100, totalDocuments: 1000 }, 2 * MIN);
    plan.observe({ state: "IN_PROGRESS", restoredDocuments: 300, totalDocuments: 1000 }, 4 * MIN);
    // Copy ends at 11 min; the finish is expected a quarter of the copy's 10 minutes later.
    assertExpects(plan, 13.5 * MIN, "its progress", 2);
    // No check is wasted while the copy surely runs (the trusted gap caps it).
    assert.ok(first(plan, 4 * MIN) >= 60 * S, String(first(plan, 4 * MIN)));
  });

  it("notices collection restores from their copy alone within 12 s on average from 30 min up", () => {
    for (const length of [30 * MIN, 6 * HOUR]) {
      const random = seeded(11);
      const outcomes = finishTimes(length, 41).map((finish) =>
        collectionWait(finish, { setup: 0.05 + 0.1 * random(), finalize: 0.1 + 0.2 * random() }),
      );
      const o = summarize(outcomes);
      assert.ok(o.delayMs <= 12 * S && o.p95DelayMs <= 60 * S, JSON.stringify(o));
    }
  });

  it("with earlier jobs too, notices them within 10 s and under the reference's calls", () => {
    const length = 2 * HOUR;
    const random = seeded(5);
    const forecast = rangeOf(beliefFromLengths(earlierLengths(length, 5, random))!);
    const outcomes = finishTimes(length, 41).map((finish) =>
      collectionWait(finish, { setup: 0.05 + 0.1 * random(), finalize: 0.1 + 0.2 * random() }, forecast),
    );
    const o = summarize(outcomes);
    assert.ok(o.delayMs <= 10 * S && o.calls <= 121, JSON.stringify(o));
  });
});
