import { BSON, type Document } from "bson";

// The MongoDB wire protocol's framing: OP_MSG (every command of a modern driver, document sequences
// included) and OP_QUERY on `<db>.$cmd` with its OP_REPLY (the first hello of a connection, which
// drivers still send that way before they know the server's wire version).
// https://github.com/mongodb/specifications/blob/master/source/message/OP_MSG.md

/** Opcodes this server reads or writes. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
/** The largest message a client may send (the `maxMessageSizeBytes` hello answers). */
export const MAX_MESSAGE_BYTES = 48_000_000;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

/** A command as read off the wire. */
export interface WireCommand {
  readonly requestId: number;
  /** The command document, with each document sequence (kind 1 section) under its identifier. */
  readonly command: Document;
  /** The database it runs in (`$db`, or the `<db>.$cmd` of an OP_QUERY). */
  readonly db: string;
  /** The client wants no answer (OP_MSG `moreToCome`, a `w: 0` write). */
  readonly moreToCome: boolean;
  /** Arrived as OP_QUERY, so it is answered with OP_REPLY. */
  readonly legacy: boolean;
}

/** A message this server cannot read; the connection is closed. */
export class WireFormatError extends Error {
  override readonly name = "WireFormatError";
}

// Values as the Node driver reads them by default: int64 in the safe range as numbers.
const DESERIALIZE = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

/** Splits a byte stream into whole messages. */
export class MessageSplitter {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds bytes; answers the messages now complete, each with its header. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES)
        throw new WireFormatError(`message length out of range: ${length}`);
      if (this.buffered.length < length) break;
      messages.push(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
    }
    return messages;
  }
}

/** Reads one message (header included). */
export function parseMessage(message: Buffer): WireCommand {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(message, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(message, requestId);
  // OP_COMPRESSED never arrives: hello answers no compression, so drivers do not use it.
  throw new WireFormatError(`unsupported opcode: ${opCode}`);
}

function parseOpMsg(message: Buffer, requestId: number): WireCommand {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      command = BSON.deserialize(message.subarray(offset, offset + size), DESERIALIZE);
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString("utf8", offset + 4, nameEnd);
      const docs: Document[] = [];
      for (let at = nameEnd + 1; at < sectionEnd;) {
        const docSize = message.readInt32LE(at);
        docs.push(BSON.deserialize(message.subarray(at, at + docSize), DESERIALIZE));
        at += docSize;
      }
      sequences.push([identifier, docs]);
      offset = sectionEnd;
    } else throw new WireFormatError(`unknown OP_MSG section kind: ${String(kind)}`);
  }
  if (!command) throw new WireFormatError("OP_MSG without a body section");
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  const db = command.$db;
  if (typeof db !== "string") throw new WireFormatError("OP_MSG without $db");
  return { requestId, command, db, moreToCome: (flags & MORE_TO_COME) !== 0, legacy: false };
}

function parseOpQuery(message: Buffer, requestId: number): WireCommand {
  const nameEnd = message.indexOf(0, HEADER_BYTES + 4);
  const collection = message.toString("utf8", HEADER_BYTES + 4, nameEnd);
  if (!collection.endsWith(".$cmd"))
    throw new WireFormatError(`OP_QUERY is only read on $cmd: ${collection}`);
  const at = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(at);
  let command = BSON.deserialize(message.subarray(at, at + size), DESERIALIZE);
  // Legacy drivers wrap a command with read preferences as { $query: {...} }.
  if (typeof command.$query === "object" && command.$query !== null) command = command.$query as Document;
  return {
    requestId,
    command,
    db: collection.slice(0, -".$cmd".length),
    moreToCome: false,
    legacy: true,
  };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** An answer to `request`: OP_MSG with one body section, or OP_REPLY to an OP_QUERY. */
export function encodeReply(request: Pick<WireCommand, "requestId" | "legacy">, reply: Document): Buffer {
  const body = BSON.serialize(reply);
  if (request.legacy) {
    const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
    fields.writeInt32LE(1, 16);
    const length = HEADER_BYTES + fields.length + body.length;
    return Buffer.concat([header(length, request.requestId, OP_REPLY), fields, body]);
  }
  const flagsAndKind = Buffer.alloc(5); // flagBits 0, section kind 0
  const length = HEADER_BYTES + flagsAndKind.length + body.length;
  return Buffer.concat([header(length, request.requestId, OP_MSG), flagsAndKind, body]);
}
