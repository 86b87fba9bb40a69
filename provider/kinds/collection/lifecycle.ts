import { RESTORE_AGAIN_HINT } from "../../restore/messages";
import type { RecordCompletion, RecordSource } from "../../restore/record";
import type { Lifecycle, Logger, RestoreLifecycles } from "../../restore/types";
import { CollectionRestoreIncompleteError } from "./errors";
import { collectionWarnings } from "./inputs";
import { collectionDetails, COMPLETED_BY_RECORD, NOUN } from "./outputs";

const ACCEPT_PARTIAL =
  "the job is recorded in state; set allowPartial: true to accept it, or restore again with `pulumi up --replace <urn>`";

/**
 * What collection restores add to the shared lifecycle: the warning for an overwrite of the source
 * cluster at every `check` (so preview shows it). The outcome by collection is the record's
 * ({@link collectionCompletion}).
 */
export function withCollectionWarning(restore: RestoreLifecycles, log: Logger): RestoreLifecycles {
  return { ...restore, start: withOverwriteWarning(restore.start, log) };
}

/**
 * What the record of a collection restore completes: the outcome by collection, read once per job
 * (the job's collections, one request) once it has ended; the program's reads of the job never list
 * them. A failed or cancelled job's failure says why (Atlas's `errorMessage`) and which collections;
 * a job that ends SUCCESSFUL with collections left unrestored (NOT_FOUND, ROLLBACK,
 * INDEX_BUILD_FAILED…) is a partial success, which fails the restore unless `allowPartial` is true.
 * The job is recorded either way.
 */
export const collectionCompletion: RecordCompletion = {
  keys: COMPLETED_BY_RECORD,

  async read(s, recorded) {
    const raw = (recorded.source as RecordSource).raw;
    const id = String(recorded.restoreJobId);
    const states = await s.client
      .listCollectionRestoreStates(String(raw.groupId), String(raw.clusterName), id)
      .catch((error: unknown) => {
        throw new Error(`cannot read the collections of ${NOUN} ${id}: ${(error as Error).message}`);
      });
    const details = collectionDetails(states, recorded.status);
    const unrestored = details.unrestoredCollections as string[];
    if (unrestored.length > 0)
      s.log.warn(`${NOUN} ${id}: collections not restored: ${unrestored.join(", ")}`);
    return details;
  },

  judge(recorded) {
    const id = String(recorded.restoreJobId);
    const allowPartial = (recorded.source as RecordSource | undefined)?.raw.allowPartial;
    if (recorded.status === "FAILED" || recorded.status === "CANCELLED") {
      const errorMessage = typeof recorded.errorMessage === "string" ? recorded.errorMessage : undefined;
      const cause = new CollectionRestoreIncompleteError(
        id,
        String(recorded.state),
        namesOf(recorded),
        errorMessage,
      );
      return `${cause.message}; ${RESTORE_AGAIN_HINT}`;
    }
    if (recorded.status === "COMPLETED" && recorded.partial === true && allowPartial !== true) {
      const cause = new CollectionRestoreIncompleteError(id, String(recorded.state), namesOf(recorded));
      return `${cause.message}; ${ACCEPT_PARTIAL}`;
    }
    return undefined;
  },
};

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

function namesOf(outs: Record<string, unknown>): string[] {
  return Array.isArray(outs.unrestoredCollections) ? outs.unrestoredCollections.map(String) : [];
}
