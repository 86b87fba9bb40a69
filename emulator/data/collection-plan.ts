import type { Databases } from "./collection";
import { dataKey, type DataPlane, splitNamespace } from "./plane";

/** What a collection-level restore request names, for its plan. */
export interface CollectionRestoreRequest {
  readonly groupId: string;
  readonly clusterName: string;
  readonly snapshotId: string;
  readonly oplogTs?: number;
  readonly oplogInc?: number;
  readonly targetGroupId: string;
  readonly targetClusterName: string;
  readonly writeStrategy: string;
}

/** What a collection-level restore finds when it is created. */
export interface CollectionRestorePlan {
  /** The collections of a source database at the job's moment (undefined: no such database). */
  collections(db: string): string[] | undefined;
  /** The documents of a source collection `db.coll` at the job's moment (undefined: no such collection). */
  documents(namespace: string): number | undefined;
  /**
   * Where a collection lands: its target namespace, or with CREATE_NEW and a target that exists, a new
   * name (`<collection>_restored`, then `_restored_2`…), as Atlas renames "to avoid conflict".
   */
  land(targetNamespace: string): string;
}

/**
 * Plans a collection-level restore at `now`: the source as it was at the snapshot's time (or the
 * point in time) and the target as it is now. The rename of a conflicting target is decided here,
 * when the job is created, so its collection states can name it at once.
 */
export function planCollectionRestore(
  data: DataPlane,
  request: CollectionRestoreRequest,
  now: number,
): CollectionRestorePlan {
  const source: Databases = data.at(
    dataKey("cluster", request.groupId, request.clusterName),
    data.collectionJobMoment(request),
  );
  const target = data.history(
    dataKey("cluster", request.targetGroupId, request.targetClusterName),
    now,
  ).current;
  const taken = new Set<string>();
  const exists = (namespace: string): boolean => {
    const [db, coll] = splitNamespace(namespace);
    return taken.has(namespace) || target.get(db)?.has(coll) === true;
  };
  return {
    collections: (db) => {
      const found = source.get(db);
      return found && [...found.keys()];
    },
    documents: (namespace) => {
      const [db, coll] = splitNamespace(namespace);
      return source.get(db)?.get(coll)?.size;
    },
    land: (targetNamespace) => {
      let landing = targetNamespace;
      if (request.writeStrategy === "CREATE_NEW")
        for (let n = 1; exists(landing); n++)
          landing = `${targetNamespace}_restored${n === 1 ? "" : `_${n}`}`;
      taken.add(landing);
      return landing;
    },
  };
}
