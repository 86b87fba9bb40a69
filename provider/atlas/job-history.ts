import { type Forecast, forecastFrom, type PastJob } from "../waiting/forecast";
import { objectIdTime } from "../waiting/signals";
import type { CollectionRestoreJob } from "./collection-wire";
import type { FlaggedJob, FlexRestoreJob } from "./wire";

/**
 * What earlier restore jobs of a source tell about how long the next one will take, for
 * `predictDuration`. The lifecycle already lists a source's jobs before starting one (to adopt a
 * running match), so the history costs no extra request. Every kind's jobs tell their length: Flex
 * by its dates, collection restores by `createdAt` and `finishedAt`, serverless and dedicated jobs by
 * `finishedAt` and the creation second in their id (an ObjectId).
 */

/**
 * Completed Flex restores, each with its scheduled start (`restoreScheduledDate`) and finish
 * (`restoreFinishedDate`). Downloads are left out: they take a different time than a restore.
 */
export function flexJobHistory(jobs: readonly FlexRestoreJob[]): PastJob[] {
  return jobs
    .filter((job) => job.status === "COMPLETED" && job.deliveryType !== "DOWNLOAD")
    .map((job) => ({ startedAt: job.restoreScheduledDate, finishedAt: job.restoreFinishedDate }));
}

/**
 * The forecast of a Flex restore from the other jobs of its source; none for a download, which
 * restores' lengths do not predict.
 */
export function flexForecast(
  job: FlexRestoreJob,
  listed: readonly FlexRestoreJob[],
  nowMs: number,
): Forecast | undefined {
  if (job.deliveryType === "DOWNLOAD") return undefined;
  const others = listed.filter((j) => j.id !== job.id);
  return forecastFrom(flexJobHistory(others), job.restoreScheduledDate, nowMs);
}

/**
 * Collection restores that succeeded, each with its start (`createdAt`), finish (`finishedAt`) and
 * `totalDocuments`, which scales an earlier length to this job's documents.
 */
export function collectionJobHistory(jobs: readonly CollectionRestoreJob[]): PastJob[] {
  return jobs
    .filter((job) => job.state === "SUCCESSFUL")
    .map((job) => ({
      startedAt: job.createdAt ?? undefined,
      finishedAt: job.finishedAt ?? undefined,
      ...(job.totalDocuments ? { size: job.totalDocuments } : {}),
    }));
}

/** The forecast of a collection restore from the other collection restores of its source cluster. */
export function collectionForecast(
  job: CollectionRestoreJob,
  listed: readonly CollectionRestoreJob[],
  nowMs: number,
): Forecast | undefined {
  const others = listed.filter((j) => j.id !== job.id);
  return forecastFrom(
    collectionJobHistory(others),
    job.createdAt ?? undefined,
    nowMs,
    job.totalDocuments ?? undefined,
  );
}

/** A serverless or dedicated-cluster job: its id and the flags both APIs report. */
type IdentifiedJob = FlaggedJob & { readonly id: string };

/**
 * Serverless or dedicated-cluster jobs of one delivery type that finished without failing or being
 * cancelled: each started when its id was made (an ObjectId holds its creation second; these jobs
 * report no start of their own) and ended at `finishedAt`. A download's length says nothing of a
 * restore's, so only jobs of the same delivery type count.
 */
export function flaggedJobHistory(
  jobs: readonly IdentifiedJob[],
  deliveryType: string | undefined,
): PastJob[] {
  return jobs
    .filter((job) => job.deliveryType === deliveryType && job.finishedAt && !job.failed && !job.cancelled)
    .map((job) => ({ startedAt: objectIdTime(job.id), finishedAt: job.finishedAt }));
}

/** The forecast of a serverless or dedicated-cluster job from the other jobs of its source. */
export function flaggedForecast(
  job: IdentifiedJob,
  listed: readonly IdentifiedJob[],
  nowMs: number,
): Forecast | undefined {
  const others = listed.filter((j) => j.id !== job.id);
  return forecastFrom(flaggedJobHistory(others, job.deliveryType), objectIdTime(job.id), nowMs);
}
