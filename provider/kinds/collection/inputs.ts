import * as t from "io-ts";

import { CollectionIndexStrategy, CollectionWriteStrategy } from "../../atlas/collection-wire";
import { type DiffRules, snapshotIdAsGiven } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  commonDiffRules,
  type Failure,
  known,
  OplogIncrement,
  printableName,
  TimestampSeconds,
  UNKNOWN,
} from "../../restore/input-fields";
import { defineInputs } from "../../restore/input-schema";
import type { VerifyContext } from "../../verify/check";

/** Atlas takes at most this many entries in each of `databases` and `collections`. */
export const MAX_NAMESPACES = 100;

/** MongoDB caps a database name at 64 bytes with its terminator, so 63 characters. */
export const MAX_DATABASE_NAME_LENGTH = 63;

/** MongoDB caps a namespace (`db.collection`) at 255 bytes. */
export const MAX_NAMESPACE_LENGTH = 255;

// Characters MongoDB refuses in database names (its Windows list, which Atlas applies everywhere).
// eslint-disable-next-line no-control-regex -- MongoDB refuses the null character in names
const DATABASE_NAME = /^[^/\\. "$*<>:|?\u0000]+$/;

/** Whether a string is a database name MongoDB accepts (`orders`). */
export function isDatabaseName(s: string): boolean {
  return s.length <= MAX_DATABASE_NAME_LENGTH && DATABASE_NAME.test(s);
}

/** Whether a string is a collection namespace MongoDB accepts (`orders.customers`). */
export function isCollectionNamespace(s: string): boolean {
  const dot = s.indexOf(".");
  if (dot <= 0 || s.length > MAX_NAMESPACE_LENGTH) return false;
  const collection = s.slice(dot + 1);
  return (
    isDatabaseName(s.slice(0, dot)) &&
    collection.length > 0 &&
    // eslint-disable-next-line no-control-regex -- MongoDB refuses the null character in names
    !/[$\u0000]/.test(collection) &&
    !collection.startsWith("system.")
  );
}

/** What an entry of `databases` or `collections` names, and how its namespaces are checked. */
const NAMESPACE_KINDS = {
  databases: { test: isDatabaseName, expected: "database name (db)" },
  collections: { test: isCollectionNamespace, expected: "collection namespace (db.collection)" },
} as const;
type NamespaceList = keyof typeof NAMESPACE_KINDS;

/** One entry of `databases` or `collections` after `check`. */
export interface NamespaceEntry {
  sourceNamespace: string;
  targetNamespace?: string;
}

const isEntry = (list: NamespaceList) => (u: unknown) => {
  if (!t.UnknownRecord.is(u)) return false;
  const { test } = NAMESPACE_KINDS[list];
  return Object.entries(u).every(
    ([key, value]) =>
      (key === "sourceNamespace" || key === "targetNamespace") &&
      (!known(value) || (typeof value === "string" && test(value))),
  );
};

const namespaceList = (list: NamespaceList) => {
  const entry = isEntry(list);
  const is = (u: unknown): u is NamespaceEntry[] =>
    Array.isArray(u) && u.length <= MAX_NAMESPACES && u.every(entry);
  return new t.Type<NamespaceEntry[], unknown, unknown>(
    `array of at most ${MAX_NAMESPACES} { sourceNamespace, targetNamespace? }, each a ${NAMESPACE_KINDS[list].expected}`,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
};

const suffix = (test: (s: string) => boolean, what: string) =>
  new t.Type<string, string, unknown>(
    `string of characters allowed in ${what}`,
    (u): u is string => typeof u === "string" && (u === "" || test(u)),
    (u, c) => (typeof u === "string" && (u === "" || test(u)) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

/** The one definition of a collection restore job's inputs: `check` and `create` both use it. */
const collectionInputs = defineInputs({
  required: { groupId: AtlasId, clusterName: AtlasName, targetClusterName: AtlasName },
  defaulted: {
    targetGroupId: AtlasId,
    writeStrategy: CollectionWriteStrategy,
    indexStrategy: CollectionIndexStrategy,
    allowPartial: t.boolean,
  },
  optional: {
    databases: namespaceList("databases"),
    collections: namespaceList("collections"),
    databaseSuffix: suffix(isDatabaseName, "database names"),
    collectionSuffix: suffix((s) => isCollectionNamespace(`d.${s}`), "collection names"),
    snapshotId: AtlasId,
    pointInTimeUtcSeconds: TimestampSeconds,
    oplogTs: TimestampSeconds,
    oplogInc: OplogIncrement,
  },
  writesToTarget: () => true,
  defaults: (raw) => ({
    targetGroupId: raw.targetGroupId ?? raw.groupId,
    writeStrategy: raw.writeStrategy ?? "CREATE_NEW",
    indexStrategy: raw.indexStrategy ?? "ALL",
    allowPartial: raw.allowPartial ?? false,
  }),
  crossField: (raw, nowSeconds) => [
    ...namespaceFailures(raw, "databases"),
    ...namespaceFailures(raw, "collections"),
    ...somethingToRestore(raw),
    ...sourceFailures(raw, nowSeconds),
  ],
  verifyContext: (raw) => ({ writes: targetsOf(raw), sourceCountsReported: true }),
});

/** The inputs of a collection restore job after `check`: validated, defaults filled in. */
export const CollectionRestoreJobInputs = collectionInputs.codec;
export type CollectionRestoreJobInputs = t.TypeOf<typeof CollectionRestoreJobInputs>;

/**
 * Validates raw inputs and fills in defaults (see {@link defineInputs}), so that a request Atlas
 * would refuse is never sent.
 */
export const checkCollectionInputs = collectionInputs.check;

/** The inputs that name a moment to restore to; spelled `Utc` as the collection-restore API does. */
export const COLLECTION_POINT_IN_TIME_FIELDS = ["pointInTimeUtcSeconds", "oplogTs", "oplogInc"] as const;

/** Each entry of a list, its failures naming their path (`collections[2].sourceNamespace`). */
function namespaceFailures(raw: Record<string, unknown>, list: NamespaceList): Failure[] {
  const value = raw[list];
  if (!known(value) || !Array.isArray(value)) return [];
  const failures: Failure[] = [];
  if (value.length > MAX_NAMESPACES)
    failures.push({ property: list, reason: `at most ${MAX_NAMESPACES} entries, got ${value.length}` });
  const { test, expected } = NAMESPACE_KINDS[list];
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const at = `${list}[${i}]`;
    if (!known(entry)) return;
    if (!t.UnknownRecord.is(entry)) {
      failures.push({ property: at, reason: "expected object of sourceNamespace and targetNamespace" });
      return;
    }
    for (const key of Object.keys(entry)) {
      if (key !== "sourceNamespace" && key !== "targetNamespace")
        failures.push({ property: `${at}.${printableName(key)}`, reason: "unknown property" });
    }
    for (const key of ["sourceNamespace", "targetNamespace"]) {
      const field = entry[key];
      if (key === "sourceNamespace" && (field === undefined || field === null)) {
        failures.push({ property: `${at}.${key}`, reason: `required, expected ${expected}` });
      } else if (known(field) && (typeof field !== "string" || !test(field))) {
        failures.push({ property: `${at}.${key}`, reason: `expected ${expected}` });
      }
    }
    const source = entry.sourceNamespace;
    if (typeof source === "string" && known(source)) {
      if (seen.has(source))
        failures.push({ property: `${at}.sourceNamespace`, reason: `named twice: ${printableName(source)}` });
      seen.add(source);
    }
  });
  return failures;
}

/**
 * Where the restore writes, as Atlas names targets (`targetNamespace`, else the source with the
 * suffixes): collections, and whole databases. Undefined while any of it is unknown (preview).
 */
function targetsOf(raw: Record<string, unknown>): VerifyContext["writes"] {
  const naming = [raw.databases, raw.collections, raw.databaseSuffix, raw.collectionSuffix];
  if (JSON.stringify(naming).includes(UNKNOWN)) return undefined;
  const suffix = (value: unknown) => (typeof value === "string" ? value : "");
  const [databaseSuffix, collectionSuffix] = [suffix(raw.databaseSuffix), suffix(raw.collectionSuffix)];
  const targets = (list: unknown, rename: (source: string) => string): string[] =>
    (Array.isArray(list) ? list : [])
      .filter(t.UnknownRecord.is)
      .flatMap(({ sourceNamespace, targetNamespace }) =>
        typeof targetNamespace === "string"
          ? [targetNamespace]
          : typeof sourceNamespace === "string"
            ? [rename(sourceNamespace)]
            : [],
      );
  return {
    databases: targets(raw.databases, (db) => `${db}${databaseSuffix}`),
    collections: targets(raw.collections, (namespace) => {
      const dot = namespace.indexOf(".");
      return `${namespace.slice(0, dot)}${databaseSuffix}.${namespace.slice(dot + 1)}${collectionSuffix}`;
    }),
  };
}

/** A restore copies at least one database or collection. */
function somethingToRestore(raw: Record<string, unknown>): Failure[] {
  const lists = [raw.databases, raw.collections];
  // A list not known until apply may hold entries.
  if (lists.some((list) => list !== undefined && list !== null && !Array.isArray(list))) return [];
  if (lists.some((list) => Array.isArray(list) && list.length > 0)) return [];
  return [{ property: "collections", reason: "name at least one database or collection to restore" }];
}

/** A snapshot or a point in time, not both; a point is a time, or an oplog timestamp and increment. */
function sourceFailures(raw: Record<string, unknown>, nowSeconds: number): Failure[] {
  const failures: Failure[] = [];
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;
  if (has("pointInTimeUTCSeconds"))
    failures.push({
      property: "pointInTimeUTCSeconds",
      reason: "collection restores spell it pointInTimeUtcSeconds",
    });
  const byTime = has("pointInTimeUtcSeconds");
  const byOplog = has("oplogTs") || has("oplogInc");
  if (has("snapshotId") && (byTime || byOplog))
    failures.push({
      property: "snapshotId",
      reason:
        "give either snapshotId or a point in time (pointInTimeUtcSeconds, or oplogTs with oplogInc), not both",
    });
  if (byTime && byOplog)
    failures.push({
      property: "pointInTimeUtcSeconds",
      reason: "give either pointInTimeUtcSeconds or oplogTs with oplogInc, not both",
    });
  else if (byOplog && !has("oplogTs"))
    failures.push({ property: "oplogTs", reason: "required with oplogInc" });
  else if (byOplog && !has("oplogInc"))
    failures.push({ property: "oplogInc", reason: "required with oplogTs" });
  for (const key of ["pointInTimeUtcSeconds", "oplogTs"]) {
    const value = raw[key];
    if (known(value) && typeof value === "number" && value > nowSeconds)
      failures.push({ property: key, reason: "must not be in the future" });
  }
  return failures;
}

/** Warnings a valid restore still deserves, shown at preview and at `up`. */
export function collectionWarnings(inputs: Record<string, unknown>): string[] {
  const onSource =
    inputs.targetClusterName === inputs.clusterName &&
    (inputs.targetGroupId ?? inputs.groupId) === inputs.groupId;
  if (inputs.writeStrategy !== "OVERWRITE_EXISTING" || !onSource || !known(inputs.clusterName)) return [];
  return [
    "writeStrategy OVERWRITE_EXISTING into the source cluster drops and replaces the restored " +
      `namespaces there, and writes made to them meanwhile are lost: ${String(inputs.clusterName)}`,
  ];
}

/** How `diff` treats each input of a collection restore job. */
export const collectionDiffRules: DiffRules = {
  replaceOnChange: [
    "groupId",
    "clusterName",
    "targetClusterName",
    "targetGroupId",
    "writeStrategy",
    "indexStrategy",
    "databases",
    "collections",
    "databaseSuffix",
    "collectionSuffix",
    "snapshotId",
    ...COLLECTION_POINT_IN_TIME_FIELDS,
    ...commonDiffRules.replaceOnChange,
  ],
  updateOnChange: ["allowPartial", ...commonDiffRules.updateOnChange],
  oldInput: snapshotIdAsGiven,
};
