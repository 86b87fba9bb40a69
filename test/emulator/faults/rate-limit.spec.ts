import assert from "node:assert";

import { parseRateLimit, RateLimiter, takeToken } from "../../../emulator/faults/rate-limit";

describe("emulator rate limit", () => {
  const limits = { capacity: 2, refillPerSecond: 0.5 };

  it("lets a full bucket's burst through, then refuses with Retry-After in whole seconds", () => {
    let bucket;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const decision = takeToken(bucket, 0, limits);
      bucket = decision.bucket;
      statuses.push([
        decision.allowed,
        decision.headers["RateLimit-Remaining"],
        decision.headers["Retry-After"],
      ]);
    }
    assert.deepStrictEqual(statuses, [
      [true, "1", undefined],
      [true, "0", undefined],
      [false, "0", "2"],
    ]);
  });

  it("refills continuously and never above capacity", () => {
    const empty = { tokens: 0, at: 0 };
    assert.strictEqual(takeToken(empty, 1999, limits).allowed, false);
    assert.strictEqual(takeToken(empty, 2000, limits).allowed, true);
    assert.strictEqual(takeToken(empty, 60_000, limits).bucket.tokens, 1);
    assert.strictEqual(takeToken(empty, 0, limits).headers["RateLimit-Limit"], "2");
  });

  it("keeps one bucket per credential, or one for all", () => {
    const limiter = new RateLimiter();
    const one = { capacity: 1, refillPerSecond: 1 };
    assert.strictEqual(limiter.check("a", 0, one).allowed, true);
    assert.strictEqual(limiter.check("b", 0, one).allowed, true);
    assert.strictEqual(limiter.check("a", 0, one).allowed, false);
    const global = { ...one, scope: "global" as const };
    limiter.clear();
    assert.strictEqual(limiter.check("a", 0, global).allowed, true);
    assert.strictEqual(limiter.check("b", 0, global).allowed, false);
  });

  it("parses capacity/refillPerSecond and names what it refused", () => {
    assert.deepStrictEqual(parseRateLimit("10/2.5"), { capacity: 10, refillPerSecond: 2.5 });
    assert.throws(() => parseRateLimit("0/1"), /both positive: 0\/1$/);
    assert.throws(() => parseRateLimit("ten"), /: ten$/);
  });
});
