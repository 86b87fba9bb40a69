import type { Document } from "bson";

import type { Collection } from "../data/collection";
import type { ClusterHistory, Effect, OplogTime } from "../data/history";
import type { Deployment } from "../data/plane";
import type { Cursors } from "./cursors";
import { CommandError } from "./errors";
import type { ScramConversation, ScramCredential } from "./scram";

/** What one client connection carries between commands. */
export interface Connection {
  readonly id: number;
  /** The authenticated user, once a SCRAM conversation succeeded. */
  user?: string;
  /** The SCRAM conversation in progress, by its id. */
  conversation?: { id: number; scram: ScramConversation };
}

/** What a command handler gets. */
export interface CommandContext {
  readonly command: Document;
  /** The database it runs in. */
  readonly db: string;
  readonly deployment: Deployment;
  /** `127.0.0.1:<port>`, as hello names this server. */
  readonly host: string;
  /** Emulator time of the command. */
  readonly now: number;
  readonly connection: Connection;
  readonly cursors: Cursors;
  /** The deployment's data now (restores completed by now have landed). */
  readonly history: ClusterHistory;
  /** The SCRAM keys of a database user of the deployment's project (undefined: no such user). */
  readonly credentialOf: (user: string) => ScramCredential | undefined;
}

/** A command's handler: its answer, or a thrown CommandError. */
export type Handler = (c: CommandContext) => Document;

/** Applies effects now, through the history (so they are kept with their time); the oplog time of the last. */
export function write(c: CommandContext, effects: readonly Effect[]): OplogTime {
  return c.history.write(c.now, effects);
}

/** The collection named by the command's first field (`find: "orders"`), checked. */
export function collectionName(c: CommandContext): string {
  const name = Object.values(c.command)[0];
  if (typeof name !== "string" || name === "" || name.includes("$") || name.includes("\0"))
    throw new CommandError("InvalidNamespace", `Invalid collection name: ${String(name)}`);
  return name;
}

/** The collection `db.name` now, if it exists. */
export function collectionOf(c: CommandContext, name: string, db: string = c.db): Collection | undefined {
  return c.history.current.get(db)?.get(name);
}

/** A non-negative integer option of the command (absent: `fallback`). */
export function count(c: CommandContext, field: string, fallback?: number): number | undefined {
  const value = c.command[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new CommandError("TypeMismatch", `${field} must be an integer`);
  return value;
}

/** A document option of the command (absent: `{}`). */
export function documentOption(c: CommandContext, field: string): Document {
  const value = c.command[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new CommandError("TypeMismatch", `${field} must be an object`);
  return value as Document;
}

/** The batch size a command asks for in `cursor: { batchSize }`, if any. */
export function cursorBatchSize(c: CommandContext): number | undefined {
  const size = (c.command.cursor as Document | undefined)?.batchSize;
  if (size === undefined) return undefined;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0)
    throw new CommandError("TypeMismatch", "cursor.batchSize must be an integer >= 0");
  return size;
}

// Fields any command may carry (sessions, write concern, API version…): not a command's own options.
const GENERIC_FIELDS = new Set([
  "lsid",
  "txnNumber",
  "autocommit",
  "writeConcern",
  "readConcern",
  "comment",
  "maxTimeMS",
  "apiVersion",
  "apiStrict",
  "apiDeprecationErrors",
]);

/** A command's own options: its fields but the first (its name), `$`-fields and the generic ones. */
export function commandOptions(command: Document): Document {
  return Object.fromEntries(
    Object.entries(command)
      .slice(1)
      .filter(([key]) => !key.startsWith("$") && !GENERIC_FIELDS.has(key)),
  );
}
