import assert from "node:assert";

import {
  type AttemptOutcome,
  defaultRetryPolicy,
  isRetryable,
  neverSent,
  NOT_SENT_NETWORK_CODES,
  parseRetryAfter,
  retryDelayMs,
} from "../../../provider/atlas/retry-policy";

const policy = { ...defaultRetryPolicy, baseDelayMs: 500, maxDelayMs: 30_000 };

describe("retry policy", () => {
  it("has the documented defaults", () => {
    assert.deepStrictEqual(defaultRetryPolicy, {
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      maxThrottledRetries: 30,
    });
  });

  describe("isRetryable", () => {
    // [outcome, idempotent (GET), not idempotent (POST creating a job)]
    const matrix: [AttemptOutcome, boolean, boolean][] = [
      [{ status: 429 }, true, true],
      [{ status: 500 }, true, false],
      [{ status: 502 }, true, false],
      [{ status: 503 }, true, false],
      [{ status: 504 }, true, false],
      [{ status: 501 }, false, false],
      [{ status: 400 }, false, false],
      [{ status: 401 }, false, false],
      [{ status: 403 }, false, false],
      [{ status: 404 }, false, false],
      [{ status: 409 }, false, false],
      [{ status: 410 }, false, false],
      [{ status: 200 }, false, false],
      // Never connected: the server cannot have acted, so even a POST may be resent.
      [{ networkCode: "ECONNREFUSED" }, true, true],
      [{ networkCode: "ENOTFOUND" }, true, true],
      [{ networkCode: "EAI_AGAIN" }, true, true],
      // Sent, answer lost: a POST may have started a restore.
      [{ networkCode: "ECONNRESET" }, true, false],
      [{ networkCode: "ETIMEDOUT" }, true, false],
      [{ networkCode: "ECONNABORTED" }, true, false],
      [{ networkCode: "EPIPE" }, true, false],
      [{}, true, false],
    ];
    for (const [outcome, idempotent, notIdempotent] of matrix) {
      const what = outcome.status ?? outcome.networkCode ?? "no answer, no code";
      it(`${what}: ${idempotent ? "retried" : "not retried"} when idempotent, ${
        notIdempotent ? "retried" : "not retried"
      } when not`, () => {
        assert.strictEqual(isRetryable(outcome, true), idempotent);
        assert.strictEqual(isRetryable(outcome, false), notIdempotent);
      });
    }
  });

  it("keeps the never-sent network codes in one exported list", () => {
    assert.deepStrictEqual([...NOT_SENT_NETWORK_CODES], ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
    assert.strictEqual(neverSent("ECONNREFUSED"), true);
    assert.strictEqual(neverSent("ECONNRESET"), false);
    assert.strictEqual(neverSent(undefined), false);
  });

  describe("retryDelayMs", () => {
    it("draws from zero up to a doubling ceiling (full jitter)", () => {
      assert.deepStrictEqual(
        [1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry, 0)),
        [0, 0, 0, 0],
      );
      assert.deepStrictEqual(
        [1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry, 0.5)),
        [250, 500, 1000, 2000],
      );
      assert.deepStrictEqual(
        [1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry, 0.999999)),
        [499, 999, 1999, 3999],
      );
    });

    it("stays below the ceiling for every random value", () => {
      for (let i = 0; i < 100; i++) {
        const random = i / 100;
        for (const retry of [1, 5, 20]) {
          const ceiling = Math.min(30_000, 500 * 2 ** (retry - 1));
          const delay = retryDelayMs(policy, retry, random);
          assert.ok(
            delay >= 0 && delay < ceiling && Number.isInteger(delay),
            `${retry}, ${random}: ${delay}`,
          );
        }
      }
    });

    it("caps the ceiling at maxDelayMs", () => {
      assert.strictEqual(retryDelayMs(policy, 7, 0.5), 15_000);
      assert.strictEqual(retryDelayMs(policy, 8, 0.5), 15_000);
      assert.strictEqual(retryDelayMs(policy, 50, 0.5), 15_000);
    });

    it("waits as long as Retry-After says, plus under a second of jitter, instead of backing off", () => {
      assert.strictEqual(retryDelayMs(policy, 1, 0, 5), 5000);
      assert.strictEqual(retryDelayMs(policy, 1, 0.5, 5), 5500);
      assert.strictEqual(retryDelayMs(policy, 4, 0.999, 5), 5999);
      assert.strictEqual(retryDelayMs(policy, 1, 0, 0), 0);
    });

    it("caps Retry-After at maxDelayMs", () => {
      assert.strictEqual(retryDelayMs(policy, 1, 0, 3600), 30_000);
      assert.strictEqual(retryDelayMs(policy, 1, 0.9, 30), 30_000);
    });
  });

  describe("parseRetryAfter", () => {
    const now = Date.parse("Sat, 28 Nov 2026 12:00:00 GMT");

    it("reads seconds", () => {
      assert.strictEqual(parseRetryAfter("5", now), 5);
      assert.strictEqual(parseRetryAfter("0", now), 0);
      assert.strictEqual(parseRetryAfter(" 120 ", now), 120);
    });

    it("reads an HTTP date as seconds from now, rounded up, never negative", () => {
      assert.strictEqual(parseRetryAfter("Sat, 28 Nov 2026 12:00:30 GMT", now), 30);
      assert.strictEqual(parseRetryAfter("Sat, 28 Nov 2026 12:00:30 GMT", now + 500), 30);
      assert.strictEqual(parseRetryAfter("Sat, 28 Nov 2026 12:00:30 GMT", now + 1500), 29);
      assert.strictEqual(parseRetryAfter("Sat, 28 Nov 2026 11:59:00 GMT", now), 0);
      // The obsolete RFC 850 form, which HTTP recipients must still accept.
      assert.strictEqual(parseRetryAfter("Saturday, 28-Nov-26 12:00:30 GMT", now), 30);
    });

    it("gives undefined when absent, empty or unreadable", () => {
      for (const value of [undefined, "", "   ", "soon", "1.5", "-1", "5s", "abc 1", "0x10", "1e3"]) {
        assert.strictEqual(parseRetryAfter(value, now), undefined, JSON.stringify(value));
      }
    });
  });
});
