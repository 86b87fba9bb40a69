import assert from "node:assert";

import { defaultRuntimeOptions, mergeOptions, OptionsError } from "../../emulator/options";

describe("emulator options", () => {
  it("defaults to quick restores, no limit, no faults, the sunset by the clock", () => {
    const options = defaultRuntimeOptions();
    assert.deepStrictEqual(options.restoreDurationMs, {
      automated: 3000,
      download: 3000,
      pointInTime: 3000,
      flexRestore: 3000,
      flexDownload: 3000,
      clusterAutomated: 3000,
      clusterDownload: 3000,
      clusterPointInTime: 3000,
      clusterCollections: 3000,
    });
    assert.deepStrictEqual([options.rateLimit, options.faults, options.sunset], [null, [], "auto"]);
  });

  it("changes only what a change names; a partial duration change keeps the other kinds", () => {
    const next = mergeOptions(defaultRuntimeOptions(), {
      restoreDurationMs: { automated: 8000 },
      sunset: "gone",
    });
    assert.strictEqual(next.restoreDurationMs.automated, 8000);
    assert.strictEqual(next.restoreDurationMs.download, 3000);
    assert.strictEqual(next.sunset, "gone");
    assert.strictEqual(mergeOptions(next, { restoreDurationMs: 0 }).restoreDurationMs.flexRestore, 0);
  });

  it("sets and clears the rate limit, per credential unless global", () => {
    const limited = mergeOptions(defaultRuntimeOptions(), { rateLimit: { capacity: 5, refillPerSecond: 1 } });
    assert.deepStrictEqual(limited.rateLimit, { capacity: 5, refillPerSecond: 1, scope: "credential" });
    assert.strictEqual(mergeOptions(limited, { rateLimit: null }).rateLimit, null);
  });

  it("reports every problem at once, naming each field", () => {
    assert.throws(
      () =>
        mergeOptions(defaultRuntimeOptions(), {
          colour: "red",
          restoreDurationMs: { automated: -1, slow: 5 },
          timeScale: 0,
          sunset: "later",
          faults: [{ action: "teapot" }],
        }),
      (error: unknown) => {
        assert.ok(error instanceof OptionsError);
        assert.deepStrictEqual(error.problems, [
          "unknown option: colour",
          "restoreDurationMs.automated must be a number of milliseconds >= 0",
          "unknown restore kind: slow",
          "timeScale must be a positive number",
          "sunset must be auto, off, gone or migrated",
          "faults[0].action must be ok, 429, 500, 503, reset, drop-response-after-commit, hold, hold-response-after-commit or latency:<ms>",
        ]);
        return true;
      },
    );
    assert.throws(() => mergeOptions(defaultRuntimeOptions(), []), /options must be a JSON object/);
  });
});
