import { hazard, type LengthBelief, medianOf, quantile, survival } from "./belief";

export type { Forecast } from "./forecast";

/**
 * When to look at a job again, as pure functions of time since the job started. A schedule never
 * sleeps or reads a clock: {@link pollUntil} asks it for the next wait, and tests and the bench
 * evaluate it in simulated time.
 *
 * Two schedules matter. Without any belief about the job's length, {@link unknownLengthSchedule}
 * looks often at first (quick restores end within a minute) and settles at one check a minute. With
 * a belief (`belief.ts`: earlier jobs of the source, the job's progress), {@link planFor} spends the
 * calls of a 30 s-then-60 s poller where the job is likely to end; `wait-plan.ts` picks one for a
 * wait and re-plans as readings come in.
 */

/** What a schedule may base its next wait on. */
export interface ScheduleState {
  /** Waits done so far (0 before the first). */
  readonly waits: number;
  /** Time since the job started (or the wait began), ms. */
  readonly elapsedMs: number;
  /** A number in [0, 1), for jitter. */
  readonly random: number;
}

/** A polling schedule: the wait before the next check, in ms (at least 1). */
export type PollSchedule = (state: ScheduleState) => number;

/** Settings of {@link geometricSchedule}. */
export interface GeometricSettings {
  /** First wait, ms. */
  readonly minDelayMs: number;
  /** Cap of one wait, ms. */
  readonly maxDelayMs: number;
  /** Growth of the wait from one check to the next. */
  readonly factor: number;
}

/** Growth of a geometric schedule's wait from one check to the next, unless set otherwise. */
export const GEOMETRIC_FACTOR = 1.3;

/** Share of each geometric wait that jitter may take away, so that jobs started together spread out. */
const JITTER = 0.2;

/**
 * Waits growing geometrically from `minDelayMs` by `factor` up to `maxDelayMs`, each shortened by up
 * to {@link JITTER} at random: what a user gets by setting `pollMinDelayMs`/`pollMaxDelayMs`.
 */
export function geometricSchedule(settings: GeometricSettings): PollSchedule {
  return ({ waits, random }) => {
    const base = Math.min(settings.maxDelayMs, settings.minDelayMs * settings.factor ** waits);
    return Math.max(1, Math.round(base * (1 - JITTER * random)));
  };
}

/**
 * A schedule from a list of check times (ms since the start, ascending), then a fixed period after
 * the last. Deterministic: no jitter, since jitter can only add delay, and the process's shared rate
 * limiter already spreads jobs polled at the same moment.
 */
export function plannedSchedule(times: readonly number[], thenEveryMs: number): PollSchedule {
  const last = times[times.length - 1] ?? 0;
  return ({ elapsedMs }) => {
    const next =
      times.find((t) => t > elapsedMs) ??
      last + thenEveryMs * Math.max(1, Math.ceil((elapsedMs - last + 1) / thenEveryMs));
    return Math.max(1, Math.ceil(next - elapsedMs));
  };
}

const S = 1_000;

/** Longest wait of the schedules without a belief, and once a job outlives its belief. */
export const STEADY_GAP_MS = 60 * S;
/** First wait without a belief; the gap then grows by {@link GAP_GROWTH} of the time elapsed. */
export const FIRST_GAP_MS = 2 * S;
/** Share of the time elapsed that the gap adds at first, without a belief. */
export const GAP_GROWTH = 1 / 15;
/** After the first minute or so, gaps grow faster: a quarter of the time since this moment. */
export const KNEE_MS = 48 * S;
export const LATE_GAP_GROWTH = 1 / 4;

/**
 * The gap after `elapsedMs` when nothing predicts the length: 2 s at first, growing by a fifteenth
 * of the time elapsed (6 s after a minute), then by a quarter of the time since 48 s, up to one
 * minute from about 5 minutes on. A job ending within ±20 % of any length under a minute is noticed
 * within 3 s on average; a long one within 30 s, as by a 60 s poller, which no schedule making that
 * poller's calls can beat without knowing more. Seeing quick jobs costs about 24 checks more than
 * that poller over the whole wait.
 */
export function unknownLengthGap(elapsedMs: number): number {
  const t = Math.max(0, elapsedMs);
  return Math.min(STEADY_GAP_MS, Math.max(FIRST_GAP_MS + t * GAP_GROWTH, (t - KNEE_MS) * LATE_GAP_GROWTH));
}

/** The schedule of a job whose length nothing predicts (see {@link unknownLengthGap}). */
export const unknownLengthSchedule: PollSchedule = ({ elapsedMs }) =>
  Math.max(1, Math.round(unknownLengthGap(elapsedMs)));

/** The reference poller's first check and period (Terraform's restore resource: 30 s, then 60 s). */
export const REFERENCE_FIRST_MS = 30 * S;
export const REFERENCE_PERIOD_MS = 60 * S;

/** Closest two checks may be, for a job of more than a few seconds. */
export const MIN_GAP_MS = 1 * S;
/**
 * For a job expected to end within seconds, checks may come closer: a tenth of its expected length,
 * but never closer than this. A queue of one-second jobs then waits a tenth of a second, not a
 * second, between one job's end and the next one's start.
 */
export const QUICK_MIN_GAP_MS = 100;

/** Closest two checks around a belief with this median may be. */
export function minGapFor(medianMs: number): number {
  return Math.min(MIN_GAP_MS, Math.max(QUICK_MIN_GAP_MS, medianMs / 10));
}

/**
 * Longest gap once the job may plausibly be ending: the forecast is trusted only so far, and a job
 * that ends at half or twice its forecast is still noticed within two minutes.
 */
export const TRUSTED_GAP_MS = 120 * S;
/** From this share of the expected length on, gaps stay within {@link TRUSTED_GAP_MS}. */
export const TRUST_FROM = 0.35;
/**
 * Before that, a gap may grow to this many times the time elapsed (checks at 2 min, 6 min, 18 min…):
 * a job far quicker than its forecast, or one that failed at once, is still seen.
 */
export const EARLY_GAP_SHARE = 2;
/** A job still running when this share of such jobs has ended is late: the belief no longer guides. */
export const LATE_SHARE = 0.98;
/** Calls a plan expects to make, as a share of the reference poller's for the same belief. */
export const CALL_SHARE = 0.98;
/**
 * Fewest calls a plan expects to make: one check cannot both come soon after a likely finish and
 * cover a later one, and for a job under a minute the reference poller's single check at 30 s is no
 * standard to keep to.
 */
export const MIN_CALLS = 2;
/**
 * A job expected to end within this is no job for the reference poller's budget (its first look
 * comes at 30 s): its calls are priced at no more than {@link PRICE_SHARE} of its expected length in
 * delay, which notices it within about a twentieth of its length. Below a minute, so that a job of a
 * minute and more is held to the reference's calls.
 */
export const QUICK_JOB_MS = 50 * S;
export const PRICE_SHARE = 0.05;

/** A wait's checks around a belief: when, and from what moment on the job counts as late. */
export interface BeliefPlan {
  /** Check times, ms since the job's start, ascending. */
  readonly times: readonly number[];
  /** From here on the belief no longer guides: the job is late (see {@link lateGap}). */
  readonly lateMs: number;
  /** The belief's median, ms since the start. */
  readonly medianMs: number;
  /** Price of one call in expected delay, ms (see {@link planFor}). */
  readonly callPriceMs: number;
}

/** Points per unit of the logarithm of time on which a plan's check density is integrated. */
const GRID_PER_LOG = 300;

/** The longest gap at `t` (see {@link TRUSTED_GAP_MS}, {@link EARLY_GAP_SHARE}). */
function capAt(medianMs: number, t: number): number {
  const trustFrom = TRUST_FROM * medianMs;
  if (t >= trustFrom) return TRUSTED_GAP_MS;
  // Early gaps grow with the time elapsed, but none reaches more than one trusted gap into the range.
  return Math.max(TRUSTED_GAP_MS, Math.min(EARLY_GAP_SHARE * t, trustFrom + TRUSTED_GAP_MS - t));
}

/**
 * What a plan's density of checks rests on, once per belief: a grid of times (log-spaced from the
 * plan's start to the late point), and in each cell the square root of the hazard and the fewest
 * checks per ms that the gap limits ask for.
 */
interface Grid {
  /** Most checks per ms (see {@link minGapFor}). */
  readonly ceiling: number;
  readonly edges: Float64Array;
  readonly rootHazard: Float64Array;
  readonly floor: Float64Array;
}

function gridOf(belief: LengthBelief, fromMs: number, lateMs: number, medianMs: number): Grid {
  const first = Math.max(fromMs, 100);
  const cells = Math.max(1, Math.ceil(GRID_PER_LOG * Math.log(Math.max(lateMs, first + 1) / first)));
  const edges = new Float64Array(cells + 1);
  const rootHazard = new Float64Array(cells);
  const floor = new Float64Array(cells);
  const step = Math.log(Math.max(lateMs, first + 1) / first) / cells;
  edges[0] = fromMs;
  for (let j = 1; j <= cells; j++) edges[j] = first * Math.exp(j * step);
  for (let j = 0; j < cells; j++) {
    const mid = (edges[j]! + edges[j + 1]!) / 2;
    rootHazard[j] = Math.sqrt(hazard(belief, mid));
    floor[j] = 1 / capAt(medianMs, mid);
  }
  return { ceiling: 1 / minGapFor(medianMs), edges, rootHazard, floor };
}

/**
 * Check times for a price per call. Minimising expected delay plus a price per call gives a density
 * of checks of √(hazard / (2 × price)): checks crowd where a job still running is likely to end right
 * then, and thin out where it is not. Checks fall at every whole unit of that density's integral,
 * within the gap limits (never closer than {@link minGapFor} says, never further than the cap).
 */
function timesAt(grid: Grid, callPriceMs: number): number[] {
  const root = Math.sqrt(2 * callPriceMs);
  const times: number[] = [];
  let due = 1;
  let integral = 0;
  for (let j = 0; j < grid.rootHazard.length; j++) {
    const density = Math.min(grid.ceiling, Math.max(grid.rootHazard[j]! / root, grid.floor[j]!));
    const start = grid.edges[j]!;
    const width = grid.edges[j + 1]! - start;
    const end = integral + density * width;
    while (end >= due) {
      times.push(start + (due - integral) / density);
      due++;
    }
    integral = end;
  }
  return times;
}

/** Expected calls of checks at `times` for a job still running at `fromMs`: 1 + Σ P(still running). */
function expectedCalls(belief: LengthBelief, fromMs: number, times: readonly number[]): number {
  const alive = survival(belief, fromMs);
  if (alive <= 0) return 1;
  return 1 + times.reduce((sum, t) => sum + survival(belief, t) / alive, 0);
}

/** Checks of the reference poller after `fromMs` and before `lateMs`. */
function referenceTimes(fromMs: number, lateMs: number): number[] {
  const times: number[] = [];
  const skipped = Math.max(0, Math.ceil((fromMs - REFERENCE_FIRST_MS) / REFERENCE_PERIOD_MS));
  for (let t = REFERENCE_FIRST_MS + skipped * REFERENCE_PERIOD_MS; t < lateMs; t += REFERENCE_PERIOD_MS)
    times.push(t);
  return times;
}

/**
 * The plan of a wait from `fromMs` (ms since the job's start) around a belief. A call is priced so
 * that the plan expects the reference poller's calls for the same belief (bisection on the price's
 * logarithm: calls fall as the price rises), and at least {@link MIN_CALLS}; a job expected under
 * {@link QUICK_JOB_MS} is priced at no more than {@link PRICE_SHARE} of its length. Given a price
 * (a wait re-planned after a reading moved its belief keeps the one it started with, so that calls
 * it saved earlier are still spent where the job now seems likely to end), it is kept.
 */
export function planFor(belief: LengthBelief, fromMs: number, callPriceMs?: number): BeliefPlan {
  const medianMs = medianOf(belief);
  const lateMs = Math.max(fromMs + MIN_GAP_MS, quantile(belief, LATE_SHARE));
  const grid = gridOf(belief, fromMs, lateMs, medianMs);
  if (callPriceMs !== undefined) return { times: timesAt(grid, callPriceMs), lateMs, medianMs, callPriceMs };
  const reference = expectedCalls(belief, fromMs, referenceTimes(fromMs, lateMs));
  const budget = Math.max(MIN_CALLS, CALL_SHARE * reference);
  const tooMany = (price: number) => expectedCalls(belief, fromMs, timesAt(grid, price)) > budget;
  let low = Math.log(1e-3);
  let high = Math.log(lateMs * 10);
  for (let i = 0; i < 40 && high - low > 0.01; i++) {
    const mid = (low + high) / 2;
    if (tooMany(Math.exp(mid))) low = mid;
    else high = mid;
  }
  const priced = Math.exp(high);
  const price = medianMs < QUICK_JOB_MS ? Math.min(priced, PRICE_SHARE * medianMs) : priced;
  return { times: timesAt(grid, price), lateMs, medianMs, callPriceMs: price };
}

/** Share of how late a job runs (past its expected length) that the next gap may be. */
export const LATE_GAP_SHARE = 1 / 4;

/**
 * The gap after `t` for a job running past its belief: a quarter of how far past its expected
 * length it is, from the closest gap allowed up to {@link STEADY_GAP_MS}. A one-second job a tenth
 * of a second late is looked at again within a tenth of a second; a six-hour job hours late, every
 * minute, as by a 60 s poller.
 */
export function lateGap(plan: Pick<BeliefPlan, "medianMs">, t: number): number {
  const past = Math.max(0, t - plan.medianMs);
  return Math.min(STEADY_GAP_MS, Math.max(minGapFor(plan.medianMs), LATE_GAP_SHARE * past));
}

/** The next check after `t` (ms since the start): the plan's, or past its late point the late rule. */
export function nextCheck(plan: BeliefPlan, t: number): number {
  const planned = plan.times.find((time) => time > t);
  if (planned !== undefined) return planned;
  const from = Math.max(t, plan.times[plan.times.length - 1] ?? t);
  return from + lateGap(plan, from);
}

/** The polling settings of a provider configuration, as far as choosing a schedule cares. */
export interface PollSettings {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * `planned` (the schedule without a belief, or one built around a belief) unless the user set
   * `pollMinDelayMs`/`pollMaxDelayMs`, which ask for the geometric schedule; absent means geometric.
   */
  readonly mode?: "planned" | "geometric";
}
