import { readDocumentsFile, type SeedCluster, type SeedCollection, type SeedIndex } from "../seed";
import { Collection, type Databases, indexName, type IndexSpec } from "./collection";
import { type Doc, fromExtendedJson, seededObjectId } from "./documents";

/** A seed index as `listIndexes` answers it. */
export function seedIndex(index: SeedIndex): IndexSpec {
  return {
    v: 2,
    key: index.key,
    name: index.name ?? indexName(index.key),
    ...(index.unique ? { unique: true } : {}),
  };
}

/**
 * The documents a seed gives a cluster: its `data` (an `_id` made up where a document has none, the
 * same on every start), or `documents` generated ones, made only when read.
 */
export function seedDatabases(cluster: Pick<SeedCluster, "id" | "databases">): Databases {
  return new Map(
    (cluster.databases ?? []).map((db) => [
      db.name,
      new Map(db.collections.map((c) => [c.name, seedCollection(`${cluster.id}/${db.name}.${c.name}`, c)])),
    ]),
  );
}

function seedCollection(scope: string, seed: SeedCollection): Collection {
  const indexes = (seed.indexes ?? []).map(seedIndex);
  const data = seed.data ?? (seed.file !== undefined ? readDocumentsFile(seed.file) : undefined);
  if (data === undefined) {
    return Collection.generated({ count: seed.documents, make: generatedDocument(seed.name) }, indexes);
  }
  const docs = data.map((json, i): Doc => {
    const doc = fromExtendedJson(json);
    return doc._id === undefined ? { _id: seededObjectId(scope, i), ...doc } : doc;
  });
  return Collection.of(docs, indexes);
}

/** The n-th (from 0) generated document of a collection: `{ _id: n + 1, n: n + 1, label: "<collection>-<n + 1>" }`. */
export function generatedDocument(collection: string): (index: number) => Doc {
  return (index) => ({ _id: index + 1, n: index + 1, label: `${collection}-${index + 1}` });
}
