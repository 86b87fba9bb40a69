/**
 * The retry policy of single API requests, as pure functions: which failures are worth another try
 * and how long to wait first. Polling a job is a different loop ({@link pollUntil}).
 */

/** Retry settings for one request. */
export interface RetryPolicy {
  /** Attempts in total, the first included (default: 5). */
  readonly maxAttempts: number;
  /** Base of the exponential backoff in ms (default: 500). */
  readonly baseDelayMs: number;
  /** Cap of one backoff wait in ms, `Retry-After` included (default: 30_000). */
  readonly maxDelayMs: number;
  /** Retries after 429 (throttling), beside `maxAttempts` (default: 30). */
  readonly maxThrottledRetries: number;
}

/** Defaults, documented in docs/waiting.md. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxThrottledRetries: 30,
};

/** What happened to one attempt, as far as retrying cares. */
export interface AttemptOutcome {
  /** HTTP status when an answer came back. */
  readonly status?: number;
  /** Network error code when none did, e.g. `ECONNREFUSED`. */
  readonly networkCode?: string;
}

/**
 * Network errors that prove the request never reached the server, so even a POST may be resent.
 * The one list: retries and the at-most-once logic both read it.
 */
export const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Whether a request that got no answer, with this network code, certainly never reached the server. */
export function neverSent(networkCode: string | undefined): boolean {
  return NOT_SENT_NETWORK_CODES.has(networkCode ?? "");
}

/**
 * Whether an attempt may be repeated. Idempotent requests retry on any network error, 429 and 5xx.
 * A POST that creates a restore job retries only when the server cannot have acted on it: 429, or a
 * connection that was never made. Anything else might have started a restore.
 */
export function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.status === 429) return true;
  if (outcome.status === undefined) {
    return idempotent || neverSent(outcome.networkCode);
  }
  return idempotent && [500, 502, 503, 504].includes(outcome.status);
}

/**
 * The wait before retry number `retry` (1 for the first retry): `Retry-After` when the server gave
 * one, plus up to a second of jitter so that clients told the same time do not return together;
 * else capped exponential backoff with full jitter (AWS's recommendation for many clients retrying at
 * once).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: number,
  retryAfterSeconds?: number,
): number {
  if (retryAfterSeconds !== undefined) {
    return Math.min(policy.maxDelayMs, retryAfterSeconds * 1000 + Math.floor(random * 1000));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random * ceiling);
}

/** Reads `Retry-After` given in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  // Date.parse reads almost anything with a digit ("1.5", "-1" are dates in 2001), which would mean
  // "retry now"; every HTTP-date form has a time of day, so require one.
  if (!/\d{2}:\d{2}:\d{2}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}
