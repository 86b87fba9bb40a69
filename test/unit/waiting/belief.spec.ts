import assert from "node:assert";

import {
  beliefFromLengths,
  beliefFromRange,
  hazard,
  type LengthBelief,
  medianOf,
  quantile,
  rangeOf,
  survival,
} from "../../../provider/waiting/belief";

const MIN = 60_000;

const single = (medianMs: number, scale: number, notBeforeMs?: number): LengthBelief => ({
  parts: [{ weight: 1, offsetMs: 0, medianMs, scale }],
  basedOn: 3,
  source: "history",
  ...(notBeforeMs === undefined ? {} : { notBeforeMs }),
});

describe("beliefs about a job's length", () => {
  it("has half its jobs still running at the median, fewer later, none ended at the start", () => {
    const belief = single(10 * MIN, 0.1);
    assert.strictEqual(survival(belief, 0), 1);
    assert.ok(Math.abs(survival(belief, 10 * MIN) - 0.5) < 1e-12);
    assert.ok(survival(belief, 12 * MIN) < survival(belief, 11 * MIN));
    assert.ok(Math.abs(medianOf(belief) - 10 * MIN) <= 1);
  });

  it("puts 5 % and 95 % at ln 19 scales around the median", () => {
    const belief = single(10 * MIN, 0.1);
    const factor = Math.exp(0.1 * Math.log(19));
    assert.ok(Math.abs(quantile(belief, 0.95) - 10 * MIN * factor) <= 2);
    assert.ok(Math.abs(quantile(belief, 0.05) - (10 * MIN) / factor) <= 2);
  });

  it("peaks its hazard around the median and keeps a heavy tail", () => {
    const belief = single(10 * MIN, 0.05);
    assert.ok(hazard(belief, 5 * MIN) < hazard(belief, 10 * MIN) / 1000);
    // Far in the tail the job is late, not finished: about 1 / (scale × t).
    const far = 100 * MIN;
    assert.ok(Math.abs(hazard(belief, far) * 0.05 * far - 1) < 0.01);
  });

  it("rules out an end before notBeforeMs and renormalises after it", () => {
    const belief = single(10 * MIN, 0.1, 9 * MIN);
    assert.strictEqual(hazard(belief, 8 * MIN), 0);
    assert.strictEqual(survival(belief, 9 * MIN), 1);
    assert.ok(medianOf(belief) > 10 * MIN);
  });

  it("rests on two earlier lengths at least, centred on their geometric mean", () => {
    assert.strictEqual(beliefFromLengths([]), undefined);
    assert.strictEqual(beliefFromLengths([10 * MIN]), undefined);
    assert.strictEqual(beliefFromLengths([10 * MIN, Number.NaN, -1]), undefined);
    const belief = beliefFromLengths([8 * MIN, 12.5 * MIN])!;
    assert.strictEqual(belief.basedOn, 2);
    assert.ok(Math.abs(medianOf(belief) - 10 * MIN) <= 1);
  });

  it("is never sure of alike lengths, and surer the more it has seen", () => {
    const two = rangeOf(beliefFromLengths([10 * MIN, 10 * MIN])!);
    const ten = rangeOf(beliefFromLengths(Array.from({ length: 10 }, () => 10 * MIN))!);
    assert.ok(two.highMs > 11 * MIN && two.lowMs < 9 * MIN, JSON.stringify(two));
    assert.ok(ten.highMs - ten.lowMs < two.highMs - two.lowMs);
  });

  it("reads a recorded range back as the same belief", () => {
    const belief = beliefFromLengths([9 * MIN, 10 * MIN, 12 * MIN])!;
    const range = rangeOf(belief);
    const back = rangeOf(beliefFromRange(range));
    for (const key of ["expectedMs", "lowMs", "highMs"] as const)
      assert.ok(Math.abs(back[key] - range[key]) <= 0.001 * range[key], `${key}: ${back[key]} ${range[key]}`);
    assert.strictEqual(back.basedOn, 3);
  });

  it("reads a lopsided or degenerate range by its wider side, never sure to the millisecond", () => {
    const lopsided = rangeOf(beliefFromRange({ expectedMs: 600, lowMs: 500, highMs: 1200, basedOn: 2 }));
    assert.ok(lopsided.lowMs < 400, JSON.stringify(lopsided));
    const flat = beliefFromRange({ expectedMs: 600, lowMs: 600, highMs: 600, basedOn: 2 });
    assert.ok(flat.parts[0]!.scale > 0);
  });
});
