import { EJSON } from "bson";
import { readFileSync } from "fs";
import { dirname, resolve } from "path";

import { NAME_PATTERN, OBJECT_ID_PATTERN } from "../atlas/ids";
import defaultSeedJson from "./default-seed.json";

/** Status of a seeded snapshot, in the serverless vocabulary; flex snapshots map it to upper case. */
export type SeedSnapshotStatus = "queued" | "inProgress" | "completed" | "failed";

/** A snapshot of a serverless instance or flex cluster. */
export interface SeedSnapshot {
  /** 24-hex snapshot id. */
  id: string;
  /** When the snapshot was taken: ISO 8601, or before the emulator's first start ({@link SeedTime}). */
  createdAt: string;
  /** Backup stage; only `completed` snapshots can be restored. */
  status: SeedSnapshotStatus;
  /** When set, every restore of this snapshot fails (default: false). */
  failRestores?: boolean;
  /** Snapshot size in bytes (default: 1 GiB). */
  storageSizeBytes?: number;
  /** MongoDB version of the snapshot (default: the cluster's). */
  mongoDBVersion?: string;
  /** Free text, ignored. */
  description?: string;
  /** `onDemand` for snapshots taken through the API (default: `scheduled`). */
  snapshotType?: "onDemand" | "scheduled";
  /** Days the snapshot is kept (default: 30, the default policy's daily snapshots). */
  retentionDays?: number;
}

/** A serverless instance, flex cluster or dedicated cluster. */
export interface SeedCluster {
  /** 24-hex id. */
  id: string;
  /** 24-hex id of the project holding it. */
  groupId: string;
  /** Name (`^[a-zA-Z0-9][a-zA-Z0-9-]*$`), unique per project and kind. */
  name: string;
  /** Creation date: ISO 8601 or a {@link SeedTime} (default: 2025-01-01T00:00:00Z). */
  createDate?: string;
  /** MongoDB version (default: 8.0.4). */
  mongoDBVersion?: string;
  /** AWS, AZURE or GCP (default: AWS). */
  backingProviderName?: "AWS" | "AZURE" | "GCP";
  /** Region (default: US_EAST_1). */
  regionName?: string;
  /** Its snapshots, any order. */
  snapshots: SeedSnapshot[];
  /** Dedicated clusters only: `REPLICASET` (default) or `SHARDED`. */
  clusterType?: "REPLICASET" | "SHARDED";
  /** Dedicated sharded clusters only: how many shards (default 2); replica sets `<name>-shard-<i>`. */
  shardCount?: number;
  /** Dedicated clusters only: whether continuous backup allows point-in-time restores (default true). */
  pitEnabled?: boolean;
  /**
   * The documents it holds (every kind; a serverless instance and the flex cluster of the same name
   * are one deployment, so at most one of the two declares them); collection-level restores find them
   * in its snapshots.
   */
  databases?: SeedDatabase[];
  /** Free text, ignored. */
  description?: string;
}

/** A database of a cluster: its collections and their documents. */
export interface SeedDatabase {
  name: string;
  collections: SeedCollection[];
}

/**
 * A collection. Its documents are `data` when given (Extended JSON, inline or read from `file`),
 * else `documents` generated ones, `{ _id: n, n, label: "<collection>-<n>" }` for n = 1…N.
 */
export interface SeedCollection {
  name: string;
  /** How many documents it holds (the length of `data` when that is given). */
  documents: number;
  /** Its documents as Extended JSON (relaxed or canonical). */
  data?: unknown[];
  /**
   * An Extended JSON file of documents (a JSON array, or one document per line as `mongoexport`
   * writes), relative to the seed file (absolute once loaded). It is checked when the seed is loaded
   * and read again when the cluster's documents are first needed, so a large file is not kept twice.
   */
  file?: string;
  /** Secondary indexes (the `_id` index is always there). */
  indexes?: SeedIndex[];
  /** Forces how a restore of it ends (default: restored). */
  restoreOutcome?: "NOT_FOUND" | "INDEX_BUILD_FAILED";
}

/** An index, as `createIndexes` takes it. */
export interface SeedIndex {
  /** Fields and directions, e.g. `{ "customerId": 1, "createdAt": -1 }`. */
  key: Record<string, 1 | -1>;
  /** Default: the fields and directions joined, `customerId_1_createdAt_-1`. */
  name?: string;
  unique?: boolean;
}

/**
 * A database user of a project (SCRAM-SHA-256 on every cluster of the project, authentication
 * database `admin`, as Atlas has them).
 */
export interface SeedDatabaseUser {
  groupId: string;
  username: string;
  /** Printable ASCII (SASLprep leaves it as it is); never printed. */
  password: string;
  description?: string;
}

/** A project. */
export interface SeedProject {
  /** 24-hex project (group) id. */
  id: string;
  /** Display name. */
  name: string;
}

/** A programmatic API key (HTTP Digest: public key is the user, private key the password). */
export interface SeedApiKey {
  publicKey: string;
  privateKey: string;
  /** Project ids it may use; other existing projects answer 403. */
  projects: string[];
  description?: string;
}

/** A service account (OAuth 2.0 client credentials). */
export interface SeedServiceAccount {
  clientId: string;
  clientSecret: string;
  /** Project ids it may use; other existing projects answer 403. */
  projects: string[];
  description?: string;
}

/** Everything the emulator serves at start: the format of `--seed` files and `emulator/seed/default-seed.json`. */
export interface Seed {
  projects: SeedProject[];
  serverlessInstances: SeedCluster[];
  flexClusters: SeedCluster[];
  /** Dedicated clusters (the clusters API); optional in a seed file. */
  clusters: SeedCluster[];
  apiKeys: SeedApiKey[];
  serviceAccounts: SeedServiceAccount[];
  /** Database users: who may log in to the clusters' wire protocol (default: none). */
  databaseUsers?: SeedDatabaseUser[];
  description?: string;
}

/**
 * A seed time: an ISO 8601 date, or a time before the emulator's first start such as `-36h`, `-2d` or
 * `-90m`, so a seed's snapshots stay recent (and inside their restore windows) whenever it runs.
 */
export type SeedTime = string;

const RELATIVE_TIME = /^-(\d+)([mhd])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Whether a string is a {@link SeedTime}. */
export function isSeedTime(value: string): boolean {
  return RELATIVE_TIME.test(value) || !Number.isNaN(Date.parse(value));
}

/** A {@link SeedTime} as ISO 8601, relative ones counted back from `startMs`. */
export function resolveSeedTime(value: SeedTime, startMs: number): string {
  const m = RELATIVE_TIME.exec(value);
  return m ? new Date(startMs - Number(m[1]) * UNIT_MS[m[2]!]!).toISOString() : value;
}

/** The seed with every time absolute: snapshots' `createdAt` and clusters' `createDate`. */
export function resolveSeedTimes(seed: Seed, startMs: number): Seed {
  const cluster = (c: SeedCluster): SeedCluster => ({
    ...c,
    ...(c.createDate !== undefined ? { createDate: resolveSeedTime(c.createDate, startMs) } : {}),
    snapshots: c.snapshots.map((s) => ({ ...s, createdAt: resolveSeedTime(s.createdAt, startMs) })),
  });
  return {
    ...seed,
    serverlessInstances: seed.serverlessInstances.map(cluster),
    flexClusters: seed.flexClusters.map(cluster),
    clusters: seed.clusters.map(cluster),
  };
}

/** Thrown when a seed does not follow the format; lists every problem, never a credential value. */
export class SeedError extends Error {
  override readonly name = "SeedError";
  constructor(readonly problems: string[]) {
    super(`invalid emulator seed: ${problems.join("; ")}`);
  }
}

/** Returns a fresh copy of the built-in seed (the quickstart's projects, clusters and credentials). */
export function defaultSeed(): Seed {
  return parseSeed(JSON.parse(JSON.stringify(defaultSeedJson)));
}

/** Reads and checks a seed file; the collections' `file`s are read relative to it. */
export function loadSeedFile(path: string): Seed {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new SeedError([`cannot read seed file as JSON: ${path} (${(err as Error).message})`]);
  }
  return parseSeed(json, dirname(resolve(path)));
}

const SNAPSHOT_STATUSES: readonly string[] = ["queued", "inProgress", "completed", "failed"];
const PROVIDERS: readonly string[] = ["AWS", "AZURE", "GCP"];

/**
 * Checks an untrusted JSON value against the seed format and returns it typed; throws {@link SeedError}.
 * @param baseDir where the collections' `file`s are read from (default: the working directory)
 */
export function parseSeed(json: unknown, baseDir: string = process.cwd()): Seed {
  const problems: string[] = [];
  const root = asObject(json, "seed", problems);
  const projects = asArray(root["projects"], "projects", problems).map((p, i) => {
    const o = asObject(p, `projects[${i}]`, problems);
    return {
      id: str(o, "id", `projects[${i}]`, problems, OBJECT_ID_PATTERN),
      name: str(o, "name", `projects[${i}]`, problems),
    };
  });
  const projectIds = new Set(projects.map((p) => p.id));
  const checkProjectRef = (id: string, where: string): void => {
    if (id && !projectIds.has(id)) problems.push(`${where} names an unknown project: ${id}`);
  };

  const clusters = (key: "serverlessInstances" | "flexClusters" | "clusters"): SeedCluster[] => {
    const seen = new Set<string>();
    const list = key === "clusters" ? (root[key] ?? []) : root[key];
    return asArray(list, key, problems).map((c, i) => {
      const where = `${key}[${i}]`;
      const o = asObject(c, where, problems);
      const cluster: SeedCluster = {
        id: str(o, "id", where, problems, OBJECT_ID_PATTERN),
        groupId: str(o, "groupId", where, problems, OBJECT_ID_PATTERN),
        name: str(o, "name", where, problems, NAME_PATTERN),
        snapshots: asArray(o["snapshots"] ?? [], `${where}.snapshots`, problems).map((s, j) =>
          parseSnapshot(s, `${where}.snapshots[${j}]`, problems),
        ),
      };
      copyOptionalString(o, cluster, "createDate", where, problems, true);
      copyOptionalString(o, cluster, "mongoDBVersion", where, problems);
      copyOptionalString(o, cluster, "regionName", where, problems);
      copyOptionalString(o, cluster, "description", where, problems);
      if (o["backingProviderName"] !== undefined) {
        if (!PROVIDERS.includes(o["backingProviderName"] as string)) {
          problems.push(`${where}.backingProviderName must be one of ${PROVIDERS.join(", ")}`);
        } else cluster.backingProviderName = o["backingProviderName"] as "AWS";
      }
      if (key === "clusters") copyDedicatedFields(o, cluster, where, problems);
      if (o["databases"] !== undefined)
        cluster.databases = parseDatabases(o["databases"], `${where}.databases`, baseDir, problems);
      checkProjectRef(cluster.groupId, `${where}.groupId`);
      const key2 = `${cluster.groupId}/${cluster.name}`;
      if (seen.has(key2)) problems.push(`${where} repeats a name in its project: ${cluster.name}`);
      seen.add(key2);
      return cluster;
    });
  };
  const serverlessInstances = clusters("serverlessInstances");
  const flexClusters = clusters("flexClusters");
  const dedicated = clusters("clusters");

  for (const [i, flex] of flexClusters.entries()) {
    const twin = serverlessInstances.find((c) => c.groupId === flex.groupId && c.name === flex.name);
    if (flex.databases && twin?.databases)
      problems.push(
        `flexClusters[${i}].databases repeats its serverless instance's; declare them once: ${flex.name}`,
      );
  }

  const snapshotIds = new Set<string>();
  for (const c of [...serverlessInstances, ...flexClusters, ...dedicated]) {
    for (const s of c.snapshots) {
      if (snapshotIds.has(s.id)) problems.push(`snapshot id is not unique: ${s.id}`);
      snapshotIds.add(s.id);
    }
  }

  const credentials = <K extends "publicKey" | "clientId", S extends "privateKey" | "clientSecret">(
    key: "apiKeys" | "serviceAccounts",
    idKey: K,
    secretKey: S,
  ): Array<Record<K | S, string> & { projects: string[]; description?: string }> =>
    asArray(root[key] ?? [], key, problems).map((c, i) => {
      const where = `${key}[${i}]`;
      const o = asObject(c, where, problems);
      const id = str(o, idKey, where, problems);
      // The secret is checked for presence and type only: a message must never print it.
      const secret = typeof o[secretKey] === "string" && o[secretKey] !== "" ? (o[secretKey] as string) : "";
      if (!secret) problems.push(`${where}.${secretKey} must be a non-empty string`);
      const projectsOf = asArray(o["projects"], `${where}.projects`, problems).map((p, j) => {
        if (typeof p !== "string") {
          problems.push(`${where}.projects[${j}] must be a string`);
          return "";
        }
        checkProjectRef(p, `${where}.projects[${j}]`);
        return p;
      });
      const out = { [idKey]: id, [secretKey]: secret, projects: projectsOf } as Record<K | S, string> & {
        projects: string[];
        description?: string;
      };
      if (typeof o["description"] === "string") out.description = o["description"];
      return out;
    });

  const apiKeys = credentials("apiKeys", "publicKey", "privateKey");
  const serviceAccounts = credentials("serviceAccounts", "clientId", "clientSecret");
  const databaseUsers =
    root["databaseUsers"] === undefined ? undefined : parseDatabaseUsers(root["databaseUsers"], problems);
  for (const [i, user] of (databaseUsers ?? []).entries())
    checkProjectRef(user.groupId, `databaseUsers[${i}].groupId`);
  if (problems.length > 0) throw new SeedError(problems);
  const seed: Seed = {
    projects,
    serverlessInstances,
    flexClusters,
    clusters: dedicated,
    apiKeys,
    serviceAccounts,
  };
  if (databaseUsers) seed.databaseUsers = databaseUsers;
  if (typeof root["description"] === "string") seed.description = root["description"];
  return seed;
}

// Printable ASCII, on which SASLprep (RFC 4013, what SCRAM-SHA-256 applies) changes nothing.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function parseDatabaseUsers(json: unknown, problems: string[]): SeedDatabaseUser[] {
  const seen = new Set<string>();
  return asArray(json, "databaseUsers", problems).map((u, i) => {
    const where = `databaseUsers[${i}]`;
    const o = asObject(u, where, problems);
    const user: SeedDatabaseUser = {
      groupId: str(o, "groupId", where, problems, OBJECT_ID_PATTERN),
      username: str(o, "username", where, problems, PRINTABLE_ASCII),
      password: "",
    };
    // Checked for presence and form only: a message must never print it.
    const password = o["password"];
    if (typeof password !== "string" || !PRINTABLE_ASCII.test(password))
      problems.push(`${where}.password must be a non-empty string of printable ASCII`);
    else user.password = password;
    if (typeof o["description"] === "string") user.description = o["description"];
    if (seen.has(`${user.groupId}/${user.username}`))
      problems.push(`${where} repeats a username in its project: ${user.username}`);
    seen.add(`${user.groupId}/${user.username}`);
    return user;
  });
}

function parseSnapshot(json: unknown, where: string, problems: string[]): SeedSnapshot {
  const o = asObject(json, where, problems);
  const status = o["status"];
  if (!SNAPSHOT_STATUSES.includes(status as string)) {
    problems.push(`${where}.status must be one of ${SNAPSHOT_STATUSES.join(", ")}`);
  }
  const snapshot: SeedSnapshot = {
    id: str(o, "id", where, problems, OBJECT_ID_PATTERN),
    createdAt: str(o, "createdAt", where, problems),
    status: status as SeedSnapshotStatus,
  };
  if (snapshot.createdAt && !isSeedTime(snapshot.createdAt)) {
    problems.push(`${where}.createdAt must be an ISO 8601 date or -<n>m|h|d: ${snapshot.createdAt}`);
  }
  if (o["failRestores"] !== undefined) {
    if (typeof o["failRestores"] !== "boolean") problems.push(`${where}.failRestores must be a boolean`);
    else snapshot.failRestores = o["failRestores"];
  }
  if (o["storageSizeBytes"] !== undefined) {
    if (!Number.isInteger(o["storageSizeBytes"]))
      problems.push(`${where}.storageSizeBytes must be an integer`);
    else snapshot.storageSizeBytes = o["storageSizeBytes"] as number;
  }
  copyOptionalString(o, snapshot, "mongoDBVersion", where, problems);
  copyOptionalString(o, snapshot, "description", where, problems);
  return snapshot;
}

function copyDedicatedFields(
  o: Record<string, unknown>,
  cluster: SeedCluster,
  where: string,
  problems: string[],
): void {
  const type = o["clusterType"];
  if (type !== undefined) {
    if (type !== "REPLICASET" && type !== "SHARDED")
      problems.push(`${where}.clusterType must be REPLICASET or SHARDED`);
    else cluster.clusterType = type;
  }
  const shards = o["shardCount"];
  if (shards !== undefined) {
    if (!Number.isInteger(shards) || (shards as number) < 1 || (shards as number) > 50)
      problems.push(`${where}.shardCount must be an integer from 1 to 50`);
    else cluster.shardCount = shards as number;
  }
  if (o["pitEnabled"] !== undefined) {
    if (typeof o["pitEnabled"] !== "boolean") problems.push(`${where}.pitEnabled must be a boolean`);
    else cluster.pitEnabled = o["pitEnabled"];
  }
}

function parseDatabases(json: unknown, where: string, baseDir: string, problems: string[]): SeedDatabase[] {
  return asArray(json, where, problems).map((d, i) => {
    const o = asObject(d, `${where}[${i}]`, problems);
    return {
      name: str(o, "name", `${where}[${i}]`, problems, /^[^./\s"$]+$/),
      collections: asArray(o["collections"], `${where}[${i}].collections`, problems).map((c, j) =>
        parseCollection(c, `${where}[${i}].collections[${j}]`, baseDir, problems),
      ),
    };
  });
}

function parseCollection(json: unknown, at: string, baseDir: string, problems: string[]): SeedCollection {
  const co = asObject(json, at, problems);
  const collection: SeedCollection = { name: str(co, "name", at, problems, /^[^/\s"$]+$/), documents: 0 };
  const both = co["data"] !== undefined && co["file"] !== undefined;
  if (both) problems.push(`${at} has both data and file`);
  let data: unknown[] | undefined;
  if (!both && co["file"] !== undefined) {
    if (typeof co["file"] !== "string" || co["file"] === "")
      problems.push(`${at}.file must be a non-empty string`);
    else {
      collection.file = resolve(baseDir, co["file"]);
      try {
        data = readDocumentsFile(collection.file);
      } catch (err) {
        problems.push(
          `${at}.file cannot be read as Extended JSON: ${collection.file} (${(err as Error).message})`,
        );
      }
    }
  } else if (!both && co["data"] !== undefined)
    data = collection.data = asArray(co["data"], `${at}.data`, problems);
  if (data) {
    data.forEach((doc, k) =>
      checkDocument(doc, `${at}.${co["file"] !== undefined ? "file" : "data"}[${k}]`, problems),
    );
    collection.documents = data.length;
  }
  const documents = co["documents"];
  // Without data or a file, `documents` says how many to generate.
  if (documents !== undefined || (co["data"] === undefined && co["file"] === undefined)) {
    if (!Number.isInteger(documents) || (documents as number) < 0)
      problems.push(`${at}.documents must be an integer >= 0`);
    else if (data && documents !== data.length)
      problems.push(
        `${at}.documents must be the number of its documents (${data.length}): ${String(documents)}`,
      );
    else collection.documents = documents as number;
  }
  if (co["indexes"] !== undefined)
    collection.indexes = asArray(co["indexes"], `${at}.indexes`, problems).map((x, k) =>
      parseIndex(x, `${at}.indexes[${k}]`, problems),
    );
  const outcome = co["restoreOutcome"];
  if (outcome !== undefined) {
    if (outcome !== "NOT_FOUND" && outcome !== "INDEX_BUILD_FAILED")
      problems.push(`${at}.restoreOutcome must be NOT_FOUND or INDEX_BUILD_FAILED`);
    else collection.restoreOutcome = outcome;
  }
  return collection;
}

function parseIndex(json: unknown, at: string, problems: string[]): SeedIndex {
  const o = asObject(json, at, problems);
  const key = asObject(o["key"], `${at}.key`, problems);
  if (Object.keys(key).length === 0 || Object.values(key).some((v) => v !== 1 && v !== -1))
    problems.push(`${at}.key must name fields, each 1 or -1`);
  const index: SeedIndex = { key: key as SeedIndex["key"] };
  if (o["name"] !== undefined) index.name = str(o, "name", at, problems);
  if (o["unique"] !== undefined) {
    if (typeof o["unique"] !== "boolean") problems.push(`${at}.unique must be a boolean`);
    else index.unique = o["unique"];
  }
  return index;
}

/** Reads an Extended JSON file: a JSON array, or one document per line (what `mongoexport` writes); throws. */
export function readDocumentsFile(path: string): unknown[] {
  const text = readFileSync(path, "utf8");
  if (text.trimStart().startsWith("[")) {
    const json: unknown = JSON.parse(text);
    if (!Array.isArray(json)) throw new Error("not an array");
    return json;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** A document must be an object that Extended JSON can read. */
function checkDocument(doc: unknown, at: string, problems: string[]): void {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    problems.push(`${at} must be an object`);
    return;
  }
  try {
    EJSON.deserialize(doc as Record<string, unknown>);
  } catch (err) {
    problems.push(`${at} is not Extended JSON: ${(err as Error).message}`);
  }
}

/** The replica sets of a dedicated cluster: one, or one per shard. */
export function replicaSetNames(cluster: SeedCluster): string[] {
  if (cluster.clusterType !== "SHARDED") return [`${cluster.name}-shard-0`];
  return Array.from({ length: cluster.shardCount ?? 2 }, (_, i) => `${cluster.name}-shard-${i}`);
}

function asObject(value: unknown, where: string, problems: string[]): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  problems.push(`${where} must be an object`);
  return {};
}

function asArray(value: unknown, where: string, problems: string[]): unknown[] {
  if (Array.isArray(value)) return value;
  problems.push(`${where} must be an array`);
  return [];
}

function str(
  o: Record<string, unknown>,
  key: string,
  where: string,
  problems: string[],
  pattern?: RegExp,
): string {
  const value = o[key];
  if (typeof value !== "string" || value === "") {
    problems.push(`${where}.${key} must be a non-empty string`);
    return "";
  }
  if (pattern && !pattern.test(value))
    problems.push(`${where}.${key} must match ${pattern.source}: ${value}`);
  return value;
}

function copyOptionalString<T extends object>(
  o: Record<string, unknown>,
  target: T,
  key: string,
  where: string,
  problems: string[],
  isDate = false,
): void {
  const value = o[key];
  if (value === undefined) return;
  if (typeof value !== "string" || (isDate && !isSeedTime(value))) {
    problems.push(`${where}.${key} must be ${isDate ? "an ISO 8601 date or -<n>m|h|d" : "a string"}`);
    return;
  }
  (target as Record<string, unknown>)[key] = value;
}
