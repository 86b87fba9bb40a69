import { AtlasApiError } from "../atlas/errors";
import { neverSent } from "../atlas/retry-policy";
import type { Clock } from "../waiting/clock";
import { sameValue } from "./input-diff";
import type { JobSource, Logger, PendingIntent, StartContext, StartOutcome } from "./types";

/**
 * At most one restore per intent. A restore overwrites its target, so a POST whose outcome is unknown
 * (timeout, reset connection, 5xx, lost answer) is never blindly repeated: the source's jobs are
 * listed again, after a floor and at least twice, and a new job that matches the intent is adopted.
 * Generic over kinds: a kind supplies a {@link JobSource}.
 */

/** POSTs in total when each one's outcome is unknown and no job appeared. */
export const MAX_POSTS = 3;
/** After an ambiguous POST, successful listings before it may be sent again. */
export const LISTINGS_BEFORE_RESEND = 2;
/** After an ambiguous POST, the least time before it may be sent again (a listing may lag a create). */
export const RESEND_FLOOR_MS = 5_000;
/** Listings tried in all after an ambiguous POST; fewer than two successes and the POST is not resent. */
const MAX_LISTINGS = 6;
/**
 * How much older than the attempt a job's creation time may look and still be the attempt's own:
 * Atlas's clock and this machine's disagree a little.
 */
export const CLOCK_SKEW_MS = 120_000;

/** Options of {@link createAtMostOnce}: the kind's job source and the journal's context. */
export interface CreateOnceOptions<J extends { id: string }> extends StartContext {
  readonly source: JobSource<J>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The job, and how it came to be this resource's. */
export interface CreatedOnce<J> {
  readonly job: J;
  readonly how: Exclude<StartOutcome, "existing">;
  /**
   * The source's jobs as listed before anything was started: what earlier restores took, at no extra
   * request (see `atlas/job-history.ts`).
   */
  readonly listed: readonly J[];
}

/**
 * Creates the job, or adopts the one this intent already has: the job an interrupted attempt
 * recorded, one that appeared after that attempt's unanswered POST, a matching job still running (a
 * second restore into the same target would only fight it), or one that appeared after an ambiguous
 * POST of this attempt.
 */
export async function createAtMostOnce<J extends { id: string }>(
  options: CreateOnceOptions<J>,
): Promise<CreatedOnce<J>> {
  const { source, clock, log, pending } = options;
  const startedAt = clock.now();
  const jobs = await source.list();

  const earlier = pending && (await adoptFromEarlierAttempt(source, jobs, pending));
  if (earlier) {
    log.warn(
      `an earlier run started this restore and stopped before recording it; adopting it: ${earlier.id}`,
    );
    options.remember({ ...pending, jobId: earlier.id });
    return { job: earlier, how: "journal", listed: jobs };
  }
  const running = jobs.find((job) => matches(source, job, "strict") && source.running(job));
  if (running) {
    log.warn(`a restore job with the same intent is already running; adopting it: ${running.id}`);
    return { job: running, how: "running", listed: jobs };
  }

  const attempt: PendingIntent = {
    attemptStartedAt: startedAt,
    knownJobIds: jobs.map((j) => j.id),
    posts: 0,
  };
  const known = new Set(attempt.knownJobIds);
  for (let post = 1; ; post++) {
    // Written before the POST: if the answer never arrives, the next run knows a job may exist.
    options.remember({ ...attempt, posts: post });
    try {
      const job = await source.create();
      options.remember({ ...attempt, posts: post, jobId: job.id });
      return { job, how: "started", listed: jobs };
    } catch (error) {
      if (!isAmbiguous(error)) {
        // Only a first POST refused outright proves that this attempt created nothing.
        if (post === 1) options.forget();
        throw error;
      }
      const created = await appearedAfter(source, known, startedAt, clock);
      if (created) {
        log.warn(
          `the request that started the restore got no clear answer, but the job exists; adopting it: ${created.id}`,
        );
        options.remember({ ...attempt, posts: post, jobId: created.id });
        return { job: created, how: "ambiguous", listed: jobs };
      }
      if (post >= MAX_POSTS) throw error;
      log.info(
        `no restore job appeared after the request that got no clear answer (listed ${LISTINGS_BEFORE_RESEND} times over ${RESEND_FLOOR_MS / 1000} s); sending it again: attempt ${post + 1} of ${MAX_POSTS}`,
      );
    }
  }
}

/** The job an interrupted attempt created: the one it recorded, or one that appeared after its POST. */
async function adoptFromEarlierAttempt<J extends { id: string }>(
  source: JobSource<J>,
  jobs: J[],
  pending: PendingIntent,
): Promise<J | undefined> {
  const since = pending.attemptStartedAt;
  if (pending.jobId !== undefined) {
    const recorded =
      jobs.find((job) => job.id === pending.jobId) ?? (await getIfExists(source, pending.jobId));
    return recorded && createdSince(source, recorded, since) ? recorded : undefined;
  }
  if (pending.posts === 0) return undefined;
  const known = new Set(pending.knownJobIds);
  return jobs.find(
    (job) => !known.has(job.id) && matches(source, job, "lenient") && createdSince(source, job, since),
  );
}

async function getIfExists<J extends { id: string }>(
  source: JobSource<J>,
  id: string,
): Promise<J | undefined> {
  try {
    return await source.get(id);
  } catch (error) {
    if (error instanceof AtlasApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * After an ambiguous POST: waits the floor, spread over at least two successful listings, for a new
 * job that matches the intent leniently (Atlas may leave a field out of a job it just created).
 */
async function appearedAfter<J extends { id: string }>(
  source: JobSource<J>,
  known: ReadonlySet<string>,
  since: number,
  clock: Clock,
): Promise<J | undefined> {
  let listed = 0;
  let lastError: unknown;
  for (let tries = 0; listed < LISTINGS_BEFORE_RESEND; tries++) {
    if (tries >= MAX_LISTINGS) throw lastError;
    await clock.sleep(RESEND_FLOOR_MS / LISTINGS_BEFORE_RESEND);
    let jobs: J[];
    try {
      jobs = await source.list();
    } catch (error) {
      if (!isTransient(error)) throw error;
      lastError = error;
      continue;
    }
    listed++;
    const found = jobs.find(
      (job) => !known.has(job.id) && matches(source, job, "lenient") && createdSince(source, job, since),
    );
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a job does what the intent asks. Strict: every field the intent names is reported and
 * equal. Lenient, only for a job that appeared after an unanswered POST: every reported field is
 * equal, and a field the job leaves out does not count against it.
 */
export function matches<J extends { id: string }>(
  source: JobSource<J>,
  job: J,
  mode: "strict" | "lenient",
): boolean {
  const reported = source.reported(job);
  return Object.entries(source.intent).every(([key, wanted]) => {
    if (wanted === undefined) return true;
    const value = reported[key];
    if (value === undefined) return mode === "lenient";
    return sameValue(value, wanted);
  });
}

/** False only when the API gives a creation time and it is clearly before `since`. */
function createdSince<J extends { id: string }>(source: JobSource<J>, job: J, since: number): boolean {
  const at = source.createdAt?.(job);
  return at === undefined || Number.isNaN(at) || at >= since - CLOCK_SKEW_MS;
}

/**
 * Whether a failed request may have been carried out: no answer after the request was sent, or a
 * server error. A refused connection or a 4xx proves it was not.
 */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  if (error.status === undefined) return !neverSent(error.networkCode);
  return error.status >= 500;
}

/** Whether a failed read is worth trying again later: no answer at all, 429, or a server error. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}
