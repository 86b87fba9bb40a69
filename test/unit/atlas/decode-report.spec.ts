import assert from "node:assert";

import * as t from "io-ts";

import { formatDecodeErrors, pathOf } from "../../../provider/atlas/decode-report";

/** The reporter's lines for a value the codec refuses; fails the test when the codec accepts it. */
function report(codec: t.Mixed, value: unknown): string[] {
  const result = codec.decode(value);
  if (result._tag === "Right") assert.fail(`expected ${codec.name} to refuse the value`);
  return formatDecodeErrors(result.left);
}

describe("decode error reporter", () => {
  const Job = t.intersection([
    t.type({ id: t.string }),
    t.partial({
      deliveryUrl: t.array(t.string),
      kind: t.keyof({ a: null, b: null }),
      union: t.union([t.string, t.number]),
    }),
  ]);

  it("prints paths and expected types, one line per problem", () => {
    assert.deepStrictEqual(report(Job, { id: 1, deliveryUrl: ["ok", 2], kind: "c", union: true }), [
      "id: expected string",
      "deliveryUrl.1: expected string",
      'kind: expected "a" | "b"',
      "union: expected (string | number)",
    ]);
  });

  it("leaves intersection members out of the path, also when nested", () => {
    const Outer = t.type({ outer: t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]) });
    assert.deepStrictEqual(report(Outer, { outer: { a: 1, b: "x" } }), [
      "outer.a: expected string",
      "outer.b: expected number",
    ]);
  });

  it("collapses a failed union to one line naming the union, not one per member", () => {
    const Item = t.union([t.type({ a: t.string }), t.string]);
    assert.deepStrictEqual(report(t.type({ items: t.array(Item) }), { items: ["ok", { a: 1 }, 3] }), [
      "items.1: expected ({ a: string } | string)",
      "items.2: expected ({ a: string } | string)",
    ]);
  });

  it("keeps array indexes and reports each failing element", () => {
    const List = t.type({ list: t.array(t.type({ url: t.string })) });
    assert.deepStrictEqual(report(List, { list: [{ url: "x" }, { url: 5 }, {}] }), [
      "list.1.url: expected string",
      "list.2.url: expected string",
    ]);
  });

  it('names the root "value" when the whole value is wrong', () => {
    assert.deepStrictEqual(report(t.type({ a: t.string }), "text"), ["value: expected { a: string }"]);
    assert.deepStrictEqual(report(t.union([t.string, t.number]), true), [
      "value: expected (string | number)",
    ]);
  });

  it("prints a codec's own message instead of the expected type", () => {
    const Even = new t.Type<number, number, unknown>(
      "Even",
      (u): u is number => typeof u === "number" && u % 2 === 0,
      (u, c) => (typeof u === "number" && u % 2 === 0 ? t.success(u) : t.failure(u, c, "must be even")),
      t.identity,
    );
    assert.deepStrictEqual(report(t.type({ n: Even }), { n: 3 }), ["n: must be even"]);
  });

  it("prints the same problem once", () => {
    const Both = t.intersection([t.type({ a: t.string }), t.type({ a: t.string })]);
    assert.deepStrictEqual(report(Both, { a: 1 }), ["a: expected string"]);
  });

  it("never prints the offending value, whatever its shape", () => {
    const secrets = [
      "mdb_sa_sk_SECRET",
      "https://download.example/restore.tar.gz?X-Amz-Signature=SECRET",
      { token: "mdb_sa_sk_SECRET" },
      ["mdb_sa_sk_SECRET"],
    ];
    const Codec = t.type({
      id: t.number,
      nested: t.type({ list: t.array(t.number), either: t.union([t.number, t.boolean]) }),
      record: t.record(t.string, t.number),
    });
    for (const secret of secrets) {
      const lines = report(Codec, {
        id: secret,
        nested: { list: [secret], either: secret },
        record: { key: secret },
      });
      assert.deepStrictEqual(lines, [
        "id: expected number",
        "nested.list.0: expected number",
        "nested.either: expected (number | boolean)",
        "record.key: expected number",
      ]);
      assert.ok(!lines.join("\n").includes("SECRET"), lines.join("\n"));
    }
  });

  it("builds a dotted path from a context, skipping intersection and union steps", () => {
    const Inner = t.type({ url: t.string });
    const Member = t.intersection([Inner, t.partial({})]);
    const context: t.Context = [
      { key: "", type: t.type({ jobs: t.array(Member) }), actual: {} },
      { key: "jobs", type: t.array(Member), actual: [] },
      { key: "0", type: Member, actual: {} },
      { key: "0", type: Inner, actual: {} },
      { key: "url", type: t.string, actual: 1 },
    ];
    assert.strictEqual(pathOf(context), "jobs.0.url");
    assert.strictEqual(pathOf([{ key: "", type: t.string, actual: 1 }]), "");
  });
});
