import assert from "node:assert";

import sinon from "sinon";

import { systemClock } from "../provider/clock";
import { nextDelayMs, pollUntil, validatePollOptions } from "../provider/poll";
import { fakeClock } from "./helpers/fakes";

const settings = { minDelayMs: 1000, maxDelayMs: 10_000, factor: 2 };

describe("poller", () => {
  afterEach(() => sinon.restore());

  it("grows waits geometrically to the cap, jitter taking at most a fifth", () => {
    assert.deepStrictEqual(
      [1, 2, 3, 4, 5, 6].map((round) => nextDelayMs(settings, round, 0)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
    assert.strictEqual(nextDelayMs(settings, 1, 1), 800);
    assert.strictEqual(nextDelayMs(settings, 1, 0.5), 900);
  });

  it("validates its options up front, naming field and value", () => {
    assert.throws(() => validatePollOptions({ minDelayMs: 0, maxDelayMs: 5, factor: 0.5, maxWaitMs: -1 }), {
      name: "RangeError",
      message:
        "invalid poll options: minDelayMs must be greater than 0: 0; factor must be at least 1: 0.5; maxWaitMs must be greater than 0: -1",
    });
  });

  it("stops at SUCCESS and at FAILURE with the value seen", async () => {
    for (const verdict of ["SUCCESS", "FAILURE"] as const) {
      const check = sinon.stub().onCall(0).resolves("running").onCall(1).resolves("done");
      const result = await pollUntil({
        check,
        classify: (v: string) => (v === "done" ? verdict : "RETRY"),
        clock: fakeClock(),
        ...settings,
        maxWaitMs: 60_000,
      });
      assert.strictEqual(result.state, verdict);
      assert.strictEqual(result.value, "done");
      assert.strictEqual(result.checks, 2);
    }
  });

  it("times out at a deadline computed once, shortening the last wait", async () => {
    const clock = fakeClock(0, 0);
    const result = await pollUntil({
      check: async () => "running",
      classify: () => "RETRY",
      clock,
      ...settings,
      maxWaitMs: 20_000,
      checkFirst: false,
    });
    assert.strictEqual(result.state, "TIMEOUT");
    assert.strictEqual(result.value, "running");
    assert.deepStrictEqual(clock.sleeps, [1000, 2000, 4000, 8000, 5000]);
    assert.strictEqual(result.elapsedMs, 20_000);
  });

  it("ends ABORTED when its signal aborts", async () => {
    const controller = new AbortController();
    const result = await pollUntil({
      check: async () => {
        controller.abort();
        return "running";
      },
      classify: () => "RETRY",
      clock: fakeClock(),
      ...settings,
      maxWaitMs: 60_000,
      signal: controller.signal,
    });
    assert.strictEqual(result.state, "ABORTED");
    assert.strictEqual(result.checks, 1);
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
    await timers.tickAsync(2_999);
    assert.strictEqual(onCheck.callCount, 2);
    done = true;
    await timers.tickAsync(1);
    const result = await waiting;
    assert.strictEqual(result.state, "SUCCESS");
    assert.strictEqual(result.elapsedMs, 3_000);
    assert.deepStrictEqual(onCheck.lastCall.args, [true, 3_000]);
  });
});
