import { EJSON } from "bson";
import type * as Mongo from "mongodb";

import { compareClone, type FoundCollection, type VerifyResult } from "./compare";
import type { DatabaseCredentials } from "./credentials";
import type { VerifyCloneInputs } from "./inputs";

/**
 * The I/O edge of a clone check: connect to the target with the official driver, count each
 * collection's documents (and its query's matches), compare (compare.ts), close.
 */

/** What a clone check reads from the target. */
export interface CloneReader {
  /** Whether `db.collection` exists, its documents, and with `filter` the documents matching it. */
  collection(namespace: string, filter?: Record<string, unknown>): Promise<FoundCollection>;
  close(): Promise<void>;
}

/** Opens a {@link CloneReader}. */
export type ConnectClone = (
  connectionString: string,
  credentials: DatabaseCredentials,
  timeoutMs: number,
) => Promise<CloneReader>;

/** What {@link verifyClone} needs. */
export interface VerifyCloneOptions {
  /** The target's connection string: {@link connectionStringOf} its cluster GET's `connectionStrings`. */
  readonly connectionString: string;
  /** A database user of the target's project (stack config secrets, credentials.ts). */
  readonly credentials: DatabaseCredentials;
  readonly inputs: VerifyCloneInputs;
  /**
   * The source's documents as Atlas reports them, by the namespace they landed in: a collection-level
   * restore's per-collection `totalDocuments` keyed by `effectiveTargetNamespace` (for `sameAsSource`).
   */
  readonly sourceCounts?: ReadonlyMap<string, number>;
  /** How long to wait for the cluster and for each answer, ms (default: 30000). */
  readonly timeoutMs?: number;
  /** How to reach the target (default: the `mongodb` driver, an optional peer dependency loaded on first use). */
  readonly connect?: ConnectClone;
}

/** A clone that could not be read: the reason, never a credential or connection string. */
export class CloneCheckError extends Error {
  override readonly name = "CloneCheckError";
  constructor(
    message: string,
    /** The driver's error code (e.g. 18 for a refused login), when it gave one. */
    readonly code?: number | string,
  ) {
    super(message);
  }
}

/**
 * The connection string to check a clone through: `standard` where the cluster GET answers one (it
 * needs no DNS, and is the one that works against the emulator), else `standardSrv` (serverless
 * instances have only that).
 */
export function connectionStringOf(strings: { standard?: string; standardSrv?: string }): string | undefined {
  return strings.standard || strings.standardSrv || undefined;
}

/**
 * Checks a clone after its restore completed: per collection, the documents counted against what was
 * asked, and the query's matches. Resolves with the result (its `failure` line when a check failed);
 * rejects with {@link CloneCheckError} when the target cannot be read at all.
 */
export async function verifyClone(options: VerifyCloneOptions): Promise<VerifyResult> {
  const connect = options.connect ?? driverConnect;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let reader: CloneReader;
  try {
    reader = await connect(options.connectionString, options.credentials, timeoutMs);
  } catch (error) {
    throw readError("cannot connect to the clone", error, options.credentials);
  }
  try {
    const found = new Map<string, FoundCollection>();
    for (const check of options.inputs.collections)
      found.set(check.namespace, await reader.collection(check.namespace, check.query?.filter));
    return compareClone(options.inputs.collections, found, options.sourceCounts);
  } catch (error) {
    throw readError("cannot read the clone's collections", error, options.credentials);
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/** A {@link CloneCheckError} from a driver error: its name, code and message, the credentials cut out. */
function readError(what: string, error: unknown, credentials: DatabaseCredentials): CloneCheckError {
  if (error instanceof CloneCheckError) return error;
  const e = error as { name?: string; message?: string; code?: number | string };
  let message = `${e.name ?? "Error"}: ${e.message ?? String(error)}`;
  for (const secret of [credentials.password, encodeURIComponent(credentials.password)])
    if (secret) message = message.split(secret).join("***");
  return new CloneCheckError(`${what}: ${message.split("\n")[0]}`, e.code);
}

/** Loads the driver: an optional peer dependency, so only programs that check clones install it. */
function loadDriver(): typeof Mongo {
  try {
    return require("mongodb") as typeof Mongo;
  } catch {
    throw new CloneCheckError(
      "checking a clone needs an optional peer dependency, install it with npm: mongodb",
    );
  }
}

/** The default {@link ConnectClone}: the official driver, reading from the primary. */
const driverConnect: ConnectClone = async (connectionString, credentials, timeoutMs) => {
  const { MongoClient } = loadDriver();
  const client = new MongoClient(connectionString, {
    auth: { username: credentials.username, password: credentials.password },
    appName: "pulumi-atlas-restore clone check",
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    readPreference: "primary",
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return {
    async collection(namespace, filter) {
      const dot = namespace.indexOf(".");
      const db = client.db(namespace.slice(0, dot));
      const name = namespace.slice(dot + 1);
      const exists = (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
      if (!exists) return { exists, documents: 0, ...(filter ? { matching: 0 } : {}) };
      const collection = db.collection(name);
      const documents = await collection.countDocuments({});
      if (!filter) return { exists, documents };
      return { exists, documents, matching: await collection.countDocuments(EJSON.deserialize(filter)) };
    },
    close: () => client.close(),
  };
};
