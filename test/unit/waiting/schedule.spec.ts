import assert from "node:assert";

import { beliefFromLengths, quantile } from "../../../provider/waiting/belief";
import { pollUntil } from "../../../provider/waiting/poll";
import {
  MIN_CALLS,
  MIN_GAP_MS,
  minGapFor,
  nextCheck,
  planFor,
  plannedSchedule,
  PRICE_SHARE,
  STEADY_GAP_MS,
  TRUST_FROM,
  TRUSTED_GAP_MS,
  unknownLengthGap,
  unknownLengthSchedule,
} from "../../../provider/waiting/schedule";
import {
  finishTimes,
  fixedPoller,
  type Outcome,
  simulate,
  summarize,
  withHistory,
} from "../../../provider/waiting/simulate";
import { fakeClock } from "../../helpers/fakes";

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
/** The reference poller (Terraform's restore resource: 30 s, then every 60 s). */
const reference = fixedPoller(30 * S, 60 * S);
const referenceOver = (nominalMs: number, factor = 1) =>
  summarize(finishTimes(factor * nominalMs, 401).map((t) => simulate(reference, t)));
/** The measure: 20 draws of five earlier jobs, each against 401 finish times. */
const fromHistory = (nominalMs: number, factor = 1, earlier = 5) =>
  summarize(withHistory(nominalMs, { earlier, seeds: 20, perSeed: 401, factor }));
const show = (o: Outcome & { p95DelayMs: number }) =>
  `mean ${(o.delayMs / S).toFixed(2)} s, p95 ${(o.p95DelayMs / S).toFixed(1)} s, ${o.calls.toFixed(2)} calls`;

describe("poll schedules (simulated time)", () => {
  describe("planned schedules", () => {
    it("checks at the planned times, then at the period after the last", () => {
      const schedule = plannedSchedule([10, 30], 100);
      const times: number[] = [];
      let now = 0;
      for (let waits = 0; waits < 5; waits++)
        times.push((now += schedule({ waits, elapsedMs: now, random: 0 })));
      assert.deepStrictEqual(times, [10, 30, 130, 230, 330]);
    });

    it("counts from the job's start: a wait resumed late keeps the job's plan", () => {
      const schedule = plannedSchedule([10, 30], 100);
      assert.strictEqual(schedule({ waits: 0, elapsedMs: 25, random: 0 }), 5);
      assert.strictEqual(schedule({ waits: 0, elapsedMs: 175, random: 0 }), 55);
    });
  });

  describe("without a belief", () => {
    it("starts at 2 s, reaches 6 s after a minute and one minute from about 5 minutes", () => {
      assert.deepStrictEqual([0, 60 * S, 2 * MIN, 288 * S, HOUR].map(unknownLengthGap), [
        2 * S,
        6 * S,
        18 * S,
        STEADY_GAP_MS,
        STEADY_GAP_MS,
      ]);
    });

    for (const length of [3 * S, 10 * S, 30 * S, 55 * S]) {
      it(`notices a ${length / S} s job within 3 s on average`, () => {
        const o = summarize(finishTimes(length, 401).map((t) => simulate(unknownLengthSchedule, t)));
        assert.ok(o.delayMs <= 3 * S, show(o));
      });
    }

    for (const length of [5 * MIN, 30 * MIN, 6 * HOUR]) {
      it(`notices a ${length / MIN} min job as the 60 s poller does, within 60 s at the 95th percentile`, () => {
        const o = summarize(finishTimes(length, 401).map((t) => simulate(unknownLengthSchedule, t)));
        assert.ok(o.delayMs <= referenceOver(length).delayMs + 0.1 * S, show(o));
        assert.ok(o.p95DelayMs <= 60 * S, show(o));
      });
    }
  });

  describe("around a belief from five earlier jobs (20 histories × 401 finish times)", () => {
    for (const length of [MIN, 3 * MIN, 18 * MIN, 2 * HOUR, 6 * HOUR]) {
      it(`notices a ${length / MIN} min job within 10 s on average, 60 s at p95, with the reference's calls`, () => {
        const o = fromHistory(length);
        assert.ok(o.delayMs <= 10 * S && o.p95DelayMs <= 60 * S, show(o));
        assert.ok(
          o.calls <= referenceOver(length).calls,
          `${show(o)} against ${referenceOver(length).calls}`,
        );
      });
    }

    for (const length of [10 * S, 30 * S]) {
      it(`notices a ${length / S} s job within 3 s on average`, () => {
        const o = fromHistory(length);
        assert.ok(o.delayMs <= 3 * S, show(o));
      });
    }

    for (const factor of [0.5, 2]) {
      for (const length of [10 * MIN, 2 * HOUR]) {
        it(`still notices a ${length / MIN} min job that takes ${factor} × its forecast within 120 s at p95`, () => {
          const o = fromHistory(length, factor);
          assert.ok(o.p95DelayMs <= 120 * S, show(o));
        });
      }
    }
  });

  describe("planFor", () => {
    const belief = beliefFromLengths([50 * MIN, 60 * MIN, 55 * MIN, 58 * MIN, 52 * MIN])!;
    const plan = planFor(belief, 0);

    it("checks in ascending order, never closer than a second for a job of minutes", () => {
      plan.times.forEach((t, i) => assert.ok(i === 0 || t - plan.times[i - 1]! >= MIN_GAP_MS - 1e-6));
    });

    it("never leaves more than the trusted gap once the job may plausibly end", () => {
      const from = TRUST_FROM * quantile(belief, 0.5);
      const times = [0, ...plan.times];
      times.forEach((t, i) => {
        if (i > 0 && times[i - 1]! >= from) assert.ok(t - times[i - 1]! <= TRUSTED_GAP_MS + 1e-6, `${t}`);
      });
    });

    it("crowds its checks where the job is likely to end", () => {
      const within = (low: number, high: number) => plan.times.filter((t) => t >= low && t < high).length;
      assert.ok(within(50 * MIN, 60 * MIN) > 4 * within(20 * MIN, 30 * MIN));
    });

    it("once the job is late, looks again at a quarter of how late it is, up to a minute", () => {
      assert.strictEqual(nextCheck(plan, plan.lateMs + HOUR), plan.lateMs + HOUR + STEADY_GAP_MS);
      const quick = planFor(beliefFromLengths([1_000, 1_050, 980])!, 0);
      const late = Math.max(quick.lateMs, ...quick.times) + 10;
      assert.strictEqual(
        nextCheck(quick, late),
        late + Math.max(quick.medianMs / 10, (late - quick.medianMs) / 4),
      );
    });

    it("keeps a price it is given: a re-planned wait spends what it saved earlier", () => {
      const later = planFor(belief, 40 * MIN, plan.callPriceMs);
      assert.strictEqual(later.callPriceMs, plan.callPriceMs);
      const count = (times: readonly number[]) => times.filter((t) => t >= 50 * MIN).length;
      assert.ok(Math.abs(count(later.times) - count(plan.times)) <= 1);
    });

    it("prices a call for a job under a minute at no more than a twentieth of its length", () => {
      const quick = beliefFromLengths([20 * S, 22 * S, 21 * S])!;
      assert.ok(planFor(quick, 0).callPriceMs <= PRICE_SHARE * quantile(quick, 0.5) + 1);
      assert.ok(planFor(quick, 0).times.length >= MIN_CALLS);
    });
  });

  describe("minGapFor", () => {
    it("lets checks come closer only for jobs of seconds: a tenth of their length, 100 ms at least", () => {
      assert.deepStrictEqual([500, 3 * S, 10 * S, HOUR].map(minGapFor), [100, 300, MIN_GAP_MS, MIN_GAP_MS]);
    });
  });

  it("drives pollUntil: the loop makes the schedule's calls and notices the job when it says", async () => {
    for (const finish of [9 * S, 200 * S, 3 * HOUR]) {
      const clock = fakeClock(0, 0);
      const result = await pollUntil({
        check: async () => clock.now() >= finish,
        classify: (done) => (done ? "SUCCESS" : "RETRY"),
        clock,
        schedule: unknownLengthSchedule,
        maxWaitMs: 10 * HOUR,
        checkFirst: false,
      });
      const expected = simulate(unknownLengthSchedule, finish);
      assert.strictEqual(result.checks, expected.calls);
      assert.strictEqual(result.elapsedMs - finish, expected.delayMs);
    }
  });

  it("drives pollUntil from the job's start when startedAtMs is given", async () => {
    const clock = fakeClock(100 * S, 0);
    const seen: number[] = [];
    await pollUntil({
      check: async () => seen.push(clock.now()) >= 2,
      classify: (done) => (done ? "SUCCESS" : "RETRY"),
      clock,
      schedule: unknownLengthSchedule,
      startedAtMs: 40 * S,
      maxWaitMs: HOUR,
      checkFirst: false,
    });
    // 60 s after the start the gap is 6 s, then 6.4 s.
    assert.deepStrictEqual(seen, [106 * S, 112_400]);
  });
});
