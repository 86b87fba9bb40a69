import type { ClusterRestoreJob } from "../../atlas/cluster-wire";
import { formatDecodeErrors } from "../../atlas/decode-report";
import { AtlasApiError, AtlasDecodeError } from "../../atlas/errors";
import { isTransient } from "../../restore/at-most-once";
import { prefixed } from "../../restore/messages";
import type { Lifecycle, RestoreLifecycles, Session } from "../../restore/types";
import { pollUntil } from "../../waiting/poll";
import { RestoreJobNotCancelledError } from "./errors";
import { ClusterRestoreJobInputs } from "./inputs";
import { clusterJobStatus } from "./status";

/**
 * `onDestroy: "cancel"`: destroy asks Atlas to cancel a download job that is still running and waits
 * until the job reports `cancelled`. It never deletes a cluster or a snapshot. A job that already ended,
 * an automated or point-in-time restore (see {@link isCancellable}), or one Atlas will not cancel (405
 * for sharded clusters) is only forgotten, with a message saying why.
 */
export function withCancelOnDestroy(
  lifecycle: Lifecycle,
  session: () => Session,
  /** Why a recorded job cannot be cancelled (e.g. a Flex job), or undefined when it can. */
  noCancel: (props: Record<string, unknown>) => string | undefined = () => undefined,
): Lifecycle {
  return {
    ...lifecycle,
    // The starter records onDestroy for its delete; a change must reach its state, though it
    // replaces nothing.
    async diff(id, olds, news) {
      const result = await lifecycle.diff(id, olds, news);
      const changed = (olds.onDestroy ?? "forget") !== (news.onDestroy ?? "forget");
      return changed && !result.changes ? { ...result, changes: true } : result;
    },
    async delete(id, props) {
      if (props.onDestroy !== "cancel") return lifecycle.delete(id, props);
      // Messages name the restore, as the lifecycle's do.
      const s =
        typeof props.resourceName === "string"
          ? { ...session(), log: prefixed(session().log, props.resourceName) }
          : session();
      const reason =
        noCancel(props) ??
        // Known from the inputs, so a destroy of such restores reads no job.
        (isCancellable(props) ? undefined : "Atlas cancels download restores only");
      if (reason !== undefined) {
        s.log.warn(`onDestroy is cancel, but ${reason}; forgetting the job instead: ${id}`);
        return lifecycle.delete(id, props);
      }
      const { __provider: _ignored, ...raw } = props;
      const decoded = ClusterRestoreJobInputs.decode(raw);
      if (decoded._tag === "Left")
        throw new AtlasDecodeError("cluster restore job state", formatDecodeErrors(decoded.left));
      const { groupId, clusterName, waitTimeoutSeconds } = decoded.right;
      await cancelJob(s, groupId, clusterName, id, waitTimeoutSeconds * 1000);
    },
  };
}

/** A restore's two lifecycles, its starter's destroy following `onDestroy` (see {@link withCancelOnDestroy}). */
export function cancellableRestore(
  restore: RestoreLifecycles,
  session: () => Session,
  noCancel?: (props: Record<string, unknown>) => string | undefined,
): RestoreLifecycles {
  return { ...restore, start: withCancelOnDestroy(restore.start, session, noCancel) };
}

/**
 * Whether Atlas cancels this job: downloads only. The OpenAPI does not say which jobs its cancel takes;
 * MongoDB's own Terraform provider cancels downloads and never the others ("Automated restore cannot be
 * cancelled", "Point in time restore cannot be cancelled"; its docs: "the Atlas Admin API doesn't
 * support this"), and such a restore has already begun to rewrite its target.
 */
export function isCancellable(job: { deliveryType?: unknown }): boolean {
  return job.deliveryType === "download";
}

/** Cancels one job and waits for `cancelled`; what cannot be cancelled is reported, not failed. */
export async function cancelJob(
  s: Session,
  groupId: string,
  clusterName: string,
  jobId: string,
  maxWaitMs: number,
): Promise<void> {
  const read = () => s.client.getClusterRestoreJob(groupId, clusterName, jobId);
  const before = await orGone(read());
  if (before === undefined) return s.log.info(`restore job no longer exists in Atlas; forgotten: ${jobId}`);
  if (clusterJobStatus(before) !== "RUNNING") return reportEnded(s, before);
  if (!isCancellable(before)) {
    return s.log.warn(
      "Atlas cancels download restores only (an automated or point-in-time restore is already rewriting " +
        `its target); it keeps running in Atlas and this stack no longer tracks it: ${jobId}`,
    );
  }

  try {
    await s.client.cancelClusterRestoreJob(groupId, clusterName, jobId);
  } catch (error) {
    if (!(error instanceof AtlasApiError) || error.status === undefined || error.status >= 500) throw error;
    if (error.status === 404) return s.log.info(`restore job no longer exists in Atlas; forgotten: ${jobId}`);
    if (error.status === 405) {
      return s.log.warn(
        `Atlas does not cancel this restore (405 ${error.errorCode ?? "METHOD_NOT_ALLOWED"}, as for sharded ` +
          `clusters); it keeps running in Atlas and this stack no longer tracks it: ${jobId}`,
      );
    }
    // Refused otherwise: most likely the job ended between the read and the cancel.
    const now = await orGone(read());
    if (now !== undefined && clusterJobStatus(now) !== "RUNNING") return reportEnded(s, now);
    throw error;
  }

  let last = before;
  const result = await pollUntil({
    check: async () => {
      try {
        last = (await orGone(read())) ?? { ...last, cancelled: true };
      } catch (error) {
        if (!isTransient(error)) throw error;
      }
      return last;
    },
    classify: (job) => (clusterJobStatus(job) === "RUNNING" ? "RETRY" : "SUCCESS"),
    clock: s.clock,
    minDelayMs: s.poll.minDelayMs,
    maxDelayMs: s.poll.maxDelayMs,
    maxWaitMs,
    checkFirst: true,
  });
  if (result.state !== "SUCCESS") throw new RestoreJobNotCancelledError(jobId, result.elapsedMs);
  if (last.cancelled) return s.log.info(`restore job cancelled: ${jobId}`);
  return reportEnded(s, last);
}

function reportEnded(s: Session, job: ClusterRestoreJob): void {
  s.log.info(`restore job already ended ${clusterJobStatus(job)}; nothing to cancel, forgotten: ${job.id}`);
}

/** The job, or undefined when Atlas no longer has it. */
async function orGone(request: Promise<ClusterRestoreJob>): Promise<ClusterRestoreJob | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof AtlasApiError && error.status === 404) return undefined;
    throw error;
  }
}
