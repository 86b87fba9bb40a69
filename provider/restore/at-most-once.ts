import { AtlasApiError, AtlasDecodeError } from "../atlas/errors";
import { neverSent } from "../atlas/retry-policy";
import type { Clock } from "../waiting/clock";
import { sameValue } from "./input-diff";
import type { JobSource, Logger, PendingIntent, StartContext, StartOutcome } from "./types";

/**
 * At most one restore per intent. A restore overwrites its target, so a POST whose outcome is unknown
 * (timeout, reset connection, 5xx, lost answer, an answer that cannot be read) is never blindly
 * repeated: the source's jobs are listed again, after a floor and at least twice, and a new job that
 * matches the intent is adopted. A job of the same intent that nothing records (no journal entry, not
 * in state) cannot be told from one an interrupted run of this resource started on another machine,
 * so it stops the restore with an {@link UndecidedRestoreError} instead of a guess. Generic over
 * kinds: a kind supplies a {@link JobSource}.
 */

/** POSTs in total, in one run, when each one's outcome is unknown and no job appeared. */
export const MAX_POSTS = 3;
/** After an ambiguous POST, successful listings before it may be sent again. */
export const LISTINGS_BEFORE_RESEND = 2;
/** After an ambiguous POST, the least time before it may be sent again (a listing may lag a create). */
export const RESEND_FLOOR_MS = 5_000;
/** Listings tried in all after an ambiguous POST; fewer than two successes and the POST is not resent. */
const MAX_LISTINGS = 6;

/** Options of {@link createAtMostOnce}: the kind's job source and the journal's context. */
export interface CreateOnceOptions<J extends { id: string }> extends StartContext {
  readonly source: JobSource<J>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The snapshot chosen for the POST and how, recorded so that a rerun restores the same one. */
  readonly decision?: { readonly snapshotId?: string; readonly snapshotSource: string };
  /**
   * What a job of the intent that nothing records means. A restore stops (the default): it cannot
   * tell whose it is. An on-demand snapshot still being taken is simply adopted: a second snapshot
   * would be waste, not harm.
   */
  readonly unrecorded?: "stop" | "adoptRunning";
  /** What the jobs are, for messages (default: `restore job`). */
  readonly noun?: string;
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
 * A job of the same intent exists that neither this machine's journal nor Pulumi state ties to this
 * resource: it may be the job of an interrupted earlier run (on another machine), or another's. The
 * restore stops; the message names the jobs and both ways forward.
 */
export class UndecidedRestoreError extends Error {
  override readonly name = "UndecidedRestoreError";
  constructor(
    /** The jobs that could be this restore's. */
    readonly jobIds: readonly string[],
    /** Why they cannot be told apart, one clause. */
    why: string,
  ) {
    const one = jobIds.length === 1;
    super(
      `${why}; nothing on this machine or in Pulumi state tells whether this resource started ` +
        `${one ? "it" : "one of them"} (in a run interrupted before it was recorded, perhaps on another ` +
        `machine) or something else did, so no restore was started: to make ${one ? "it" : "one"} this ` +
        `resource's, set existingRestoreJobId to its id; to restore again anyway, add ` +
        `${one ? "its id" : "their ids"} to triggers: ${jobIds.join(", ")}`,
    );
  }
}

/**
 * Atlas took a POST (it answered 2xx) but the answer could not be read, and the job is not listed yet.
 * The journal keeps the attempt, so the next `up` on this machine adopts the job and never sends it again.
 */
export class RestoreNotListedError extends Error {
  override readonly name = "RestoreNotListedError";
  constructor(noun: string, cause: Error) {
    super(
      `Atlas accepted the request that starts the ${noun} but its answer could not be read, and the job is ` +
        `not listed yet; run \`pulumi up\` again to adopt it (on this machine): ${cause.message}`,
      { cause },
    );
  }
}

/**
 * Creates the job, or adopts the one this intent already has: the job an interrupted attempt on this
 * machine recorded, or one that appeared after its or this attempt's unanswered POST. Stops on a job
 * of the intent nothing records (see {@link UndecidedRestoreError}).
 */
export async function createAtMostOnce<J extends { id: string }>(
  options: CreateOnceOptions<J>,
): Promise<CreatedOnce<J>> {
  const { source, clock, log, pending } = options;
  const noun = options.noun ?? "restore job";
  const held = new Set(options.held ?? []);
  const past = new Set([...held, ...(options.past ?? [])]);
  // Another attempt's POST may have started a job that a listing does not show yet.
  if (options.unsettled) await clock.sleep(RESEND_FLOOR_MS);
  const jobs = await source.list();

  if (pending) {
    const earlier = await earlierAttemptsJob(options, jobs, pending, past, noun);
    if (earlier) {
      log.warn(
        `an earlier run started this restore and stopped before recording it; adopting it: ${earlier.id}`,
      );
      options.remember({ ...pending, jobId: earlier.id });
      return { job: earlier, how: "journal", listed: jobs };
    }
  }
  const attempt: PendingIntent = pending ?? {
    attemptStartedAt: clock.now(),
    knownJobIds: jobs.map((j) => j.id),
    posts: 0,
    request: source.intent,
    ...(options.decision ?? {}),
  };
  const unrecorded = unrecordedJobs(source, jobs, attempt, past, held);
  if (unrecorded.length > 0) {
    if (options.unrecorded !== "adoptRunning") {
      throw new UndecidedRestoreError(
        unrecorded.map((j) => j.id),
        `a ${noun} of the same intent (what is restored, and where) ${unrecorded.some((j) => source.running(j)) ? "is running" : "exists"} in Atlas`,
      );
    }
    const running = unrecorded.find((job) => matches(source, job, "strict") && source.running(job));
    if (running) {
      log.warn(`a ${noun} with the same intent is already running; adopting it: ${running.id}`);
      return { job: running, how: "running", listed: jobs };
    }
  }
  return post(options, attempt, jobs, past, noun);
}

/** Sends the POST (at most {@link MAX_POSTS} times without a clear answer) and adopts what it started. */
async function post<J extends { id: string }>(
  options: CreateOnceOptions<J>,
  start: PendingIntent,
  listed: J[],
  past: ReadonlySet<string>,
  noun: string,
): Promise<CreatedOnce<J>> {
  const { source, clock, log } = options;
  let attempt = start;
  let unclear = 0;
  for (;;) {
    await source.waitForTurn?.();
    attempt = { ...attempt, posts: attempt.posts + 1 };
    // Written before the POST: if the answer never arrives, the next run knows a job may exist.
    options.remember(attempt);
    let failure: unknown;
    try {
      const job = await source.create();
      options.remember({ ...attempt, jobId: job.id });
      return { job, how: "started", listed };
    } catch (error) {
      failure = error;
    }
    const busy = source.busy?.(failure) === true;
    if (isRefusal(failure)) {
      // A clear refusal proves that this POST created nothing; the attempt's earlier ones may have.
      if (attempt.posts === 1 && !attempt.committed) options.forget();
      if (!busy) throw failure;
      // Another job runs on the source, perhaps the one an unclear POST of this attempt started.
      if (attempt.posts === 1) {
        attempt = { ...attempt, posts: 0 };
        await clock.sleep(RESEND_FLOOR_MS);
        continue;
      }
    } else if (failure instanceof AtlasDecodeError) {
      attempt = { ...attempt, committed: true };
      options.remember(attempt);
    } else if (isAmbiguous(failure)) {
      unclear++;
    } else {
      throw failure;
    }
    const created = await appearedAfter(source, attempt, past, clock);
    if (created) {
      log.warn(
        `the request that started the restore got no clear answer, but the job exists; adopting it: ${created.id}`,
      );
      options.remember({ ...attempt, jobId: created.id });
      return { job: created, how: "ambiguous", listed };
    }
    if (attempt.committed) throw new RestoreNotListedError(noun, failure as Error);
    if (unclear >= MAX_POSTS) {
      // Every POST was followed by listings past the floor: none of them started a job, so a job that
      // appears later is someone else's, never to be adopted as this attempt's.
      options.forget();
      throw failure;
    }
    log.info(
      `no ${noun} appeared after the request that got no clear answer (listed ${LISTINGS_BEFORE_RESEND} times over ${RESEND_FLOOR_MS / 1000} s); sending it again: attempt ${unclear + 1} of ${MAX_POSTS}`,
    );
  }
}

/**
 * The job an interrupted attempt of this intent created: the one it recorded, or one that appeared
 * after its POST (waiting out the listing's lag first). Stops when the recorded job is gone from Atlas
 * or when more than one job could be it.
 */
async function earlierAttemptsJob<J extends { id: string }>(
  options: CreateOnceOptions<J>,
  jobs: J[],
  pending: PendingIntent,
  past: ReadonlySet<string>,
  noun: string,
): Promise<J | undefined> {
  const { source, clock } = options;
  if (pending.jobId !== undefined) {
    const recorded =
      jobs.find((job) => job.id === pending.jobId) ?? (await getIfExists(source, pending.jobId));
    if (recorded || options.unrecorded === "adoptRunning") return recorded;
    throw new UndecidedRestoreError(
      [pending.jobId],
      `an earlier run of this resource started a ${noun} that Atlas no longer reports`,
    );
  }
  const found = await appearedAfter(source, pending, past, clock);
  if (!found && pending.committed) throw new RestoreNotListedError(noun, new Error("still not listed"));
  return found;
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
 * After an ambiguous POST: waits the floor, spread over at least two successful listings, for a job
 * that was not there before the attempt and matches what it asked for leniently (Atlas may leave a
 * field out of a job it just created). More than one such job stops the restore.
 */
async function appearedAfter<J extends { id: string }>(
  source: JobSource<J>,
  attempt: PendingIntent,
  past: ReadonlySet<string>,
  clock: Clock,
): Promise<J | undefined> {
  const known = new Set([...attempt.knownJobIds, ...past]);
  const wanted = attempt.request ?? source.intent;
  let listed = 0;
  let lastError: unknown;
  for (let tries = 0; listed < LISTINGS_BEFORE_RESEND; tries++) {
    if (tries >= MAX_LISTINGS) throw lastError;
    // Counted from now: when the POST was carried out is unknown (the transport may have retried it).
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
    const found = jobs.filter((job) => !known.has(job.id) && fits(source, job, wanted, "lenient"));
    if (found.length > 1) {
      throw new UndecidedRestoreError(
        found.map((j) => j.id),
        "more than one restore job of this intent appeared after a request that got no clear answer",
      );
    }
    if (found.length === 1) return found[0];
  }
  return undefined;
}

/**
 * Jobs of the intent, by its looser reading (the provider's own choices may differ between runs),
 * that neither the attempt, state nor the user accounts for. A job older than one state held for this
 * resource is older than every attempt of a later restore of it, so it is the past too (ids are
 * ObjectIds: Atlas stamps them with its clock).
 */
function unrecordedJobs<J extends { id: string }>(
  source: JobSource<J>,
  jobs: J[],
  attempt: PendingIntent,
  past: ReadonlySet<string>,
  held: ReadonlySet<string>,
): J[] {
  const loose = (job: J) => fits(source, job, withoutChosen(source), "lenient");
  const boundary = Math.max(
    -Infinity,
    ...jobs.filter((job) => held.has(job.id) && loose(job)).map((job) => objectIdTime(job.id) ?? -Infinity),
  );
  const known = new Set(attempt.posts > 0 ? attempt.knownJobIds : []);
  return jobs.filter(
    (job) =>
      !past.has(job.id) &&
      !known.has(job.id) &&
      loose(job) &&
      !((objectIdTime(job.id) ?? Infinity) < boundary),
  );
}

function withoutChosen<J extends { id: string }>(source: JobSource<J>): Record<string, unknown> {
  const chosen = new Set(source.chosen ?? []);
  return Object.fromEntries(Object.entries(source.intent).filter(([key]) => !chosen.has(key)));
}

/** When Atlas created an object, from its ObjectId (seconds, in ms); undefined for another kind of id. */
export function objectIdTime(id: string): number | undefined {
  return /^[a-f0-9]{24}$/.test(id) ? parseInt(id.slice(0, 8), 16) * 1000 : undefined;
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
  return fits(source, job, source.intent, mode);
}

function fits<J extends { id: string }>(
  source: JobSource<J>,
  job: J,
  wanted: Readonly<Record<string, unknown>>,
  mode: "strict" | "lenient",
): boolean {
  const reported = source.reported(job);
  return Object.entries(wanted).every(([key, value]) => {
    if (value === undefined) return true;
    const actual = reported[key];
    if (actual === undefined) return mode === "lenient";
    return sameValue(actual, value);
  });
}

/** Whether a POST was refused outright (4xx, 429 included) or never sent: it created nothing. */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  return error.status === undefined ? neverSent(error.networkCode) : error.status < 500;
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
