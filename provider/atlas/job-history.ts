import type { PastJob } from "../waiting/schedule";
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
 * Serverless restore jobs report when they finished (`finishedAt`) but not when they started
 * (`timestamp` is the snapshot's time), so they give no usable history: a serverless restore waits on
 * the default schedule.
 */
export function serverlessJobHistory(_jobs: readonly ServerlessJobWire[]): PastJob[] {
  return [];
}
