import assert from "node:assert";

import * as t from "io-ts";

import { formatDecodeErrors } from "../provider/reporter";

describe("decode error reporter", () => {
  const Codec = t.intersection([
    t.type({ id: t.string }),
    t.partial({
      deliveryUrl: t.array(t.string),
      kind: t.keyof({ a: null, b: null }),
      union: t.union([t.string, t.number]),
    }),
  ]);

  it("prints paths and expected types, one line per problem", () => {
    const result = Codec.decode({ id: 1, deliveryUrl: ["ok", 2], kind: "c", union: true });
    assert.ok(result._tag === "Left");
    assert.deepStrictEqual(formatDecodeErrors(result.left), [
      "id: expected string",
      "deliveryUrl.1: expected string",
      'kind: expected "a" | "b"',
      "union: expected (string | number)",
    ]);
  });

  it("never prints the offending value", () => {
    const secret = "https://download.example/secret-token";
    const result = t.type({ id: t.number }).decode({ id: secret });
    assert.ok(result._tag === "Left");
    assert.ok(!formatDecodeErrors(result.left).join("\n").includes(secret));
  });
});
