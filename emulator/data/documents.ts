import { type Document, EJSON, ObjectId } from "bson";
import { createHash } from "crypto";

// Documents as the emulator keeps them: plain objects deserialized from BSON (promoted values:
// int32, int64 in the safe range and doubles are numbers, as the Node driver reads them by default).
// A stored document is never changed in place: an update stores a new object, so a snapshot, a
// restored copy and the live collection can share the same objects.

/** A stored document. */
export type Doc = Document;

/** The key a document is stored under: equal `_id`s give equal keys (BSON compares 1 and 1.0 alike). */
export function idKey(id: unknown): string {
  if (typeof id === "number") return `n:${id}`;
  if (typeof id === "string") return `s:${id}`;
  if (isObjectId(id)) return `o:${id.toHexString()}`;
  return `e:${EJSON.stringify(id, { relaxed: true })}`;
}

function isObjectId(value: unknown): value is ObjectId {
  return (value as { _bsontype?: unknown } | null)?._bsontype === "ObjectId";
}

/** The value of a dotted path (`a.b.c`), or undefined when a step is missing. */
export function valueAt(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const step of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A deterministic ObjectId for the n-th seeded document of a namespace, so a restart gives the same ids. */
export function seededObjectId(scope: string, n: number): ObjectId {
  return new ObjectId(createHash("sha1").update(`${scope}#${n}`).digest("hex").slice(0, 24));
}

/** Reads a seed's Extended JSON document (relaxed or canonical) into a stored document. */
export function fromExtendedJson(json: unknown): Doc {
  return EJSON.deserialize(json as Document, { relaxed: true }) as Doc;
}
