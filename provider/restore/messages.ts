import { AtlasApiError } from "../atlas/errors";
import { RestoreJobFailedError } from "./errors";
import type { Logger } from "./types";

/** What the lifecycles tell users when a restore is not done: each ends with the next step. */

/** What works when Atlas no longer has the job: `up` alone would fail the same way again. */
export const GONE_HINT =
  "Atlas no longer has this job; run `pulumi refresh` to drop it from state, then `pulumi up` starts a new restore";

function isGone(error: unknown): boolean {
  return error instanceof AtlasApiError && error.status === 404;
}

/** The next step after a restore that did not end well: what the job ended, then what to do. */
export const RESTORE_AGAIN_HINT =
  "the job is recorded in state; to restore again, change `triggers` or replace the resource (`pulumi up --replace <urn>`)";

/** The next step after a wait that stopped before the job ended. */
export const RESUME_HINT = "the job is recorded in state; run `pulumi up` again to resume waiting for it";

/** The next step after a clone check that failed or could not run. */
export const CHECK_AGAIN_HINT =
  "the restore is recorded in state; fix the clone's data, its `verify` or the database credentials and run `pulumi up` to check again, or change `triggers` to restore again";

/** Why a restore is not done, in one line that ends with the next step. */
export function failureOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (isGone(error)) return `${message}; ${GONE_HINT}`;
  return `${message}; ${error instanceof RestoreJobFailedError ? RESTORE_AGAIN_HINT : RESUME_HINT}`;
}

/** Messages that start with the resource's name (the provider's show under the stack). */
export function prefixed(log: Logger, name: string): Logger {
  return { info: (m) => log.info(`${name}: ${m}`), warn: (m) => log.warn(`${name}: ${m}`) };
}
