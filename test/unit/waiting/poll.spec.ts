import assert from "node:assert";

import sinon from "sinon";

import type { Clock } from "../../../provider/waiting/clock";
import { systemClock } from "../../../provider/waiting/clock";
import {
  type JobClass,
  nextDelayMs,
  pollDefaults,
  pollUntil,
  validatePollOptions,
} from "../../../provider/waiting/poll";
import { fakeClock } from "../../helpers/fakes";

const settings = { minDelayMs: 1000, maxDelayMs: 10_000, factor: 2 };

/** The shared fake clock (test/helpers/fakes.ts) without jitter, so that waits are exact. */
const exactClock = () => fakeClock(Date.UTC(2026, 10, 28, 12), 0);

/** A check that returns the given values in turn, then keeps returning the last one. */
function sequence<T>(...values: T[]): sinon.SinonStub<[], Promise<T>> {
  const check = sinon.stub<[], Promise<T>>();
  values.forEach((value, i) => check.onCall(i).resolves(value));
  check.resolves(values[values.length - 1]);
  return check;
}

const untilDone = (verdict: JobClass) => (value: string) => (value === "done" ? verdict : "RETRY");

describe("poller", () => {
  afterEach(() => sinon.restore());

  describe("nextDelayMs", () => {
    it("grows waits geometrically from minDelayMs to the cap", () => {
      assert.deepStrictEqual(
        [1, 2, 3, 4, 5, 6, 50].map((round) => nextDelayMs(settings, round, 0)),
        [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000],
      );
    });

    it("starts at 1.5 s and grows by 1.3 up to 105 s with the defaults", () => {
      assert.deepStrictEqual(pollDefaults, { minDelayMs: 1_500, maxDelayMs: 105_000, factor: 1.3 });
      assert.deepStrictEqual(
        [1, 2, 3, 17, 18, 40].map((round) => nextDelayMs(pollDefaults, round, 0)),
        [1500, 1950, 2535, 99_812, 105_000, 105_000],
      );
    });

    it("lets jitter take away at most a fifth of the wait, never add to it", () => {
      assert.strictEqual(nextDelayMs(settings, 1, 0), 1000);
      assert.strictEqual(nextDelayMs(settings, 1, 0.5), 900);
      assert.strictEqual(nextDelayMs(settings, 1, 1), 800);
      assert.strictEqual(nextDelayMs(settings, 9, 0.5), 9000);
      for (let i = 0; i < 100; i++) {
        const random = i / 100;
        for (const round of [1, 3, 10]) {
          const base = Math.min(10_000, 1000 * 2 ** (round - 1));
          const delay = nextDelayMs(settings, round, random);
          assert.ok(delay > 0.8 * base && delay <= base, `round ${round}, random ${random}: ${delay}`);
        }
      }
    });

    it("keeps a constant wait with factor 1", () => {
      assert.deepStrictEqual(
        [1, 2, 10].map((round) => nextDelayMs({ ...settings, factor: 1 }, round, 0)),
        [1000, 1000, 1000],
      );
    });
  });

  describe("validatePollOptions", () => {
    it("fills in the defaults", () => {
      assert.deepStrictEqual(validatePollOptions({ maxWaitMs: 1 }), pollDefaults);
      assert.deepStrictEqual(validatePollOptions({ ...settings, maxWaitMs: 1 }), settings);
    });

    const invalid: [string, Parameters<typeof validatePollOptions>[0], string][] = [
      ["minDelayMs of 0", { minDelayMs: 0, maxWaitMs: 1 }, "minDelayMs must be greater than 0: 0"],
      ["negative minDelayMs", { minDelayMs: -5, maxWaitMs: 1 }, "minDelayMs must be greater than 0: -5"],
      [
        "maxDelayMs below minDelayMs",
        { minDelayMs: 1000, maxDelayMs: 999, maxWaitMs: 1 },
        "maxDelayMs must be at least minDelayMs: 999",
      ],
      ["factor below 1", { factor: 0.5, maxWaitMs: 1 }, "factor must be at least 1: 0.5"],
      ["maxWaitMs of 0", { maxWaitMs: 0 }, "maxWaitMs must be greater than 0: 0"],
      ["maxWaitMs NaN", { maxWaitMs: NaN }, "maxWaitMs must be greater than 0: NaN"],
    ];
    for (const [title, options, problem] of invalid) {
      it(`refuses ${title}, naming field and value`, () => {
        assert.throws(() => validatePollOptions(options), {
          name: "RangeError",
          message: `invalid poll options: ${problem}`,
        });
      });
    }

    it("reports every problem at once", () => {
      assert.throws(() => validatePollOptions({ minDelayMs: 0, maxDelayMs: 5, factor: 0.5, maxWaitMs: -1 }), {
        name: "RangeError",
        message:
          "invalid poll options: minDelayMs must be greater than 0: 0; factor must be at least 1: 0.5; maxWaitMs must be greater than 0: -1",
      });
    });

    it("refuses bad options in pollUntil before the first check", async () => {
      const check = sinon.fake.resolves("running");
      await assert.rejects(
        pollUntil({ check, classify: () => "RETRY", clock: exactClock(), ...settings, maxWaitMs: 0 }),
        { name: "RangeError", message: "invalid poll options: maxWaitMs must be greater than 0: 0" },
      );
      sinon.assert.notCalled(check);
    });
  });

  describe("pollUntil with a recording clock", () => {
    for (const verdict of ["SUCCESS", "FAILURE"] as const) {
      it(`stops at ${verdict} with the value seen, after growing waits`, async () => {
        const clock = exactClock();
        const check = sequence("running", "running", "running", "done");
        const result = await pollUntil({
          check,
          classify: untilDone(verdict),
          clock,
          ...settings,
          maxWaitMs: 60_000,
        });
        assert.deepStrictEqual(result, { state: verdict, value: "done", checks: 4, elapsedMs: 7000 });
        assert.deepStrictEqual(clock.sleeps, [1000, 2000, 4000]);
      });
    }

    it("takes the jitter from the clock's random number", async () => {
      const clock = fakeClock(Date.UTC(2026, 10, 28, 12), 0.5);
      const result = await pollUntil({
        check: sequence("running", "running", "running", "done"),
        classify: untilDone("SUCCESS"),
        clock,
        ...settings,
        maxWaitMs: 60_000,
      });
      assert.deepStrictEqual(clock.sleeps, [900, 1800, 3600]);
      assert.deepStrictEqual(result, { state: "SUCCESS", value: "done", checks: 4, elapsedMs: 6300 });
    });

    it("checks before the first wait by default, and succeeds at once without sleeping", async () => {
      const clock = exactClock();
      const result = await pollUntil({
        check: sinon.fake.resolves("done"),
        classify: untilDone("SUCCESS"),
        clock,
        maxWaitMs: 60_000,
      });
      assert.deepStrictEqual(result, { state: "SUCCESS", value: "done", checks: 1, elapsedMs: 0 });
      assert.deepStrictEqual(clock.sleeps, []);
    });

    it("waits before the first check with checkFirst false", async () => {
      const clock = exactClock();
      const onCheck = sinon.fake();
      const result = await pollUntil({
        check: sequence("running", "done"),
        classify: untilDone("SUCCESS"),
        clock,
        ...settings,
        maxWaitMs: 60_000,
        checkFirst: false,
        onCheck,
      });
      assert.deepStrictEqual(result, { state: "SUCCESS", value: "done", checks: 2, elapsedMs: 3000 });
      assert.deepStrictEqual(clock.sleeps, [1000, 2000]);
      assert.deepStrictEqual(onCheck.args, [
        ["running", 1000],
        ["done", 3000],
      ]);
    });

    it("tells onCheck each value and the time elapsed since the call", async () => {
      const clock = exactClock();
      clock.advance(1_000_000);
      const onCheck = sinon.fake();
      await pollUntil({
        check: sequence("a", "b", "done"),
        classify: untilDone("SUCCESS"),
        clock,
        ...settings,
        maxWaitMs: 60_000,
        onCheck,
      });
      assert.deepStrictEqual(onCheck.args, [
        ["a", 0],
        ["b", 1000],
        ["done", 3000],
      ]);
    });

    it("times out, shortening the last wait to the time left, with the last value seen", async () => {
      const clock = exactClock();
      let n = 0;
      const result = await pollUntil({
        check: async () => `check ${++n}`,
        classify: () => "RETRY",
        clock,
        ...settings,
        maxWaitMs: 20_000,
        checkFirst: false,
      });
      assert.deepStrictEqual(clock.sleeps, [1000, 2000, 4000, 8000, 5000]);
      assert.deepStrictEqual(result, { state: "TIMEOUT", value: "check 5", checks: 5, elapsedMs: 20_000 });
    });

    it("computes the deadline once, so slow checks count against it", async () => {
      const clock = exactClock();
      const result = await pollUntil({
        check: async () => {
          clock.advance(1500);
          return "running";
        },
        classify: () => "RETRY",
        clock,
        ...settings,
        maxWaitMs: 10_000,
      });
      // Checks end at 1.5 s, 4 s, 7.5 s and 11.5 s; the third wait is cut to the 2.5 s left.
      assert.deepStrictEqual(clock.sleeps, [1000, 2000, 2500]);
      assert.deepStrictEqual(result, { state: "TIMEOUT", value: "running", checks: 4, elapsedMs: 11_500 });
    });

    it("propagates an error thrown by check", async () => {
      const check = sinon.stub().onCall(0).resolves("running").onCall(1).rejects(new Error("boom"));
      await assert.rejects(
        pollUntil({
          check,
          classify: () => "RETRY",
          clock: exactClock(),
          ...settings,
          maxWaitMs: 60_000,
        }),
        { message: "boom" },
      );
    });
  });

  describe("aborting", () => {
    it("ends ABORTED without checking when the signal is already aborted", async () => {
      const controller = new AbortController();
      controller.abort();
      const check = sinon.fake.resolves("running");
      const result = await pollUntil({
        check,
        classify: () => "RETRY",
        clock: exactClock(),
        ...settings,
        maxWaitMs: 60_000,
        signal: controller.signal,
      });
      assert.deepStrictEqual(result, { state: "ABORTED", value: undefined, checks: 0, elapsedMs: 0 });
      sinon.assert.notCalled(check);
    });

    it("ends ABORTED with the last value when aborted between checks", async () => {
      const controller = new AbortController();
      const clock = exactClock();
      const result = await pollUntil({
        check: async () => {
          controller.abort();
          return "running";
        },
        classify: () => "RETRY",
        clock,
        ...settings,
        maxWaitMs: 60_000,
        signal: controller.signal,
      });
      assert.deepStrictEqual(result, { state: "ABORTED", value: "running", checks: 1, elapsedMs: 0 });
      assert.deepStrictEqual(clock.sleeps, []);
    });

    it("stops waiting as soon as the signal aborts during a wait", async () => {
      const controller = new AbortController();
      const sleeps: number[] = [];
      const clock: Clock = {
        now: () => 0,
        // A wait that never ends on its own: only the abort can end it.
        sleep: (ms) => {
          sleeps.push(ms);
          controller.abort();
          return new Promise<void>(() => undefined);
        },
        random: () => 0,
      };
      const result = await pollUntil({
        check: async () => "running",
        classify: () => "RETRY",
        clock,
        ...settings,
        maxWaitMs: 60_000,
        signal: controller.signal,
      });
      assert.deepStrictEqual(result, { state: "ABORTED", value: "running", checks: 1, elapsedMs: 0 });
      assert.deepStrictEqual(sleeps, [1000]);
    });
  });

  describe("progress between checks", () => {
    it("wakes whenever a line falls due before the next check, and reports the time left", async () => {
      const clock = exactClock();
      const reports: [number, number][] = [];
      let lastLine = clock.now();
      const result = await pollUntil({
        check: sequence("running", "done"),
        classify: untilDone("SUCCESS"),
        clock,
        schedule: () => 70_000,
        maxWaitMs: 600_000,
        checkFirst: false,
        progress: {
          dueInMs: () => lastLine + 30_000 - clock.now(),
          report: (elapsedMs, untilCheckMs) => {
            lastLine = clock.now();
            reports.push([elapsedMs, untilCheckMs]);
          },
        },
      });
      assert.strictEqual(result.state, "SUCCESS");
      // Checks at 70 s and 140 s; lines at 30 and 60 s, then 30 s after the last line: 90 and 120 s.
      assert.deepStrictEqual(reports, [
        [30_000, 40_000],
        [60_000, 10_000],
        [90_000, 50_000],
        [120_000, 20_000],
      ]);
      assert.deepStrictEqual(clock.sleeps, [30_000, 30_000, 10_000, 20_000, 30_000, 20_000]);
    });

    it("sleeps straight through when no line falls due before the check", async () => {
      const clock = exactClock();
      const report = sinon.fake();
      await pollUntil({
        check: sequence("done"),
        classify: untilDone("SUCCESS"),
        clock,
        schedule: () => 5_000,
        maxWaitMs: 60_000,
        checkFirst: false,
        progress: { dueInMs: () => 30_000, report },
      });
      assert.strictEqual(report.callCount, 0);
      assert.deepStrictEqual(clock.sleeps, [5_000]);
    });
  });

  it("runs on the system clock under sinon fake timers", async () => {
    const timers = sinon.useFakeTimers();
    const onCheck = sinon.fake();
    let done = false;
    const waiting = pollUntil({
      check: async () => done,
      classify: (d) => (d ? "SUCCESS" : "RETRY"),
      clock: { ...systemClock, random: () => 0 },
      ...settings,
      maxWaitMs: 60_000,
      onCheck,
    });
    await timers.tickAsync(999);
    assert.strictEqual(onCheck.callCount, 1);
    await timers.tickAsync(1);
    assert.strictEqual(onCheck.callCount, 2);
    await timers.tickAsync(1_999);
    assert.strictEqual(onCheck.callCount, 2);
    done = true;
    await timers.tickAsync(1);
    const result = await waiting;
    assert.deepStrictEqual(result, { state: "SUCCESS", value: true, checks: 3, elapsedMs: 3_000 });
    assert.deepStrictEqual(onCheck.args, [
      [false, 0],
      [false, 1_000],
      [true, 3_000],
    ]);
    assert.strictEqual(timers.countTimers(), 0);
  });
});
