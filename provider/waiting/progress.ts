import type { Expectation, WaitPlan } from "./wait-plan";

/**
 * Progress lines while a job runs: when one is due, and what it says. Pure: the lifecycle prints
 * them, and `pollUntil` wakes between checks when one falls due.
 */

/** Longest silence while a job runs. */
export const PROGRESS_EVERY_MS = 30_000;

/** Whether a line is due at `nowMs`: the status changed, or the last line is {@link PROGRESS_EVERY_MS} old. */
export function lineDue(lastLineAtMs: number | undefined, nowMs: number, statusChanged: boolean): boolean {
  return statusChanged || lastLineAtMs === undefined || nowMs - lastLineAtMs >= PROGRESS_EVERY_MS;
}

/** Ms until the next line falls due (at least 1). */
export function untilLineDue(lastLineAtMs: number | undefined, nowMs: number): number {
  return lastLineAtMs === undefined ? 1 : Math.max(1, lastLineAtMs + PROGRESS_EVERY_MS - nowMs);
}

/** What one progress line says. */
export interface ProgressFacts {
  /** e.g. `serverless restore job`. */
  readonly noun: string;
  readonly jobId: string;
  /** The provider's status (`RUNNING`), or Atlas's own state when it says more (`IN_PROGRESS`). */
  readonly status: string;
  /** Time since the job started, ms. */
  readonly elapsedMs: number;
  /** Documents copied and to copy, for collection restores. */
  readonly documents?: { readonly restored: number; readonly total: number };
  /** When the job should end and why (see `WaitPlan.expectation`). */
  readonly expectation?: Expectation;
  /** Time now, epoch ms, to say how far the expected end is. */
  readonly nowMs: number;
  /** Time until the next look, ms, when known. */
  readonly nextCheckInMs?: number;
}

/**
 * `collection restore job 65…: IN_PROGRESS, 60000 of 155000 documents (38%), 2m 05s elapsed; expected
 * to end in about 1m 10s (from its progress); next look in 40s`.
 */
export function progressMessage(facts: ProgressFacts): string {
  const parts = [`${facts.noun} ${facts.jobId}: ${facts.status}`];
  if (facts.documents) {
    const { restored, total } = facts.documents;
    const percent = total > 0 ? Math.min(100, Math.floor((restored / total) * 100)) : 0;
    parts.push(`${restored} of ${total} documents (${percent}%)`);
  }
  parts.push(`${formatDuration(facts.elapsedMs)} elapsed`);
  let line = parts.join(", ");
  const e = facts.expectation;
  if (e !== undefined) {
    const left = e.endsAtMs - facts.nowMs;
    const basis = e.basis === "earlier jobs" ? `${e.basedOn} earlier jobs of its source` : "its progress";
    line +=
      left >= 0
        ? `; expected to end in about ${formatDuration(left)} (from ${basis})`
        : `; ${formatDuration(-left)} past its expected end (from ${basis})`;
  }
  if (facts.nextCheckInMs !== undefined) line += `; next look in ${formatDuration(facts.nextCheckInMs)}`;
  return line;
}

/**
 * The facts of a line from a job as the kinds' `fetch` reports it (`restoreJobId`, `status`, and for
 * collection restores `state`, `restoredDocuments`, `totalDocuments`) and the wait's plan.
 */
export function progressFacts(
  noun: string,
  job: Readonly<Record<string, unknown>>,
  plan: Pick<WaitPlan, "startedAtMs" | "expectation">,
  nowMs: number,
  nextCheckInMs?: number,
): ProgressFacts {
  const { restoredDocuments: restored, totalDocuments: total, state, status } = job;
  const expectation = plan.expectation();
  return {
    noun,
    jobId: String(job.restoreJobId),
    status: String(status === "RUNNING" && typeof state === "string" ? state : status),
    elapsedMs: nowMs - plan.startedAtMs,
    ...(typeof restored === "number" && typeof total === "number" && total > 0
      ? { documents: { restored, total } }
      : {}),
    ...(expectation ? { expectation } : {}),
    nowMs,
    ...(nextCheckInMs !== undefined ? { nextCheckInMs } : {}),
  };
}

/** `1h 02m 03s`, `2m 05s`, `7s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m ${pad(sec)}s`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}
