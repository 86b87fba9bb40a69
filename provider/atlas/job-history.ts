import { type Forecast, forecastFrom, type PastJob } from "../waiting/schedule";
import type { CollectionRestoreJob } from "./collection-wire";
import type { FlexRestoreJob, ServerlessJobWire } from "./wire";

/**
 * What earlier restore jobs of a source tell about how long the next one will take, for
 * `predictDuration`. The lifecycle already lists a source's jobs before starting one (to adopt a
 * running match), so the history costs no extra request.
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

/**
 * Serverless restore jobs, and dedicated-cluster ones alike, report when they finished (`finishedAt`)
 * but not when they started (`timestamp` is the snapshot's time), so they give no usable history:
 * such a restore waits on the default schedule.
 */
export function serverlessJobHistory(_jobs: readonly ServerlessJobWire[]): PastJob[] {
  return [];
}
