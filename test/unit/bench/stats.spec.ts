import assert from "node:assert";

import { formatSpread, spread } from "../../../bench/stats";

describe("bench statistics", () => {
  it("gives min, median and max of odd and even counts", () => {
    assert.deepStrictEqual(spread([3, 1, 2]), { min: 1, median: 2, max: 3, n: 3 });
    assert.deepStrictEqual(spread([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4, n: 4 });
  });

  it("refuses to summarize nothing, so a missing figure never reads as zero", () => {
    assert.throws(() => spread([]), /no measurements/);
  });

  it("formats the median first, then the range and the count", () => {
    assert.strictEqual(formatSpread(spread([1.25, 2, 3]), 1, " s"), "2.0 s (1.3–3.0, n=3)");
  });
});
