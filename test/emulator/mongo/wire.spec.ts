import assert from "node:assert";

import { BSON } from "bson";

import {
  encodeReply,
  MessageSplitter,
  OP_COMPRESSED,
  OP_MSG,
  OP_QUERY,
  OP_REPLY,
  parseMessage,
  WireFormatError,
} from "../../../emulator/mongo/wire";

/** A message: header (length, requestID 7, responseTo 0, opcode) and body. */
function message(opCode: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(7, 4);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n, 0);
  return b;
};

describe("emulator wire protocol framing", () => {
  it("reads an OP_MSG body with a document sequence, a checksum and moreToCome", () => {
    const docs = [BSON.serialize({ _id: 1 }), BSON.serialize({ _id: 2 })];
    const sequence = Buffer.concat([cstring("documents"), ...docs]);
    const body = Buffer.concat([
      int32(1 | 2), // checksumPresent, moreToCome
      Buffer.from([0]),
      BSON.serialize({ insert: "c", $db: "app" }),
      Buffer.from([1]),
      int32(4 + sequence.length),
      sequence,
      Buffer.alloc(4), // the checksum, not checked
    ]);
    const parsed = parseMessage(message(OP_MSG, body));
    assert.deepStrictEqual(parsed, {
      requestId: 7,
      command: { insert: "c", $db: "app", documents: [{ _id: 1 }, { _id: 2 }] },
      db: "app",
      moreToCome: true,
      legacy: false,
    });
  });

  it("reads an OP_QUERY command and answers it with OP_REPLY; an OP_MSG with OP_MSG", () => {
    const body = Buffer.concat([
      int32(0),
      cstring("admin.$cmd"),
      int32(0),
      int32(-1),
      BSON.serialize({ isMaster: 1 }),
    ]);
    const request = parseMessage(message(OP_QUERY, body));
    assert.deepStrictEqual([request.command, request.db, request.legacy], [{ isMaster: 1 }, "admin", true]);
    const reply = encodeReply(request, { ok: 1 });
    assert.deepStrictEqual(
      [reply.readInt32LE(0), reply.readInt32LE(8), reply.readInt32LE(12)],
      [reply.length, 7, OP_REPLY],
    );
    assert.strictEqual(reply.readInt32LE(32), 1, "numberReturned");
    assert.deepStrictEqual(BSON.deserialize(reply.subarray(36)), { ok: 1 });
    const msg = encodeReply({ requestId: 9, legacy: false }, { ok: 1 });
    assert.deepStrictEqual([msg.readInt32LE(8), msg.readInt32LE(12), msg[20]], [9, OP_MSG, 0]);
    assert.deepStrictEqual(BSON.deserialize(msg.subarray(21)), { ok: 1 });
  });

  it("splits a stream into messages whatever the chunks, and refuses a length out of range", () => {
    const one = message(
      OP_MSG,
      Buffer.concat([int32(0), Buffer.from([0]), BSON.serialize({ ping: 1, $db: "a" })]),
    );
    const stream = Buffer.concat([one, one]);
    const splitter = new MessageSplitter();
    const found = [
      splitter.push(stream.subarray(0, 3)),
      splitter.push(stream.subarray(3, 40)),
      splitter.push(stream.subarray(40)),
    ];
    assert.deepStrictEqual(
      found.map((m) => m.length),
      [0, 0, 2],
    );
    assert.throws(() => new MessageSplitter().push(int32(3)), WireFormatError);
    assert.throws(() => parseMessage(message(OP_COMPRESSED, Buffer.alloc(0))), /unsupported opcode: 2012/);
    assert.throws(
      () =>
        parseMessage(
          message(OP_MSG, Buffer.concat([int32(0), Buffer.from([0]), BSON.serialize({ ping: 1 })])),
        ),
      /without \$db/,
    );
  });
});
