import { RESTORE_AGAIN_HINT } from "../../restore/messages";
import type { Lifecycle, Logger, RestoreLifecycles, WaitOutcome } from "../../restore/types";
import { CollectionRestoreIncompleteError } from "./errors";
import { collectionWarnings } from "./inputs";

const ACCEPT_PARTIAL =
  "the job is recorded in state; set allowPartial: true to accept it, or restore again with `pulumi up --replace <urn>`";

/**
 * What collection restores add to the shared lifecycle: the warning for an overwrite of the source
 * cluster at every `check` (so preview shows it), and the outcome by collection. A job that ends
 * SUCCESSFUL with collections left unrestored (NOT_FOUND, ROLLBACK, INDEX_BUILD_FAILED…) is a
 * partial success, which fails the restore unless `allowPartial` is true; the job is recorded either way.
 */
export function withCollectionOutcome(restore: RestoreLifecycles, log: Logger): RestoreLifecycles {
  return {
    ...restore,
    start: withOverwriteWarning(restore.start, log),
    wait: async (raw, waitLog) => judged(await restore.wait(raw, waitLog), raw.allowPartial),
    peek: async (raw) => {
      const outcome = await restore.peek(raw);
      return outcome && judged(outcome, raw.allowPartial);
    },
  };
}

/** The starter's `check` (preview and `up`) warns when the restore overwrites the source cluster. */
function withOverwriteWarning(lifecycle: Lifecycle, log: Logger): Lifecycle {
  return {
    ...lifecycle,
    async check(olds, news) {
      const result = await lifecycle.check(olds, news);
      if ((result.failures ?? []).length === 0)
        for (const warning of collectionWarnings(result.inputs ?? {})) log.warn(warning);
      return result;
    },
  };
}

/**
 * A failed or cancelled job's failure says why (Atlas's `errorMessage`) and which collections; a
 * partial success fails unless `allowPartial`.
 */
function judged(outcome: WaitOutcome, allowPartial: unknown): WaitOutcome {
  const { outs } = outcome;
  const id = String(outs.restoreJobId);
  if (outs.status === "FAILED" || outs.status === "CANCELLED") {
    const errorMessage = typeof outs.errorMessage === "string" ? outs.errorMessage : undefined;
    const cause = new CollectionRestoreIncompleteError(id, String(outs.state), namesOf(outs), errorMessage);
    return { ...outcome, failure: `${cause.message}; ${RESTORE_AGAIN_HINT}` };
  }
  if (outs.status === "COMPLETED" && outs.partial === true && allowPartial !== true) {
    const cause = new CollectionRestoreIncompleteError(id, String(outs.state), namesOf(outs));
    return { ...outcome, failure: `${cause.message}; ${ACCEPT_PARTIAL}` };
  }
  return outcome;
}

function namesOf(outs: Record<string, unknown>): string[] {
  return Array.isArray(outs.unrestoredCollections) ? outs.unrestoredCollections.map(String) : [];
}
