import { Binary, type Document, Long, ObjectId, Timestamp } from "bson";

import type { CommandContext, Handler } from "./context";
import { CommandError } from "./errors";
import { ScramConversation, ScramError } from "./scram";

// The handshake and session commands: hello, SCRAM-SHA-256 authentication, ping, buildInfo.

/** The wire version of MongoDB 8.0 (what Atlas runs by default). */
export const MAX_WIRE_VERSION = 25;
const MECHANISM = "SCRAM-SHA-256";
// The same election id always: one primary, never re-elected.
const ELECTION_ID = new ObjectId("7fffffff0000000000000001");

/** The SCRAM payload of a command as text. */
function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer).toString("utf8");
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString("utf8");
  if (typeof payload === "string") return payload;
  throw new CommandError("BadValue", "the SASL payload must be binary");
}

function authenticationFailed(): CommandError {
  return new CommandError("AuthenticationFailed", "Authentication failed.");
}

let conversations = 0;

/** Starts a SCRAM-SHA-256 conversation: answers the server-first message. */
function saslStart(c: CommandContext, start: Document): Document {
  if (start.mechanism !== MECHANISM)
    throw new CommandError(
      "MechanismUnavailable",
      `Received authentication for mechanism ${String(start.mechanism)} which is not enabled`,
    );
  // Atlas keeps database users in admin: another authentication database knows nobody.
  if (c.db !== "admin") throw authenticationFailed();
  const scram = new ScramConversation(c.credentialOf);
  try {
    const { serverFirst } = scram.start(payloadText(start.payload));
    const id = ++conversations;
    c.connection.conversation = { id, scram };
    return { conversationId: id, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
  } catch (error) {
    if (error instanceof ScramError) throw authenticationFailed();
    throw error;
  }
}

const saslContinue: Handler = (c) => {
  const conversation = c.connection.conversation;
  if (!conversation || conversation.id !== c.command.conversationId)
    throw new CommandError("BadValue", "No SASL session state found");
  delete c.connection.conversation;
  try {
    const { user, serverFinal } = conversation.scram.finish(payloadText(c.command.payload));
    c.connection.user = user;
    return {
      conversationId: conversation.id,
      done: true,
      payload: new Binary(Buffer.from(serverFinal)),
      ok: 1,
    };
  } catch (error) {
    if (error instanceof ScramError) throw authenticationFailed();
    throw error;
  }
};

/** `hello` (and the legacy `isMaster`): what this server is, and a first SCRAM step when asked for. */
const hello: Handler = (c) => {
  const legacy = !("hello" in c.command);
  const now = new Date(c.now);
  const reply: Document = {
    helloOk: true,
    [legacy ? "ismaster" : "isWritablePrimary"]: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: c.connection.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (c.deployment.sharded) reply.msg = "isdbgrid";
  else {
    const opTime = { ts: timestamp(c), t: Long.fromNumber(1) };
    Object.assign(reply, {
      hosts: [c.host],
      setName: c.deployment.replicaSetName,
      setVersion: 1,
      secondary: false,
      primary: c.host,
      me: c.host,
      electionId: ELECTION_ID,
      lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    });
  }
  const mechs = c.command.saslSupportedMechs;
  if (typeof mechs === "string" && mechs.startsWith("admin.") && c.credentialOf(mechs.slice(6)))
    reply.saslSupportedMechs = [MECHANISM];
  const speculative = c.command.speculativeAuthenticate as Document | undefined;
  if (speculative?.saslStart === 1) {
    try {
      reply.speculativeAuthenticate = saslStart({ ...c, db: String(speculative.db ?? c.db) }, speculative);
    } catch {
      // As MongoDB does: no speculative answer, so the client authenticates with saslStart and learns why.
    }
  }
  return { ...reply, ok: 1 };
};

/** The oplog time of the deployment's newest change (the command's second before any change). */
export function timestamp(c: CommandContext): Timestamp {
  const { t, i } = c.history.lastTime;
  return t === 0 ? new Timestamp({ t: Math.floor(c.now / 1000), i: 0 }) : new Timestamp({ t, i });
}

/** The commands a client may run before it authenticates, by name. */
export const OPEN_COMMANDS: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  saslStart: (c) => saslStart(c, c.command),
  saslContinue,
  ping: () => ({ ok: 1 }),
  buildInfo: (c) => ({
    version: c.deployment.mongoDBVersion,
    versionArray: [...c.deployment.mongoDBVersion.split(".").map(Number), 0],
    gitVersion: "atlas-emulator",
    modules: ["enterprise"],
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    ok: 1,
  }),
  endSessions: () => ({ ok: 1 }),
  connectionStatus: (c) => ({
    authInfo: {
      authenticatedUsers: c.connection.user ? [{ user: c.connection.user, db: "admin" }] : [],
      authenticatedUserRoles: c.connection.user ? [{ role: "atlasAdmin", db: "admin" }] : [],
    },
    ok: 1,
  }),
  logout: (c) => {
    delete c.connection.user;
    return { ok: 1 };
  },
};
