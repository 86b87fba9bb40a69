import type { Clock } from "../waiting/clock";

/**
 * Listings shared between the restores of one process. When many restores of one source start
 * together, each lists the source's jobs before its POST (to adopt a running match and to forecast
 * from earlier jobs), and most list its snapshots to choose the newest; listed one by one, a source
 * with N jobs costs N listings of N/100 pages each. Shared, each costs one: concurrent identical
 * listings wait for the same request, and an answered listing serves later callers for
 * {@link SHARED_LISTING_MAX_AGE_MS}.
 *
 * Sharing is opt-in per call. Only a listing that may be a little old is shared: the first listing
 * of a start (its history, its running matches, the jobs it knew before its POST). A listing made to
 * find the job an unanswered POST may have created is always fresh, since the job it looks for is
 * newer than any shared answer.
 */

/**
 * How long an answered listing serves other callers. A job that another process starts with the same
 * intent within this time is not seen by the listing that would have adopted it; without sharing,
 * the same happens within the round trip between listing and POST.
 */
export const SHARED_LISTING_MAX_AGE_MS = 30_000;

/** Whether a listing may be shared; absent means a fresh listing. */
export interface ListingReuse {
  /** Oldest answer the caller accepts, ms. */
  readonly maxAgeMs: number;
}

/** The reuse the starters' first listings of jobs, and their listings of snapshots, ask for. */
export const SHARED: ListingReuse = { maxAgeMs: SHARED_LISTING_MAX_AGE_MS };

/** Listings by key (the path listed), shared as {@link ListingReuse} allows. */
export interface ListingShare {
  /** The listing at `key`: a fresh one from `list`, or one in flight or answered within `reuse`. */
  get<T>(key: string, list: () => Promise<T[]>, reuse?: ListingReuse): Promise<T[]>;
  /**
   * Adds a job this process just created to the shared listing at `key`, so that a start sharing it
   * sees the job as a fresh listing would (a second restore of the same intent adopts it).
   */
  record(key: string, item: unknown): void;
}

/**
 * A share over a clock. Failures are never shared after they settle: the next caller lists again.
 * A job created here is added to a shared listing of its source as soon as the POST is answered.
 */
export function createListingShare(clock: Clock): ListingShare {
  const entries = new Map<string, { answer: Promise<unknown[]>; answeredAt?: number }>();
  return {
    get<T>(key: string, list: () => Promise<T[]>, reuse?: ListingReuse): Promise<T[]> {
      const known = entries.get(key);
      if (reuse !== undefined && known !== undefined) {
        const age = known.answeredAt === undefined ? 0 : clock.now() - known.answeredAt;
        if (age <= reuse.maxAgeMs) return known.answer.then((items) => [...items] as T[]);
      }
      const entry: { answer: Promise<unknown[]>; answeredAt?: number } = { answer: list() };
      entries.set(key, entry);
      entry.answer.then(
        () => (entry.answeredAt = clock.now()),
        () => entries.get(key) === entry && entries.delete(key),
      );
      return entry.answer.then((items) => [...items] as T[]);
    },
    record(key, item) {
      const known = entries.get(key);
      if (known !== undefined) known.answer = known.answer.then((items) => [item, ...items]);
    },
  };
}

/**
 * A listing whose first call may be shared and whose later calls are fresh: what a starter's job
 * source needs, since its first listing is the one before its POST and any later one looks for the
 * job a POST without an answer may have created.
 */
export function sharedFirst<T>(list: (reuse?: ListingReuse) => Promise<T[]>): () => Promise<T[]> {
  let first = true;
  return () => {
    const reuse = first ? SHARED : undefined;
    first = false;
    return list(reuse);
  };
}
