// Token-bucket rate limiting: each bucket holds up to `capacity` requests and refills continuously at
// `refillPerSecond`. Pure arithmetic over timestamps, so tests drive it with a manual clock.

/** The `rateLimit` option. */
export interface RateLimitOptions {
  /** Requests a full bucket allows in a burst (>= 1). */
  capacity: number;
  /** Requests added back per second (> 0). */
  refillPerSecond: number;
  /** One bucket per credential (default) or one shared by all callers. */
  scope?: "credential" | "global";
}

/** A bucket's level at a point in time. */
export interface Bucket {
  tokens: number;
  /** Epoch ms of `tokens`. */
  at: number;
}

/** The decision for one request and the headers that report it. */
export interface RateDecision {
  allowed: boolean;
  bucket: Bucket;
  headers: Record<string, string>;
}

/** Refills `bucket` up to `now` and takes one token if there is one. */
export function takeToken(bucket: Bucket | undefined, now: number, limits: RateLimitOptions): RateDecision {
  const start = bucket ?? { tokens: limits.capacity, at: now };
  const elapsedSeconds = Math.max(0, now - start.at) / 1000;
  const tokens = Math.min(limits.capacity, start.tokens + elapsedSeconds * limits.refillPerSecond);
  const headers: Record<string, string> = { "RateLimit-Limit": String(limits.capacity) };
  if (tokens >= 1) {
    const left = tokens - 1;
    headers["RateLimit-Remaining"] = String(Math.floor(left));
    return { allowed: true, bucket: { tokens: left, at: now }, headers };
  }
  headers["RateLimit-Remaining"] = "0";
  headers["Retry-After"] = String(Math.max(1, Math.ceil((1 - tokens) / limits.refillPerSecond)));
  return { allowed: false, bucket: { tokens, at: now }, headers };
}

/** Buckets by key (a credential id, or one global key). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Decides for a request by `credentialId` at `now`. */
  check(credentialId: string, now: number, limits: RateLimitOptions): RateDecision {
    const key = limits.scope === "global" ? "*" : credentialId;
    const decision = takeToken(this.buckets.get(key), now, limits);
    this.buckets.set(key, decision.bucket);
    return decision;
  }

  /** Refills every bucket. */
  clear(): void {
    this.buckets.clear();
  }
}

/** Parses `capacity/refillPerSecond` (e.g. `10/2`); throws on anything else. */
export function parseRateLimit(text: string): RateLimitOptions {
  const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
    throw new Error(`rate limit must be <capacity>/<refillPerSecond>, both positive: ${text}`);
  }
  return { capacity: Number(m[1]), refillPerSecond: Number(m[2]) };
}
