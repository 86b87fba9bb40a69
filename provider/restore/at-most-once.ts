import { AtlasApiError } from "../atlas/errors";
import { defaultRetryPolicy, retryDelayMs } from "../atlas/retry-policy";
import type { Clock } from "../waiting/clock";
import type { Logger, PendingIntent } from "./types";

/**
 * At most one restore per intent. A restore overwrites its target, so a POST whose outcome is unknown
 * (timeout, reset connection, 5xx, lost answer) is never blindly repeated: first the instance's jobs
 * are listed again, and a new job matching the intent is adopted.
 */

/** How one kind of job is listed, created and recognised. */
export interface CreateOnceOptions<J extends { id: string }> {
  /** Every restore job of the source instance or cluster. */
  list(): Promise<J[]>;
  /** The POST itself. */
  create(): Promise<J>;
  /** Whether a job does what this POST asks: same delivery, snapshot and target. */
  matches(job: J): boolean;
  /** Whether a job is still running. */
  running(job: J): boolean;
  /** What an interrupted earlier attempt recorded, if any. */
  readonly pending?: PendingIntent;
  /** Records progress so that a killed run can be picked up (the journal). */
  remember(intent: PendingIntent): void;
  readonly clock: Clock;
  readonly log: Logger;
  /** POSTs in total when each one's outcome is unknown and no job appeared (default: 3). */
  readonly maxAttempts?: number;
}

/**
 * Creates the job, or adopts the one an earlier or ambiguous attempt created: a job absent from the
 * known list that matches the intent, or a matching job still running (a second restore into the same
 * target while one runs would only fight it).
 */
export async function createAtMostOnce<J extends { id: string }>(options: CreateOnceOptions<J>): Promise<J> {
  const jobs = await options.list();
  const known = new Set(options.pending?.knownJobIds ?? jobs.map((job) => job.id));
  const inFlight = jobs.find((job) => options.matches(job) && (!known.has(job.id) || options.running(job)));
  if (inFlight) {
    options.log.warn(
      `a restore job with the same source, snapshot and target is already running; adopting it: ${inFlight.id}`,
    );
    return inFlight;
  }
  options.remember({ knownJobIds: [...known] });

  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      const job = await options.create();
      options.remember({ knownJobIds: [...known], jobId: job.id });
      return job;
    } catch (error) {
      if (!isAmbiguous(error)) throw error;
      const created = (await options.list()).find((job) => !known.has(job.id) && options.matches(job));
      if (created) {
        options.log.warn(
          `the request that started the restore got no clear answer, but the job exists; adopting it: ${created.id}`,
        );
        options.remember({ knownJobIds: [...known], jobId: created.id });
        return created;
      }
      if (attempt >= maxAttempts) throw error;
      const delayMs = retryDelayMs(defaultRetryPolicy, attempt, options.clock.random());
      options.log.info(
        `no restore job was created by the failed request; sending it again in ${Math.round(delayMs)} ms`,
      );
      await options.clock.sleep(delayMs);
    }
  }
}

/**
 * Whether a failed request may have been carried out: no answer after the request was sent, or a
 * server error. A refused connection or a 4xx proves it was not.
 */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  if (error.status === undefined)
    return !["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(error.networkCode ?? "");
  return error.status >= 500;
}

/** Whether a failed read is worth trying again later: no answer at all, 429, or a server error. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}
