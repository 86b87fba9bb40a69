import { RestoreJobIncompleteError } from "../../restore/errors";
import type { Lifecycle, Logger, RestoreLifecycles, Waiter } from "../../restore/types";
import { CollectionRestoreIncompleteError } from "./errors";
import { collectionWarnings } from "./inputs";

const RESTORE_AGAIN =
  "the job is recorded in state; to restore again, run `pulumi up --replace <urn>` or change `triggers`";
const ACCEPT_PARTIAL =
  "set allowPartial: true to accept it, or restore again with `pulumi up --replace <urn>`";

/**
 * What collection restores add to the shared lifecycle: the warning for an overwrite of the source
 * cluster at every `check` (so preview shows it), and the outcome by collection. A job that ends
 * SUCCESSFUL with collections left unrestored (NOT_FOUND, ROLLBACK, INDEX_BUILD_FAILED…) is a
 * partial success, which fails the step unless `allowPartial` is true; the job is recorded either way.
 */
export function withCollectionOutcome(restore: RestoreLifecycles, log: Logger): RestoreLifecycles {
  return { start: withOverwriteWarning(restore.start, log), wait: withOutcome(restore.wait) };
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

/** The wait fails a partial success unless `allowPartial`, and says which collections and why. */
function withOutcome(lifecycle: Waiter): Waiter {
  const settled = (id: string, outs: Record<string, unknown> | undefined, allowPartial: unknown) => {
    if (outs?.status !== "COMPLETED" || outs.partial !== true || allowPartial === true) return;
    const cause = new CollectionRestoreIncompleteError(id, String(outs.state), namesOf(outs));
    throw new RestoreJobIncompleteError(id, outs, cause, `the job is recorded in state; ${ACCEPT_PARTIAL}`);
  };
  return {
    ...lifecycle,
    async create(inputs) {
      const result = await explained(() => lifecycle.create(inputs));
      settled(result.id, result.outs, inputs.allowPartial);
      return result;
    },
  };
}

/** A failed or cancelled job's error says why (Atlas's `errorMessage`) and which collections. */
async function explained<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof RestoreJobIncompleteError)) throw error;
    const outs = error.properties;
    if (outs.status !== "FAILED" && outs.status !== "CANCELLED") throw error;
    const errorMessage = typeof outs.errorMessage === "string" ? outs.errorMessage : undefined;
    const cause = new CollectionRestoreIncompleteError(
      String(outs.restoreJobId),
      String(outs.state),
      namesOf(outs),
      errorMessage,
    );
    throw new RestoreJobIncompleteError(error.id, outs, cause, RESTORE_AGAIN);
  }
}

function namesOf(outs: Record<string, unknown>): string[] {
  return Array.isArray(outs.unrestoredCollections) ? outs.unrestoredCollections.map(String) : [];
}
