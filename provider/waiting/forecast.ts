import { beliefFromLengths, type LengthRange, rangeOf } from "./belief";

/**
 * Forecasts from a source's earlier jobs: what the starter records in state for the wait, so that a
 * wait (in another process, perhaps on a later `up`) starts from what the listing made before the POST
 * said, at no extra request.
 */

/** One earlier job of the same source: when it started and finished, and how much it restored. */
export interface PastJob {
  /** Epoch ms, or an ISO 8601 date (Flex `restoreScheduledDate`, collection `createdAt`). */
  readonly startedAt: number | string | undefined;
  /** Epoch ms, or an ISO 8601 date (Flex `restoreFinishedDate`, `finishedAt`). */
  readonly finishedAt: number | string | undefined;
  /**
   * How much it restored, when known, in a unit shared with the job being predicted (a collection
   * restore's `totalDocuments`).
   */
  readonly size?: number;
}

/**
 * Lengths of earlier jobs (ms), each scaled to this job's size when both sizes are known; jobs
 * without a usable start and finish (missing, unreadable, out of order) are left out.
 */
export function pastLengths(history: readonly PastJob[], size?: number): number[] {
  const lengths: number[] = [];
  for (const job of history) {
    const started = toMs(job.startedAt);
    const finished = toMs(job.finishedAt);
    if (started === undefined || finished === undefined || finished <= started) continue;
    const scale =
      size !== undefined && size > 0 && job.size !== undefined && job.size > 0 ? size / job.size : 1;
    lengths.push((finished - started) * scale);
  }
  return lengths;
}

/** When a job is expected to finish: its median length and 90 % range, ms, and what it rests on. */
export type Prediction = LengthRange;

/**
 * Predicts a job's length from earlier jobs of the same source, or undefined when fewer than two are
 * usable (see `beliefFromLengths`).
 */
export function predictDuration(history: readonly PastJob[], size?: number): Prediction | undefined {
  const belief = beliefFromLengths(pastLengths(history, size));
  return belief && rangeOf(belief);
}

/**
 * What the resource records in state for the wait: the predicted length of a job, and when the job
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
  return { ...prediction, startedAt: toMs(startedAt) ?? nowMs };
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

/** Epoch ms of a number or an ISO 8601 date; undefined when it is neither. */
export function toMs(value: number | string | undefined | null): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (value === undefined || value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
