import { randomUUID } from "crypto";

import { type Doc, idKey, valueAt } from "./documents";

/** An index as `listIndexes` answers it (`v`, `key`, `name`, and options such as `unique`). */
export interface IndexSpec {
  v: 2;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  [option: string]: unknown;
}

/** The index every collection has. */
export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: "_id_" };

/** Documents produced on demand, never stored until a write needs them: a seed's generated collection. */
export interface GeneratedDocuments {
  readonly count: number;
  make(index: number): Doc;
}

/**
 * One collection: its documents by `_id` key (in insertion order, MongoDB's natural order), its
 * indexes and options. A copy shares the documents themselves (they are never changed in place) and
 * the generator of a generated collection, so copying is one Map copy, or nothing at all.
 */
export class Collection {
  private docs: Map<string, Doc> | undefined;
  private generated: GeneratedDocuments | undefined;
  /** Per unique index (other than `_id`): its key values → the `_id` key holding them; built on first need. */
  private uniqueValues: Map<string, Map<string, string>> | undefined;

  private constructor(
    docs: Map<string, Doc> | undefined,
    generated: GeneratedDocuments | undefined,
    readonly indexes: IndexSpec[],
    readonly options: Doc,
    /** The collection's UUID, as `listCollections` and a dump's metadata give it. */
    readonly uuid: string,
  ) {
    this.docs = docs;
    this.generated = generated;
  }

  /** An empty collection with the `_id` index. */
  static empty(options: Doc = {}): Collection {
    return new Collection(new Map(), undefined, [ID_INDEX], options, randomUUID());
  }

  /** A collection of `generated` documents, made only when read. */
  static generated(generated: GeneratedDocuments, indexes: IndexSpec[] = []): Collection {
    return new Collection(undefined, generated, [ID_INDEX, ...indexes], {}, randomUUID());
  }

  /** A collection holding `docs` (stored as they are), with the `_id` index and `indexes`. */
  static of(docs: Iterable<Doc>, indexes: IndexSpec[] = [], options: Doc = {}): Collection {
    const collection = new Collection(new Map(), undefined, [ID_INDEX, ...indexes], options, randomUUID());
    for (const doc of docs) collection.put(doc);
    return collection;
  }

  /** A copy that shares the documents; `indexes` replaces the index list (default: the same). */
  copy(indexes: IndexSpec[] = this.indexes): Collection {
    return new Collection(
      this.docs && new Map(this.docs),
      this.generated,
      [...indexes],
      this.options,
      this.uuid,
    );
  }

  /** How many documents it holds. */
  get size(): number {
    return this.docs?.size ?? this.generated!.count;
  }

  /** Its documents in natural order. */
  *documents(): IterableIterator<Doc> {
    if (this.docs) yield* this.docs.values();
    else for (let i = 0; i < this.generated!.count; i++) yield this.generated!.make(i);
  }

  /** The document with this `_id` key. */
  get(key: string): Doc | undefined {
    return this.stored().get(key);
  }

  /** Stores a document (new, or replacing the one with its `_id`). */
  put(doc: Doc): void {
    const key = idKey(doc._id);
    const before = this.stored().get(key);
    if (before && this.uniqueValues) this.forgetUnique(before);
    this.stored().set(key, doc);
    if (this.uniqueValues) this.rememberUnique(doc, key);
  }

  /** Removes the document with this `_id` key; whether it was there. */
  delete(key: string): boolean {
    const before = this.stored().get(key);
    if (!before) return false;
    if (this.uniqueValues) this.forgetUnique(before);
    return this.stored().delete(key);
  }

  /**
   * The unique index `doc` would break, stored under `_id` key `key` (replacing the document stored
   * there, if any): its name and key values, or undefined.
   */
  uniqueConflict(doc: Doc, key: string): { index: IndexSpec; values: unknown[] } | undefined {
    if (!this.indexes.some(isSecondaryUnique)) return undefined;
    const maps = this.uniqueMaps();
    for (const index of this.indexes.filter(isSecondaryUnique)) {
      const values = Object.keys(index.key).map((path) => valueAt(doc, path) ?? null);
      const holder = maps.get(index.name)?.get(valuesKey(values));
      if (holder !== undefined && holder !== key) return { index, values };
    }
    return undefined;
  }

  /** Adds an index; a unique one must hold for the documents already there (else the conflict is returned). */
  addIndex(index: IndexSpec): { values: unknown[] } | undefined {
    if (index.unique && index.name !== ID_INDEX.name) {
      const seen = new Map<string, string>();
      for (const doc of this.documents()) {
        const values = Object.keys(index.key).map((path) => valueAt(doc, path) ?? null);
        if (seen.has(valuesKey(values))) return { values };
        seen.set(valuesKey(values), idKey(doc._id));
      }
      this.uniqueValues?.set(index.name, seen);
    }
    this.indexes.push(index);
    return undefined;
  }

  /** Drops an index by name; whether it existed. */
  dropIndex(name: string): boolean {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i < 0) return false;
    this.indexes.splice(i, 1);
    this.uniqueValues?.delete(name);
    return true;
  }

  /** The documents, stored from now on (a generated collection is made once, on its first write). */
  private stored(): Map<string, Doc> {
    if (!this.docs) {
      const docs = new Map<string, Doc>();
      for (const doc of this.documents()) docs.set(idKey(doc._id), doc);
      this.docs = docs;
      this.generated = undefined;
    }
    return this.docs;
  }

  private uniqueMaps(): Map<string, Map<string, string>> {
    if (!this.uniqueValues) {
      this.uniqueValues = new Map(this.indexes.filter(isSecondaryUnique).map((x) => [x.name, new Map()]));
      for (const [key, doc] of this.stored()) this.rememberUnique(doc, key);
    }
    return this.uniqueValues;
  }

  private rememberUnique(doc: Doc, key: string): void {
    for (const index of this.indexes.filter(isSecondaryUnique)) {
      const values = Object.keys(index.key).map((path) => valueAt(doc, path) ?? null);
      this.uniqueValues!.get(index.name)?.set(valuesKey(values), key);
    }
  }

  private forgetUnique(doc: Doc): void {
    for (const index of this.indexes.filter(isSecondaryUnique)) {
      const values = Object.keys(index.key).map((path) => valueAt(doc, path) ?? null);
      this.uniqueValues!.get(index.name)?.delete(valuesKey(values));
    }
  }
}

function isSecondaryUnique(index: IndexSpec): boolean {
  return index.unique === true && index.name !== ID_INDEX.name;
}

function valuesKey(values: unknown[]): string {
  return values.map(idKey).join("\u0000");
}

/** An index's default name: its fields and directions joined, `a_1_b_-1`. */
export function indexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join("_");
}

/** A cluster's databases: name → collection name → collection. */
export type Databases = Map<string, Map<string, Collection>>;

/** A copy of every database, sharing the documents. */
export function copyDatabases(databases: Databases): Databases {
  return new Map(
    [...databases].map(([name, collections]) => [
      name,
      new Map([...collections].map(([coll, collection]) => [coll, collection.copy()])),
    ]),
  );
}
