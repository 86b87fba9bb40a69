import assert from "node:assert";

import { pollUntil } from "../../../provider/waiting/poll";
import {
  DEFAULT_CHECK_TIMES_MS,
  defaultSchedule,
  forecastFrom,
  forecastOf,
  geometricSchedule,
  plannedSchedule,
  predictDuration,
  scheduleFor,
} from "../../../provider/waiting/schedule";
import {
  fixedPoller,
  lowerBound,
  meanOver,
  meanWithHistory,
  simulate,
} from "../../../provider/waiting/simulate";
import { fakeClock } from "../../helpers/fakes";

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
/** The 60 s poller (Terraform's restore resource: 30 s, then every 60 s). */
const sixtySeconds = fixedPoller(30 * S, 60 * S);
/** The poller the provider had before: 1.5 s growing by 1.3 up to 105 s, with jitter (none here). */
const before = geometricSchedule({ minDelayMs: 1_500, maxDelayMs: 105_000, factor: 1.3 });

/** Lengths from 5 minutes to 6 hours, 5 % apart. */
const sweep: number[] = [];
for (let ms = 5 * MIN; ms <= 6 * HOUR; ms = Math.round(ms * 1.05)) sweep.push(ms);
sweep.push(6 * HOUR);

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

    it("notices a job finishing exactly at a check at that check", () => {
      assert.deepStrictEqual(simulate(defaultSchedule, 12 * S), { calls: 1, delayMs: 0 });
    });

    it("is the documented plan", () => {
      assert.deepStrictEqual(
        DEFAULT_CHECK_TIMES_MS.map((ms) => ms / S),
        [12, 56, 72, 150, 270],
      );
    });
  });

  describe("the default schedule against the issue's targets (41 finish times ±20 % per length)", () => {
    const short: [string, number, number][] = [
      ["10 s", 10 * S, 2 * S],
      ["1 min", MIN, 9 * S],
    ];
    for (const [label, length, limit] of short) {
      it(`notices a ${label} job within ${limit / S} s on average, no later than before`, () => {
        const ours = meanOver(defaultSchedule, length);
        assert.ok(ours.delayMs <= limit, `${ours.delayMs} ms`);
        assert.ok(ours.delayMs <= meanOver(before, length).delayMs + 1, "later than the old poller");
      });
    }

    const table: [string, number][] = [
      ["5 min", 5 * MIN],
      ["10 min", 10 * MIN],
      ["30 min", 30 * MIN],
      ["1 h", HOUR],
      ["2 h", 2 * HOUR],
      ["6 h", 6 * HOUR],
    ];
    for (const [label, length] of table) {
      it(`notices a ${label} job within 30 s on average`, () => {
        assert.ok(meanOver(defaultSchedule, length).delayMs <= 30 * S);
      });
    }

    it("is never later on average than the 60 s poller at any length from 5 min to 6 h", () => {
      for (const length of sweep) {
        const ours = meanOver(defaultSchedule, length, 401);
        const theirs = meanOver(sixtySeconds, length, 401);
        assert.ok(ours.delayMs <= theirs.delayMs + 1e-6, `${length} ms: ${ours.delayMs} > ${theirs.delayMs}`);
      }
    });

    it("makes no more calls on average than the 60 s poller at any length from 30 min to 6 h", () => {
      for (const length of sweep.filter((ms) => ms >= 30 * MIN)) {
        const ours = meanOver(defaultSchedule, length, 401);
        const theirs = meanOver(sixtySeconds, length, 401);
        assert.ok(ours.calls <= theirs.calls + 1e-9, `${length} ms: ${ours.calls} > ${theirs.calls}`);
      }
    });
  });

  describe("history", () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1) + s * S).toISOString();

    it("predicts from earlier jobs' start and finish dates, widening the range seen", () => {
      const prediction = predictDuration([
        { startedAt: at(0), finishedAt: at(600) },
        { startedAt: at(1000), finishedAt: at(1700) },
        { startedAt: at(2000), finishedAt: at(2650) },
      ]);
      // Lengths 600, 650, 700 s: two gaps of 50 s, so each side widens by 2 × 100 / 2 = 100 s.
      assert.deepStrictEqual(prediction, {
        expectedMs: 650 * S,
        lowMs: 500 * S,
        highMs: 800 * S,
        basedOn: 3,
      });
    });

    it("widens identical lengths by 5 % of the length", () => {
      const same = { startedAt: 0, finishedAt: 1000 * S };
      assert.deepStrictEqual(predictDuration([same, same]), {
        expectedMs: 1000 * S,
        lowMs: 950 * S,
        highMs: 1050 * S,
        basedOn: 2,
      });
    });

    it("scales each earlier length by the sizes when both are known", () => {
      const prediction = predictDuration(
        [
          { startedAt: 0, finishedAt: 100 * S, size: 1e9 },
          { startedAt: 0, finishedAt: 300 * S, size: 2e9 },
        ],
        4e9,
      );
      // 100 s at 1 GB and 300 s at 2 GB become 400 s and 600 s at 4 GB.
      assert.deepStrictEqual(prediction, { expectedMs: 600 * S, lowMs: 0, highMs: 1000 * S, basedOn: 2 });
    });

    it("ignores jobs without a usable start and finish, and needs two", () => {
      const unusable = [
        { startedAt: undefined, finishedAt: at(10) },
        { startedAt: at(0), finishedAt: undefined },
        { startedAt: "yesterday", finishedAt: at(10) },
        { startedAt: at(10), finishedAt: at(5) },
      ];
      assert.strictEqual(predictDuration(unusable), undefined);
      assert.strictEqual(predictDuration([...unusable, { startedAt: at(0), finishedAt: at(60) }]), undefined);
    });

    const lengths: [string, number][] = [
      ["5 min", 5 * MIN],
      ["30 min", 30 * MIN],
      ["2 h", 2 * HOUR],
      ["6 h", 6 * HOUR],
    ];
    for (const [label, length] of lengths) {
      it(`cuts the delay of a ${label} job by a third or more, with at most one call more than the default`, () => {
        const predicted = meanWithHistory(length);
        const plain = meanOver(defaultSchedule, length);
        assert.ok(predicted.delayMs <= plain.delayMs / 1.5, `${predicted.delayMs} against ${plain.delayMs}`);
        assert.ok(predicted.calls <= plain.calls + 1, `${predicted.calls} calls against ${plain.calls}`);
      });
    }

    it("stays within 3 × the lower bound for its calls from 30 min up", () => {
      for (const length of [30 * MIN, 2 * HOUR, 6 * HOUR]) {
        const predicted = meanWithHistory(length);
        const bound = meanOver(lowerBound(length, predicted.calls), length);
        assert.ok(predicted.delayMs <= 3 * bound.delayMs, `${predicted.delayMs} against ${bound.delayMs}`);
      }
    });
  });

  describe("forecasts", () => {
    const history = [
      { startedAt: 0, finishedAt: 10 * MIN },
      { startedAt: 0, finishedAt: 12 * MIN },
    ];
    it("is the prediction in whole ms, with the job's start", () => {
      assert.deepStrictEqual(forecastFrom(history, "2026-11-28T12:00:00Z", 5), {
        ...predictDuration(history),
        startedAt: Date.parse("2026-11-28T12:00:00Z"),
      });
      assert.strictEqual(forecastFrom(history, undefined, 5)?.startedAt, 5);
      assert.strictEqual(forecastFrom(history.slice(1), 0, 5), undefined);
    });

    const good = { expectedMs: 600, lowMs: 500, highMs: 700, basedOn: 2, startedAt: 1 };
    const read: [string, unknown, unknown][] = [
      ["a forecast as written", good, good],
      ["nothing", undefined, undefined],
      ["not an object", "soon", undefined],
      ["a field missing", { ...good, startedAt: undefined }, undefined],
      ["a field not a number", { ...good, lowMs: "500" }, undefined],
      ["a window out of order", { ...good, lowMs: 800 }, undefined],
      ["a negative start of the window", { ...good, lowMs: -1 }, undefined],
      ["an infinite end", { ...good, highMs: Infinity }, undefined],
    ];
    for (const [label, value, expected] of read) {
      it(`reads back from state: ${label}`, () => {
        assert.deepStrictEqual(forecastOf(value), expected);
      });
    }
  });

  describe("scheduleFor", () => {
    const first = (
      settings: Parameters<typeof scheduleFor>[0],
      prediction?: Parameters<typeof scheduleFor>[1],
    ) => scheduleFor(settings, prediction)({ waits: 0, elapsedMs: 0, random: 0 });
    it("uses the default plan, or the prediction's, in planned mode", () => {
      assert.strictEqual(first({ minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" }), 12 * S);
      const prediction = { expectedMs: HOUR, lowMs: 0.9 * HOUR, highMs: 1.1 * HOUR, basedOn: 3 };
      assert.strictEqual(
        first({ minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" }, prediction),
        0.2 * HOUR,
      );
    });

    it("uses the geometric schedule the user asked for, or when no mode is given", () => {
      assert.strictEqual(first({ minDelayMs: 100, maxDelayMs: 2000, mode: "geometric" }), 100);
      assert.strictEqual(first({ minDelayMs: 250, maxDelayMs: 2000 }), 250);
    });
  });

  describe("lower bound", () => {
    it("spends about the calls it is given, evenly inside the window", () => {
      const bound = meanOver(lowerBound(30 * MIN, 10), 30 * MIN);
      assert.ok(Math.abs(bound.calls - 10) <= 0.5, String(bound.calls));
      // 19 checks over 720 s: gaps of 37.9 s, so half of that on average.
      assert.ok(Math.abs(bound.delayMs - 720_000 / 19 / 2) < 1_000, String(bound.delayMs));
    });
  });

  it("drives pollUntil: the loop makes the schedule's calls and notices the job when it says", async () => {
    for (const finish of [9 * S, 200 * S, 3 * HOUR]) {
      const clock = fakeClock(0, 0);
      const result = await pollUntil({
        check: async () => clock.now() >= finish,
        classify: (done) => (done ? "SUCCESS" : "RETRY"),
        clock,
        schedule: defaultSchedule,
        maxWaitMs: 10 * HOUR,
        checkFirst: false,
      });
      const expected = simulate(defaultSchedule, finish);
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
      schedule: defaultSchedule,
      startedAtMs: 40 * S,
      maxWaitMs: HOUR,
      checkFirst: false,
    });
    // 60 s after the start: the plan's next checks are at 72 s and 150 s after the start.
    assert.deepStrictEqual(seen, [112 * S, 190 * S]);
  });
});
