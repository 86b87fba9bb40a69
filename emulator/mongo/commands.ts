import { type Document, Long } from "bson";

import { AGGREGATE_COMMANDS } from "./aggregate";
import { CATALOG_COMMANDS } from "./catalog";
import type { CommandContext, Handler } from "./context";
import { CRUD_COMMANDS } from "./crud";
import { CommandError, notSupported } from "./errors";
import { OPEN_COMMANDS, timestamp } from "./handshake";

// Every command the emulator answers, and what all of them share: authentication first, no
// transactions, and the cluster time a replica set's answers carry.

const COMMANDS: Record<string, Handler> = {
  ...OPEN_COMMANDS,
  ...CRUD_COMMANDS,
  ...CATALOG_COMMANDS,
  ...AGGREGATE_COMMANDS,
};

const TRANSACTION_COMMANDS = ["commitTransaction", "abortTransaction"];

/**
 * Runs one command: its answer, or `{ ok: 0, errmsg, code, codeName }` for what MongoDB would refuse
 * (unknown commands, no authentication, transactions) and for a bug (InternalError, its details on
 * stderr only).
 */
export function runCommand(c: CommandContext): Document {
  const name = Object.keys(c.command)[0] ?? "";
  let reply: Document;
  try {
    reply = dispatch(c, name);
  } catch (error) {
    if (error instanceof CommandError) reply = error.toReply();
    else {
      console.error(
        `Atlas emulator: command ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      reply = new CommandError("InternalError", `internal error in command ${name}`).toReply();
    }
  }
  // A replica set member tells the client the oplog time its answer reflects (a write's own time):
  // sessions read it as operationTime, which a point-in-time restore can name.
  if (c.deployment.sharded) return reply;
  const operationTime = timestamp(c);
  return { ...reply, operationTime, $clusterTime: { clusterTime: operationTime, signature: NO_SIGNATURE } };
}

const NO_SIGNATURE = { hash: Buffer.alloc(20), keyId: Long.fromNumber(0) };

function dispatch(c: CommandContext, name: string): Document {
  const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  const open = Object.hasOwn(OPEN_COMMANDS, name);
  if (!open && !c.connection.user) {
    if (!handler) throw new CommandError("CommandNotFound", `no such command: '${name}'`);
    throw new CommandError("Unauthorized", `Command ${name} requires authentication`);
  }
  if (
    TRANSACTION_COMMANDS.includes(name) ||
    c.command.startTransaction === true ||
    c.command.autocommit === false
  )
    // CommandNotSupported, not MongoDB's IllegalOperation: the driver reads code 20 on a write as
    // "no retryable writes" and replaces the message.
    throw notSupported("transactions");
  if (!handler) throw new CommandError("CommandNotFound", `no such command: '${name}'`);
  return handler(c);
}
