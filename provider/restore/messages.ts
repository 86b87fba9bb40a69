import { AtlasApiError } from "../atlas/errors";
import { InputNotFoundError, RestoreJobFailedError } from "./errors";
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

/** Inputs that name something in Atlas: a name, or a project. */
const NAMING_INPUT = /(Name|GroupId|ProjectId|^groupId)$/;

/** The project an input's name lives in: a target's own project when it has one. */
function projectOf(inputs: Readonly<Record<string, unknown>>, key: string): unknown {
  const target = key.startsWith("target") ? (inputs.targetGroupId ?? inputs.targetProjectId) : undefined;
  return target ?? inputs.groupId;
}

/**
 * A restore Atlas refused with a 404 because an input names nothing it has, as the input that does:
 * the one whose value Atlas's message names (in the project it names, if it names one), a name before
 * a project and a target's first. Any other error is returned as it is.
 */
export function byInputNotFound(error: unknown, inputs: Readonly<Record<string, unknown>>): unknown {
  if (!(error instanceof AtlasApiError) || error.status !== 404) return error;
  const code = error.errorCode;
  if (!code?.endsWith("_NOT_FOUND")) return error;
  const words = new Set((error.detail ?? "").split(/[\s,;:'"()]+|\.(?=\s|$)/));
  const project = [...words].find((word) => /^[a-f0-9]{24}$/.test(word));
  const named = (key: string): boolean => {
    const value = inputs[key];
    if (key === "resourceName" || !NAMING_INPUT.test(key) || typeof value !== "string" || !words.has(value)) {
      return false;
    }
    return key.endsWith("Name") && project !== undefined ? projectOf(inputs, key) === project : true;
  };
  // Names before projects (a missing cluster's message names its project too), targets first.
  const rank = (key: string) => (key.endsWith("Name") ? 0 : 2) + (key.startsWith("target") ? 0 : 1);
  const candidates = Object.keys(inputs).sort((a, b) => rank(a) - rank(b));
  const property = candidates.find(named);
  return property ? new InputNotFoundError(property, String(inputs[property]), code, error) : error;
}
