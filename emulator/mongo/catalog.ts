import { calculateObjectSize, type Document, UUID } from "bson";

import { type Collection, ID_INDEX, indexName, type IndexSpec } from "../data/collection";
import type { Effect } from "../data/history";
import {
  collectionName,
  collectionOf,
  commandOptions,
  cursorBatchSize,
  type Handler,
  write,
} from "./context";
import { badValue, CommandError, notSupported } from "./errors";
import { compileFilter, sameValue } from "./updates";

// Databases, collections and indexes: list, create, drop, rename.

/** A collection's BSON size, from its first 100 documents (a large generated one is never made whole). */
function approximateBytes(collection: Collection): number {
  let sampled = 0;
  let bytes = 0;
  for (const doc of collection.documents()) {
    bytes += calculateObjectSize(doc);
    if (++sampled === 100) break;
  }
  return sampled === 0 ? 0 : Math.round((bytes / sampled) * collection.size);
}

const listDatabases: Handler = (c) => {
  const filter = compileFilter(c.command.filter);
  const databases = [...c.history.current]
    .filter(([, collections]) => collections.size > 0)
    .map(([name, collections]) => {
      const sizeOnDisk = [...collections.values()].reduce(
        (sum, collection) => sum + approximateBytes(collection),
        0,
      );
      return c.command.nameOnly === true ? { name } : { name, sizeOnDisk, empty: false };
    })
    .filter((db) => filter.test(db));
  const totalSize = databases.reduce((sum, db) => sum + ((db as { sizeOnDisk?: number }).sizeOnDisk ?? 0), 0);
  return c.command.nameOnly === true
    ? { databases, ok: 1 }
    : { databases, totalSize, totalSizeMb: Math.floor(totalSize / 2 ** 20), ok: 1 };
};

const listCollections: Handler = (c) => {
  const filter = compileFilter(c.command.filter);
  const entries = [...(c.history.current.get(c.db) ?? [])]
    .map(([name, collection]) =>
      c.command.nameOnly === true
        ? { name, type: "collection" }
        : {
            name,
            type: "collection",
            options: collection.options,
            info: { readOnly: false, uuid: new UUID(collection.uuid) },
            idIndex: ID_INDEX,
          },
    )
    .filter((entry) => filter.test(entry));
  return c.cursors.first(`${c.db}.$cmd.listCollections`, entries, cursorBatchSize(c));
};

// Collection options the emulator stores but does not act on are accepted; these change what a
// collection is, and are refused rather than ignored.
const UNSUPPORTED_OPTIONS = [
  "viewOn",
  "pipeline",
  "timeseries",
  "capped",
  "clusteredIndex",
  "encryptedFields",
];

const create: Handler = (c) => {
  const coll = collectionName(c);
  const options = commandOptions(c.command);
  const refused = UNSUPPORTED_OPTIONS.filter((o) => options[o] !== undefined);
  if (refused.length > 0) throw notSupported(`collection option ${refused.join(", ")}`);
  const existing = collectionOf(c, coll);
  if (existing) {
    // MongoDB 7.0 and later answer ok to a create that changes nothing.
    if (sameValue(existing.options, options)) return { ok: 1 };
    throw new CommandError("NamespaceExists", `Collection ${c.db}.${coll} already exists.`);
  }
  write(c, [{ op: "create", db: c.db, coll, options }]);
  return { ok: 1 };
};

const drop: Handler = (c) => {
  const coll = collectionName(c);
  const existing = collectionOf(c, coll);
  // Since MongoDB 7.0, dropping a collection that does not exist succeeds.
  if (!existing) return { ok: 1 };
  write(c, [{ op: "drop", db: c.db, coll }]);
  return { ns: `${c.db}.${coll}`, nIndexesWas: existing.indexes.length, ok: 1 };
};

const dropDatabase: Handler = (c) => {
  if (c.history.current.has(c.db)) write(c, [{ op: "dropDatabase", db: c.db }]);
  return { dropped: c.db, ok: 1 };
};

/** A full namespace `db.collection`, checked. */
function namespace(value: unknown, field: string): [string, string] {
  const dot = typeof value === "string" ? value.indexOf(".") : -1;
  if (typeof value !== "string" || dot <= 0 || dot === value.length - 1)
    throw new CommandError(
      "InvalidNamespace",
      `${field} must be a namespace <db>.<collection>: ${String(value)}`,
    );
  return [value.slice(0, dot), value.slice(dot + 1)];
}

const renameCollection: Handler = (c) => {
  if (c.db !== "admin")
    throw new CommandError("Unauthorized", "renameCollection may only be run against the admin database.");
  const [fromDb, fromColl] = namespace(c.command.renameCollection, "renameCollection");
  const [toDb, toColl] = namespace(c.command.to, "to");
  const source = collectionOf(c, fromColl, fromDb);
  if (!source)
    throw new CommandError("NamespaceNotFound", `Source collection ${fromDb}.${fromColl} does not exist`);
  if (collectionOf(c, toColl, toDb) && c.command.dropTarget !== true)
    throw new CommandError("NamespaceExists", `target namespace exists: ${toDb}.${toColl}`);
  write(c, [
    { op: "replace", db: toDb, coll: toColl, collection: source },
    { op: "drop", db: fromDb, coll: fromColl },
  ]);
  return { ok: 1 };
};

/** A requested index, checked: `{ key, name?, unique?, … }`. */
function indexSpec(value: unknown): IndexSpec {
  if (typeof value !== "object" || value === null) throw badValue("an index must be an object");
  const { key, name, v: _v, ns: _ns, ...options } = value as Document;
  if (typeof key !== "object" || key === null || Object.keys(key as Document).length === 0)
    throw badValue("an index needs a key");
  const spec: IndexSpec = {
    v: 2,
    key: key as Record<string, unknown>,
    name: typeof name === "string" ? name : indexName(key as Document),
  };
  for (const [option, setting] of Object.entries(options)) if (setting !== undefined) spec[option] = setting;
  return spec;
}

const createIndexes: Handler = (c) => {
  const coll = collectionName(c);
  const requested = c.command.indexes;
  if (!Array.isArray(requested) || requested.length === 0) throw badValue("createIndexes needs indexes");
  const specs = requested.map(indexSpec);
  const before = collectionOf(c, coll);
  const numIndexesBefore = before?.indexes.length ?? 1;
  const effects: Effect[] = before ? [] : [{ op: "create", db: c.db, coll, options: {} }];
  for (const spec of specs) {
    const same = before?.indexes.find((x) => x.name === spec.name);
    if (same) {
      if (!sameValue(same.key, spec.key))
        throw new CommandError(
          "IndexKeySpecsConflict",
          `An existing index has the same name as the requested index: ${spec.name}`,
        );
      continue;
    }
    effects.push({ op: "index", db: c.db, coll, index: spec });
  }
  // A unique index that the documents already break is refused before anything changes.
  for (const effect of effects) {
    if (effect.op !== "index" || !effect.index.unique || !before) continue;
    const conflict = before.copy().addIndex(effect.index);
    if (conflict)
      throw new CommandError(
        "DuplicateKey",
        `E11000 duplicate key error collection: ${c.db}.${coll} index: ${effect.index.name} dup key: ${JSON.stringify(conflict.values)}`,
      );
  }
  write(c, effects);
  return {
    numIndexesBefore,
    numIndexesAfter: collectionOf(c, coll)!.indexes.length,
    createdCollectionAutomatically: !before,
    ok: 1,
  };
};

const listIndexes: Handler = (c) => {
  const coll = collectionName(c);
  const collection = collectionOf(c, coll);
  if (!collection) throw new CommandError("NamespaceNotFound", `ns does not exist: ${c.db}.${coll}`);
  return c.cursors.first(`${c.db}.${coll}`, [...collection.indexes], cursorBatchSize(c));
};

const dropIndexes: Handler = (c) => {
  const coll = collectionName(c);
  const collection = collectionOf(c, coll);
  if (!collection) throw new CommandError("NamespaceNotFound", `ns not found: ${c.db}.${coll}`);
  const which = c.command.index;
  const names =
    which === "*"
      ? collection.indexes.filter((x) => x.name !== ID_INDEX.name).map((x) => x.name)
      : Array.isArray(which)
        ? (which as string[])
        : typeof which === "string"
          ? [which]
          : collection.indexes
              .filter((x) => sameValue(x.key, which))
              .map((x) => x.name)
              .slice(0, 1);
  if (names.includes(ID_INDEX.name)) throw new CommandError("InvalidOptions", "cannot drop _id index");
  const missing = names.find((name) => !collection.indexes.some((x) => x.name === name));
  if (missing !== undefined || names.length === 0)
    throw new CommandError(
      "IndexNotFound",
      `index not found with name [${String(missing ?? JSON.stringify(which))}]`,
    );
  const nIndexesWas = collection.indexes.length;
  write(
    c,
    names.map((name): Effect => ({ op: "dropIndex", db: c.db, coll, name })),
  );
  return { nIndexesWas, ok: 1 };
};

/** The catalog commands, by name. */
export const CATALOG_COMMANDS: Record<string, Handler> = {
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
