/**
 * When to look at a job again, as pure functions of time since the job started. A schedule never
 * sleeps or reads a clock: {@link pollUntil} asks it for the next wait, and tests and the bench
 * evaluate it in simulated time.
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

/**
 * The default schedule, for a job whose length nothing predicts. Why these times: for finish times
 * spread ±20 % around a length, the mean detection delay of a schedule is Σ gap² / (2 × spread), so
 * no schedule notices a job finishing after 4 minutes within 30 s on average with fewer checks than
 * one every 60 s. Matching the 60 s poller's calls from 30 minutes up therefore leaves room for
 * exactly four checks before 4 minutes, the same as Terraform's (30, 90, 150, 210 s). Ours are placed
 * where they help most: 12 s (a 10 s job is noticed within 2 s), 56 and 72 s (a 1 minute job within
 * 7 s), 150 s (a 2 minute job as soon as Terraform's); then 270 s and every 60 s after.
 */
export const DEFAULT_CHECK_TIMES_MS: readonly number[] = [12 * S, 56 * S, 72 * S, 150 * S, 270 * S];

/** Period of the default schedule after its planned checks. */
export const DEFAULT_PERIOD_MS = 60 * S;

/** The default schedule ({@link DEFAULT_CHECK_TIMES_MS}, then every {@link DEFAULT_PERIOD_MS}). */
export const defaultSchedule: PollSchedule = plannedSchedule(DEFAULT_CHECK_TIMES_MS, DEFAULT_PERIOD_MS);

/** When a job is expected to finish, from what earlier jobs took. */
export interface Prediction {
  /** Most likely length, ms. */
  readonly expectedMs: number;
  /** Earliest and latest plausible finish, ms since the start. */
  readonly lowMs: number;
  readonly highMs: number;
  /** How many earlier jobs it rests on. */
  readonly basedOn: number;
}

/** One earlier job of the same source: when it started and finished, and how much it restored. */
export interface PastJob {
  /** Epoch ms, or an ISO 8601 date (Flex `restoreScheduledDate`, collection `createdAt`). */
  readonly startedAt: number | string | undefined;
  /** Epoch ms, or an ISO 8601 date (Flex `restoreFinishedDate`, collection `finishedAt`). */
  readonly finishedAt: number | string | undefined;
  /**
   * How much it restored, when known, in a unit shared with the job being predicted (a collection
   * restore's `totalDocuments`).
   */
  readonly size?: number;
}

/** Fewest earlier jobs a prediction rests on: one could be an outlier. */
const MIN_HISTORY = 2;

/** Least widening of the observed range on each side, as a share of the median length. */
const MIN_MARGIN = 0.05;

/**
 * Predicts a job's length from earlier jobs of the same source, or undefined when there are too few
 * usable ones (a start or finish missing, unreadable, or out of order). When both this job's and the
 * earlier jobs' sizes are known, each earlier length is scaled by the size ratio first.
 */
export function predictDuration(history: readonly PastJob[], size?: number): Prediction | undefined {
  const lengths: number[] = [];
  for (const job of history) {
    const started = toMs(job.startedAt);
    const finished = toMs(job.finishedAt);
    if (started === undefined || finished === undefined || finished <= started) continue;
    const scale =
      size !== undefined && size > 0 && job.size !== undefined && job.size > 0 ? size / job.size : 1;
    lengths.push((finished - started) * scale);
  }
  if (lengths.length < MIN_HISTORY) return undefined;
  lengths.sort((a, b) => a - b);
  const low = lengths[0]!;
  const high = lengths[lengths.length - 1]!;
  const median = lengths[Math.floor(lengths.length / 2)]!;
  // n lengths cut their range into n - 1 gaps; the next job falls outside the range seen by about one
  // such gap, so widen each side by two, or by a small share of the length when all were alike.
  const margin = Math.max((2 * (high - low)) / (lengths.length - 1), MIN_MARGIN * median);
  return {
    expectedMs: median,
    lowMs: Math.max(0, low - margin),
    highMs: high + margin,
    basedOn: lengths.length,
  };
}

/**
 * What the resource records in state for the wait: the predicted window of a job, and when the job
 * started (epoch ms), so that a wait resumed by a later `up` keeps the job's plan.
 */
export interface Forecast extends Prediction {
  readonly startedAt: number;
}

/**
 * The forecast of a job started at `startedAt` (epoch ms, or the ISO date Atlas reports; `nowMs` when
 * it says none) from earlier jobs of its source, or undefined when they predict nothing.
 */
export function forecastFrom(
  history: readonly PastJob[],
  startedAt: number | string | undefined,
  nowMs: number,
  size?: number,
): Forecast | undefined {
  const prediction = predictDuration(history, size);
  if (prediction === undefined) return undefined;
  return {
    expectedMs: Math.round(prediction.expectedMs),
    lowMs: Math.round(prediction.lowMs),
    highMs: Math.round(prediction.highMs),
    basedOn: prediction.basedOn,
    startedAt: toMs(startedAt) ?? nowMs,
  };
}

/** A {@link Forecast} read back from state, or undefined when it is missing or anything in it is off. */
export function forecastOf(value: unknown): Forecast | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { expectedMs, lowMs, highMs, basedOn, startedAt } = value as Record<string, unknown>;
  const numbers = [expectedMs, lowMs, highMs, basedOn, startedAt];
  if (!numbers.every((n) => typeof n === "number" && Number.isFinite(n))) return undefined;
  const f = { expectedMs, lowMs, highMs, basedOn, startedAt } as Forecast;
  return f.lowMs >= 0 && f.lowMs <= f.expectedMs && f.expectedMs <= f.highMs ? f : undefined;
}

function toMs(value: number | string | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Closest two checks inside the window may be. */
const MIN_GAP_MS = 1_000;

/** Insurance checks before the window, as shares of its start, closing in on it. */
const EARLY_CHECKS = [0.25, 0.5, 0.75];

/** Fewest checks inside the window. */
const MIN_WINDOW_CHECKS = 4;

/**
 * A schedule built around a prediction, spending about the calls the default would: three early
 * checks and an approach at the default's 60 s period, in case this job is quicker than the earlier
 * ones, then evenly spaced checks across the predicted window, as many as the default would make
 * by the expected finish, doubled because on average only half of them are needed; then the
 * default's 60 s period if the job runs late.
 */
export function predictedSchedule(prediction: Prediction): PollSchedule {
  const { lowMs, highMs, expectedMs } = prediction;
  // A job quicker than every earlier one is rare but costly to miss: approach the window at the
  // default's period over half its width, and before that check only a few times.
  const approach = Math.max(0, lowMs - (highMs - lowMs) / 2);
  const early = EARLY_CHECKS.map((f) => Math.round(f * approach)).filter((t) => t >= MIN_GAP_MS);
  for (let t = approach; t < lowMs; t += DEFAULT_PERIOD_MS) if (t >= MIN_GAP_MS) early.push(Math.round(t));
  const budget = checksBefore(DEFAULT_CHECK_TIMES_MS, DEFAULT_PERIOD_MS, expectedMs) + 1 - early.length;
  const checks = Math.max(MIN_WINDOW_CHECKS, 2 * budget - 1);
  const gap = Math.max(MIN_GAP_MS, (highMs - lowMs) / checks);
  const times = [...early];
  for (let k = 1; lowMs + k * gap < highMs + gap / 2; k++) times.push(Math.round(lowMs + k * gap));
  return plannedSchedule(
    [...new Set(times)].sort((a, b) => a - b),
    DEFAULT_PERIOD_MS,
  );
}

/** Checks a planned schedule makes before `ms`. */
function checksBefore(times: readonly number[], everyMs: number, ms: number): number {
  const planned = times.filter((t) => t < ms).length;
  const last = times[times.length - 1] ?? 0;
  return ms <= last ? planned : planned + Math.ceil((ms - last) / everyMs) - 1;
}

/** The polling settings of a provider configuration, as far as choosing a schedule cares. */
export interface PollSettings {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * `planned` (the default schedule, or one built around a prediction) unless the user set
   * `pollMinDelayMs`/`pollMaxDelayMs`, which ask for the geometric schedule; absent means geometric.
   */
  readonly mode?: "planned" | "geometric";
}

/** The schedule of one wait: what the settings ask for, around the prediction when there is one. */
export function scheduleFor(settings: PollSettings, prediction?: Prediction): PollSchedule {
  if (settings.mode !== "planned") return geometricSchedule({ ...settings, factor: GEOMETRIC_FACTOR });
  return prediction === undefined ? defaultSchedule : predictedSchedule(prediction);
}
