import assert from "node:assert";

import {
  FaultInjector,
  faultRuleProblems,
  parseFaultSpec,
  seededRandom,
} from "../../../emulator/faults/fault-rules";

describe("emulator faults", () => {
  describe("parseFaultSpec", () => {
    it("reads the command-line syntax", () => {
      assert.deepStrictEqual(parseFaultSpec("*=503%0.3"), { action: "503", probability: 0.3 });
      assert.deepStrictEqual(
        parseFaultSpec("createGroupServerlessBackupRestoreJob=drop-response-after-commit*1"),
        {
          operationId: "createGroupServerlessBackupRestoreJob",
          action: "drop-response-after-commit",
          count: 1,
        },
      );
      assert.deepStrictEqual(parseFaultSpec("getGroupFlexCluster:get=503,ok,latency:20+2"), {
        operationId: "getGroupFlexCluster",
        method: "GET",
        sequence: ["503", "ok", "latency:20"],
        skip: 2,
      });
    });

    it("reads a JSON rule", () => {
      assert.deepStrictEqual(parseFaultSpec('{"action":"reset","count":2}'), { action: "reset", count: 2 });
    });

    it("names what it refused", () => {
      assert.throws(() => parseFaultSpec("*=teapot"), /: \*=teapot$/);
      assert.throws(
        () => parseFaultSpec('{"action":"500","sequence":["500"]}'),
        /exactly one of action and sequence/,
      );
    });
  });

  it("lists every problem of a rule, naming the field", () => {
    assert.deepStrictEqual(
      faultRuleProblems({ action: "418", probability: 2, count: -1, colour: "red" }, "faults[0]"),
      [
        "faults[0] has an unknown field: colour",
        "faults[0].action must be ok, 429, 500, 503, reset, drop-response-after-commit, hold, hold-response-after-commit or latency:<ms>",
        "faults[0].probability must be a number in [0, 1]",
        "faults[0].count must be a non-negative integer",
      ],
    );
  });

  describe("FaultInjector", () => {
    it("fires a counted rule the next N times, after skipping some, for its operation and method only", () => {
      const injector = new FaultInjector(
        [{ operationId: "op", method: "POST", action: "500", count: 2, skip: 1 }],
        1,
      );
      const actions = ["op", "op", "other", "op", "op"].map((op) => injector.decide(op, "POST").action);
      assert.deepStrictEqual(actions, [undefined, "500", undefined, "500", undefined]);
      assert.strictEqual(injector.decide("op", "GET").action, undefined);
    });

    it("plays a sequence once, adding latencies and keeping the first failure", () => {
      const injector = new FaultInjector(
        [
          { sequence: ["503", "ok", "latency:30"], retryAfterSeconds: 7 },
          { action: "latency:5" },
          { action: "500", count: 1 },
        ],
        1,
      );
      assert.deepStrictEqual(injector.decide("x", "GET"), {
        latencyMs: 5,
        action: "503",
        retryAfterSeconds: 7,
      });
      assert.deepStrictEqual(injector.decide("x", "GET"), { latencyMs: 5, retryAfterSeconds: 1 });
      assert.deepStrictEqual(injector.decide("x", "GET"), { latencyMs: 35, retryAfterSeconds: 1 });
      assert.deepStrictEqual(injector.decide("x", "GET"), { latencyMs: 5, retryAfterSeconds: 1 });
    });

    it("draws probabilities from its seed: the same seed gives the same faults", () => {
      const run = (seed: number) => {
        const injector = new FaultInjector([{ action: "503", probability: 0.5 }], seed);
        return Array.from({ length: 40 }, () => injector.decide("x", "GET").action ?? "ok").join(",");
      };
      assert.strictEqual(run(42), run(42));
      assert.notStrictEqual(run(42), run(43));
      const fired = run(42)
        .split(",")
        .filter((a) => a === "503").length;
      assert.ok(fired > 10 && fired < 30, `about half fire: ${fired}`);
    });
  });

  it("seededRandom is reproducible and in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 100; i++) {
      const x = a();
      assert.strictEqual(x, b());
      assert.ok(x >= 0 && x < 1);
    }
  });
});
