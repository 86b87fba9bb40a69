import { type Clock, systemClock } from "../waiting/clock";
import { parseRetryAfter } from "./retry-policy";

/**
 * The client-side rate limiter: one per process, shared by every request, so that a burst of
 * parallel restores queues here instead of being refused by Atlas. It learns the budget from what
 * Atlas says (`RateLimit-Limit`, `RateLimit-Remaining`, `Retry-After`) and from nothing else: when
 * answers carry no such headers, it lets everything through.
 *
 * Two processes spend one credential's budget during an `up`: the provider process starts restores
 * while the program's process waits for them. Each sees the same `RateLimit-Remaining` and neither
 * knows what the other is about to send, so each keeps a bucket of its own: its share
 * ({@link RateLimiterOptions.share}) of the level the first answer reports, and of the refill. Later
 * answers only lower that level, since one that reports more may hold tokens the other is about to
 * spend, except for what the bucket holds above the other's share of a full bucket: the other never
 * counts on that, so it is this process's to take (the refill the other leaves while it waits). The
 * refill is the fastest gain the bucket was seen to make, or its mean gain if that is faster: what one
 * process measures is net of what the other spent meanwhile, so pacing by the mean held a process's
 * requests for seconds after the other's burst of creates (it fell to a third of a token a second,
 * measured), and two processes that had measured at quiet moments spent the same tokens.
 */

/** What the limiter needs of an answer; `status` is undefined when none came back. */
export interface LimiterAnswer {
  readonly status: number | undefined;
  header(name: string): string | undefined;
}

/** Call once with the answer (or its absence) of the request that was let through. */
export type Release = (answer: LimiterAnswer) => void;

/** How one request is paced. */
export interface AcquireOptions {
  /** Goes ahead of queued requests (restore-job creates). */
  readonly urgent?: boolean;
  /**
   * Whether the answer reports the API's budget (default: true). The OAuth token endpoint's does
   * not: its request waits only for a `Retry-After` and teaches the limiter nothing, so it cannot
   * make the limiter believe there is no limit.
   */
  readonly budgeted?: boolean;
}

/** Paces requests. */
export interface RequestLimiter {
  /**
   * Resolves when one more request may go out. `urgent` requests (restore-job creates) go ahead of
   * queued ones, so a queue of polls never delays a restore's start.
   */
  acquire(options?: AcquireOptions): Promise<Release>;
}

/** Tuning of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Wait before probing again when the budget is spent and its refill rate is unknown, in ms (default: 1_000). */
  readonly probeMs?: number;
  /** Share of the learned refill rate actually used, below 1 to absorb rounding (default: 0.95). */
  readonly headroom?: number;
  /**
   * Share of the bucket, its level and its refill, that this process spends (default: 1/2, for the
   * provider process and the program's, which use the same credential at the same time).
   */
  readonly share?: number;
}

/** One answer's view of the server's bucket. */
interface Observation {
  readonly at: number;
  readonly remaining: number;
  /**
   * Requests this process sent up to the one answered, that one included: the server counted them
   * all in `remaining` (one sent earlier may be answered later, but it was counted first).
   */
  readonly sent: number;
}

/** The limiter's knowledge, updated by answers; pure functions below read and change it. */
export interface LimiterState {
  /** `unknown` until the first answer; `unlimited` when answers carry no rate-limit headers. */
  mode: "unknown" | "unlimited" | "limited";
  /** This process's part of the server's bucket, after every request it has in flight is counted. */
  tokens: number;
  /** Time of `tokens`, ms. */
  at: number;
  /** Bucket size from `RateLimit-Limit`. */
  limit: number;
  /**
   * The bucket's refill, tokens per ms (this process spends its share of it): the fastest gain seen
   * between two answers far enough apart, or the mean gain if faster (alone, the two agree; the mean
   * evens out `Remaining`'s rounding). Undefined until two answers far enough apart.
   */
  ratePerMs: number | undefined;
  /** Nothing goes out before this time (a 429's `Retry-After`), ms. */
  blockedUntil: number;
  inFlight: number;
  /** Requests let through so far; each request's number is the count when it went out. */
  admitted: number;
  /**
   * Number of the latest-admitted request whose answer set `tokens`. An answer to an earlier request
   * that arrives after it is stale: the server counted later requests before answering it.
   */
  newestApplied: number;
  anchor: Observation | undefined;
  /** Sums over every rate sample: refilled tokens and the time they took. */
  refilled: number;
  refillMs: number;
  /** The fastest sample's gain, tokens per ms, one token short for `Remaining`'s rounding. */
  fastestPerMs: number;
}

/** A fresh state: nothing known yet. */
export function initialLimiterState(now: number): LimiterState {
  return {
    mode: "unknown",
    tokens: 0,
    at: now,
    limit: Infinity,
    ratePerMs: undefined,
    blockedUntil: 0,
    inFlight: 0,
    admitted: 0,
    newestApplied: 0,
    anchor: undefined,
    refilled: 0,
    refillMs: 0,
    fastestPerMs: 0,
  };
}

/** Processes that share one credential's budget during an `up`: the provider's and the program's. */
const DEFAULT_SHARE = 1 / 2;

/** Tokens that only urgent requests (restore creates) may spend. */
const URGENT_RESERVE = 1;

/** Shortest span between two answers that gives a rate sample: `Remaining` is rounded down. */
const MIN_SAMPLE_MS = 1_000;

/**
 * Whether one request may go out at `now`, and if not, how long until it may be asked again
 * (undefined: wait for an answer in flight). Takes the request's token when it says yes, and numbers
 * the request (`seq`, to hand back to {@link observe} with its answer).
 */
export function admit(
  state: LimiterState,
  now: number,
  options: Required<RateLimiterOptions>,
  urgent = false,
): { go: true; seq: number } | { go: false; waitMs: number | undefined } {
  if (now < state.blockedUntil) return { go: false, waitMs: state.blockedUntil - now };
  if (state.mode === "unlimited") return take(state);
  // Until the first answer says whether there is a limit, one request at a time: sending a whole
  // burst blind is what gets it refused.
  if (state.mode === "unknown") return state.inFlight === 0 ? take(state) : { go: false, waitMs: undefined };
  refill(state, now, options);
  // Where the server reports its budget, other requests leave one token spare, so that a restore's
  // create finds one even when the estimate of the server's bucket is a little high.
  const needed = urgent || state.limit === Infinity ? 1 : 1 + URGENT_RESERVE;
  if (state.tokens >= needed) {
    state.tokens -= 1;
    return take(state);
  }
  if (state.ratePerMs !== undefined) {
    return {
      go: false,
      waitMs: Math.max(1, Math.ceil((needed - state.tokens) / (state.ratePerMs * pace(options)))),
    };
  }
  // Spent and the rate unknown: probe with one request once a pause has passed since the last answer.
  // Answers in flight may bring news sooner, but one held up (a slow server) must not stall the rest.
  if (now - state.at >= options.probeMs) {
    state.at = now;
    return take(state);
  }
  return { go: false, waitMs: options.probeMs - (now - state.at) };
}

function take(state: LimiterState): { go: true; seq: number } {
  state.inFlight += 1;
  state.admitted += 1;
  return { go: true, seq: state.admitted };
}

/** Of the bucket's refill, the part this process spends: its share, less the headroom. */
const pace = (options: Pacing): number => options.headroom * options.share;

/** Adds this process's part of what the bucket refilled since `state.at`. */
function refill(state: LimiterState, now: number, options: Pacing): void {
  if (state.ratePerMs === undefined || now <= state.at) return;
  state.tokens = Math.min(
    state.limit * options.share,
    state.tokens + (now - state.at) * state.ratePerMs * pace(options),
  );
  state.at = now;
}

/** What pacing takes of the options. */
type Pacing = Pick<Required<RateLimiterOptions>, "headroom" | "share">;

/**
 * Learns from one answer of a request that {@link admit} let through as number `seq` (default: the
 * latest admitted).
 */
export function observe(
  state: LimiterState,
  answer: LimiterAnswer,
  now: number,
  retryAfterMs?: number,
  seq: number = state.admitted,
  pacing: Pacing = { headroom: 1, share: 1 },
): void {
  state.inFlight = Math.max(0, state.inFlight - 1);
  if (answer.status === 429) {
    // Whatever the answers said before, there is a limit.
    state.mode = "limited";
    state.blockedUntil = Math.max(state.blockedUntil, now + (retryAfterMs ?? 1_000));
    state.tokens = Math.min(state.tokens, 0);
    state.at = now;
    return;
  }
  const limit = integerHeader(answer, "ratelimit-limit");
  const remaining = integerHeader(answer, "ratelimit-remaining");
  if (remaining === undefined) {
    // A 401 (digest's first, bare request) or a lost answer says nothing about the budget.
    if (answer.status === undefined || answer.status === 401) return;
    // A first answer without headers: this API does not report a budget, so do not invent one.
    if (state.mode === "unknown") state.mode = "unlimited";
    // Limited (a 429 came) but told nothing more: each success lets two more go, doubling the pace
    // every round trip until the next 429, as TCP's slow start does.
    else if (state.mode === "limited" && state.ratePerMs === undefined) {
      state.tokens = Math.max(state.tokens, 0) + 2;
      state.at = now;
    }
    return;
  }
  const first = state.mode !== "limited";
  state.mode = "limited";
  if (limit !== undefined) state.limit = limit;
  // Answers travel back on separate connections and may overtake each other. One that reports an
  // older moment of the bucket than an answer already applied would hand back tokens that later
  // requests spent (the cause of refused creates under a burst): the newer figure stands.
  if (seq < state.newestApplied) return;
  state.newestApplied = seq;
  // Requests still in flight will take their tokens from this process's share of what it reports.
  const reported = remaining * pacing.share - state.inFlight;
  learnRate(state, { at: now, remaining, sent: seq });
  // The first answer sets this process's level, as does every answer when no other process shares the
  // credential; other answers only lower it (see the module's comment).
  if (first || pacing.share === 1) {
    state.tokens = reported;
    state.at = now;
    return;
  }
  refill(state, now, pacing);
  // Above what the other process may hold (its share of a full bucket), the bucket is this one's:
  // what the other leaves unspent while it waits, which its share alone would leave idle.
  const aboveOthers = remaining - (1 - pacing.share) * state.limit - state.inFlight;
  state.tokens = Math.max(Math.min(state.tokens, reported), aboveOthers);
  state.at = now;
}

function learnRate(state: LimiterState, seen: Observation): void {
  const anchor = state.anchor;
  if (anchor === undefined) {
    state.anchor = seen;
    return;
  }
  const spanMs = seen.at - anchor.at;
  if (spanMs < MIN_SAMPLE_MS) return;
  const gained = seen.remaining - anchor.remaining + (seen.sent - anchor.sent);
  // A full bucket stops refilling: a span that touched it gained at least this, but the mean would
  // count its time at the top as slow refill.
  if (seen.remaining < state.limit - 1 && anchor.remaining < state.limit - 1) {
    state.refilled += Math.max(0, gained);
    state.refillMs += spanMs;
  }
  // `Remaining` is rounded down at both ends: the bucket surely gained one token less than it seems.
  state.fastestPerMs = Math.max(state.fastestPerMs, (gained - 1) / spanMs);
  const rate = Math.max(state.fastestPerMs, state.refillMs > 0 ? state.refilled / state.refillMs : 0);
  if (rate > 0) state.ratePerMs = rate;
  state.anchor = seen;
}

function integerHeader(answer: LimiterAnswer, name: string): number | undefined {
  const text = answer.header(name)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Builds a limiter over a clock. */
export function createRateLimiter(
  clock: Clock,
  retryAfterMs: (answer: LimiterAnswer, nowMs: number) => number | undefined = retryAfterOf,
  tuning: RateLimiterOptions = {},
): RequestLimiter {
  const options = {
    probeMs: tuning.probeMs ?? 1_000,
    headroom: tuning.headroom ?? 0.95,
    share: tuning.share ?? DEFAULT_SHARE,
  };
  const state = initialLimiterState(clock.now());
  const urgent: ((seq: number) => void)[] = [];
  const normal: ((seq: number) => void)[] = [];
  let timer: { due: number } | undefined;

  const pump = (): void => {
    while (urgent.length + normal.length > 0) {
      const decision = admit(state, clock.now(), options, urgent.length > 0);
      if (!decision.go) {
        if (decision.waitMs !== undefined) schedule(decision.waitMs);
        return;
      }
      (urgent.shift() ?? normal.shift())!(decision.seq);
    }
  };
  const schedule = (waitMs: number): void => {
    const due = clock.now() + waitMs;
    if (timer !== undefined && timer.due <= due) return;
    const mine = { due };
    timer = mine;
    void clock.sleep(waitMs).then(() => {
      if (timer === mine) timer = undefined;
      pump();
    });
  };

  return {
    async acquire(request = {}) {
      if (request.budgeted === false) {
        while (clock.now() < state.blockedUntil) await clock.sleep(state.blockedUntil - clock.now());
        return (answer) => {
          if (answer.status !== 429) return;
          const now = clock.now();
          state.blockedUntil = Math.max(state.blockedUntil, now + (retryAfterMs(answer, now) ?? 1_000));
        };
      }
      return new Promise<Release>((resolve) => {
        const admitted = (seq: number) => {
          let released = false;
          resolve((answer) => {
            if (released) return;
            released = true;
            const now = clock.now();
            const wait = answer.status === 429 ? retryAfterMs(answer, now) : undefined;
            observe(state, answer, now, wait, seq, options);
            pump();
          });
        };
        (request.urgent ? urgent : normal).push(admitted);
        pump();
      });
    },
  };
}

/** A 429's `Retry-After` in ms, when it has a readable one. */
function retryAfterOf(answer: LimiterAnswer, nowMs: number): number | undefined {
  const seconds = parseRetryAfter(answer.header("retry-after"), nowMs);
  return seconds === undefined ? undefined : seconds * 1000;
}

const shared = new Map<string, RequestLimiter>();

/**
 * The limiter of this process for one API endpoint and credential (Atlas counts requests per
 * credential), created on first use: every session and every request of the process that talk to
 * it share it. The key names the credential by its public id, never its secret.
 */
export function processRateLimiter(key: string): RequestLimiter {
  let limiter = shared.get(key);
  if (limiter === undefined) {
    limiter = createRateLimiter(systemClock, retryAfterOf);
    shared.set(key, limiter);
  }
  return limiter;
}
