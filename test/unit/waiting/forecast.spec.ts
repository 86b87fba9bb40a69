import assert from "node:assert";

import { forecastFrom, forecastOf, pastLengths, predictDuration } from "../../../provider/waiting/forecast";

const S = 1_000;
const MIN = 60 * S;
const at = (s: number) => new Date(Date.UTC(2026, 10, 1) + s * S).toISOString();

describe("forecasts from earlier jobs", () => {
  it("measures earlier jobs from their start and finish dates", () => {
    assert.deepStrictEqual(
      pastLengths([
        { startedAt: at(0), finishedAt: at(600) },
        { startedAt: 1000 * S, finishedAt: 1650 * S },
      ]),
      [600 * S, 650 * S],
    );
  });

  it("scales each earlier length by the sizes when both are known", () => {
    assert.deepStrictEqual(
      pastLengths(
        [
          { startedAt: 0, finishedAt: 100 * S, size: 1e9 },
          { startedAt: 0, finishedAt: 300 * S, size: 2e9 },
          { startedAt: 0, finishedAt: 50 * S },
        ],
        4e9,
      ),
      [400 * S, 600 * S, 50 * S],
    );
  });

  it("ignores jobs without a usable start and finish, and needs two", () => {
    const unusable = [
      { startedAt: undefined, finishedAt: at(10) },
      { startedAt: at(0), finishedAt: undefined },
      { startedAt: "yesterday", finishedAt: at(10) },
      { startedAt: at(10), finishedAt: at(5) },
    ];
    assert.deepStrictEqual(pastLengths(unusable), []);
    assert.strictEqual(predictDuration([...unusable, { startedAt: at(0), finishedAt: at(60) }]), undefined);
  });

  it("predicts their geometric mean and a 90 % range that holds the lengths seen", () => {
    const prediction = predictDuration([
      { startedAt: 0, finishedAt: 9 * MIN },
      { startedAt: 0, finishedAt: 10 * MIN },
      { startedAt: 0, finishedAt: 11 * MIN },
    ])!;
    assert.strictEqual(prediction.basedOn, 3);
    assert.ok(
      Math.abs(prediction.expectedMs - Math.cbrt(9 * 10 * 11) * MIN) <= 1,
      String(prediction.expectedMs),
    );
    assert.ok(prediction.lowMs < 9 * MIN && prediction.highMs > 11 * MIN, JSON.stringify(prediction));
  });

  const history = [
    { startedAt: 0, finishedAt: 10 * MIN },
    { startedAt: 0, finishedAt: 12 * MIN },
  ];
  it("is the prediction with the job's start, or now when Atlas gives none", () => {
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
    ["a range out of order", { ...good, lowMs: 800 }, undefined],
    ["a negative start of the range", { ...good, lowMs: -1 }, undefined],
    ["an infinite end", { ...good, highMs: Infinity }, undefined],
  ];
  for (const [label, value, expected] of read) {
    it(`reads back from state: ${label}`, () => {
      assert.deepStrictEqual(forecastOf(value), expected);
    });
  }
});
