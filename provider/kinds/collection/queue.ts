import type { CollectionRestoreJob } from "../../atlas/collection-wire";
import { collectionForecast } from "../../atlas/job-history";
import { SHARED } from "../../atlas/shared-listing";
import type { JobSource, Session } from "../../restore/types";
import { pollUntil } from "../../waiting/poll";
import { waitPlan } from "../../waiting/wait-plan";
import { CollectionRestoreBusyError } from "./errors";
import type { CollectionRestoreJobInputs } from "./inputs";
import { collectionJobStatus } from "./outputs";

/**
 * Collection restores of one source cluster, one at a time. Atlas runs one collection restore per
 * cluster and refuses a second with 409, so the restores of one source that a `pulumi up` starts
 * together take turns: in this process, in the order they arrived, each starting as soon as the one
 * before it ends. Each turn watches the job before it by id, on a schedule built from that job's copy
 * progress and the lengths of the jobs before it (`waiting/`), rather than each restore listing the
 * cluster's jobs on a growing back-off: that left the cluster idle for seconds between jobs, and sent
 * every waiting restore's POST at once when a job ended, all but one refused.
 */

/** One source cluster's turns in this process. */
interface Line {
  /** Settles when the last turn taken so far ends. */
  tail: Promise<void>;
  /** The job the last turn started, which the next one waits for. */
  started?: CollectionRestoreJob;
  /** Jobs of the cluster seen to end here, by id: forecasts of the next ones, and no second look. */
  readonly ended: Map<string, CollectionRestoreJob>;
}

const lines = new Map<string, Line>();

/**
 * Forgets every line. A killed process takes its turns with it; the simulator (`test/sim/`), which
 * runs many processes in one, starts each of them with none.
 */
export function forgetTurns(): void {
  lines.clear();
}

/** What a turn may do: wait until the cluster is free, and say which job it started. */
export interface Turn {
  /**
   * Waits until no collection restore of another intent than `mine` runs on the cluster, or
   * `deadline` (epoch ms) passes.
   */
  waitForCluster(
    source: Pick<JobSource<CollectionRestoreJob>, "running">,
    mine: (job: CollectionRestoreJob) => boolean,
    deadline: number,
  ): Promise<void>;
  /** Records the job this turn started (or adopted): the next turn waits for it. */
  started(job: CollectionRestoreJob): void;
}

/**
 * Runs `body` in the source cluster's next turn, after every turn taken before it in this process
 * has ended (started its job, or failed). The restores of one `up` that start together share a
 * line; it is gone once its last turn ends.
 */
export async function inTurn<T>(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  body: (turn: Turn) => Promise<T>,
): Promise<T> {
  const key = `${inputs.groupId}/${inputs.clusterName}`;
  const line: Line = lines.get(key) ?? { tail: Promise.resolve(), ended: new Map() };
  lines.set(key, line);
  const before = line.tail;
  let end!: () => void;
  const turn = new Promise<void>((resolve) => (end = resolve));
  line.tail = turn;
  try {
    await before;
    return await body({
      waitForCluster: (source, mine, deadline) =>
        waitForCluster(session, inputs, line, { source, mine }, deadline),
      started: (job) => void (line.started = job),
    });
  } finally {
    end();
    // The last turn of a batch leaves nothing behind: a later restore lists the cluster afresh.
    if (line.tail === turn) lines.delete(key);
  }
}

/**
 * Waits while collection restores of other intents run on the source cluster: the one the turn
 * before started, and any a listing shows (started by another process). Each is watched by id until
 * it ends.
 */
async function waitForCluster(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  line: Line,
  {
    source,
    mine,
  }: {
    source: Pick<JobSource<CollectionRestoreJob>, "running">;
    mine: (job: CollectionRestoreJob) => boolean;
  },
  deadline: number,
): Promise<void> {
  // A listing a little old will do: a job it shows running is read by id before anything waits on it.
  const all = await session.client.listCollectionRestoreJobs(inputs.groupId, inputs.clusterName, SHARED);
  // A shared listing may still show running a job this line started, or saw end: neither is read again.
  const listed = all.filter(
    (job) => source.running(job) && !mine(job) && job.id !== line.started?.id && !line.ended.has(job.id),
  );
  const before = line.started;
  if (before && !mine(before)) await watchUntilEnded(session, inputs, line, before, deadline);
  // Watched to its end once: a turn that fails before its POST leaves no job for the next to wait on.
  line.started = undefined;
  if (listed.length > 0) {
    session.log.info(
      `Atlas runs one collection restore per cluster at a time; waiting for the running one on ` +
        `${inputs.clusterName}: ${listed.map((job) => job.id).join(", ")}`,
    );
  }
  for (const job of listed) await watchUntilEnded(session, inputs, line, job, deadline, true);
}

/**
 * Reads a job by id until it no longer runs, on the schedule its signals give; first of all when
 * `lookFirst` (what a listing said may be old).
 */
async function watchUntilEnded(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  line: Line,
  job: CollectionRestoreJob,
  deadline: number,
  lookFirst = false,
): Promise<void> {
  const { client, clock } = session;
  const outputsOf = (j: CollectionRestoreJob) => ({ ...j, restoreJobId: j.id });
  const forecast = collectionForecast(job, [...line.ended.values()], clock.now());
  const plan = waitPlan({
    settings: session.poll,
    ...(forecast ? { forecast } : {}),
    job: outputsOf(job),
    nowMs: clock.now(),
  });
  let last = job;
  const result = await pollUntil({
    check: async () =>
      (last = await client.getCollectionRestoreJob(inputs.groupId, inputs.clusterName, job.id)),
    classify: (j) => (collectionJobStatus(j) === "RUNNING" ? "RETRY" : "SUCCESS"),
    onCheck: (j) => plan.observe(outputsOf(j), clock.now()),
    clock,
    schedule: plan.schedule,
    startedAtMs: plan.startedAtMs,
    maxWaitMs: Math.max(1, deadline - clock.now()),
    checkFirst: lookFirst,
  });
  if (result.state !== "SUCCESS")
    throw new CollectionRestoreBusyError(inputs.clusterName, job.id, result.elapsedMs);
  line.ended.set(last.id, last);
}
