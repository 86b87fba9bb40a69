import assert from "node:assert";

import { digestAuthorization, parseDigestChallenge } from "../../provider/auth/digest";

/** RFC 7616 section 3.9.1: the worked example for MD5 and SHA-256. */
const rfc = {
  realm: "http-auth@example.org",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

const responseOf = (header: string) => /response="([0-9a-f]+)"/.exec(header)![1];

describe("digest auth", () => {
  for (const [algorithm, expected] of [
    ["MD5", "8ca523f5e9506fed4657c9700eebdbec"],
    ["SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"],
  ] as const) {
    it(`matches the RFC 7616 test vector for ${algorithm}`, () => {
      const header = digestAuthorization({
        challenge: {
          realm: rfc.realm,
          nonce: rfc.nonce,
          opaque: rfc.opaque,
          qop: "auth",
          algorithm,
          stale: false,
        },
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/dir/index.html",
        nonceCount: 1,
        cnonce: rfc.cnonce,
      });
      assert.strictEqual(responseOf(header), expected);
      assert.match(header, /nc=00000001/);
      assert.match(header, new RegExp(`opaque="${rfc.opaque.replace(/\//g, "\\/")}"`));
    });
  }

  it("counts requests per nonce in hexadecimal", () => {
    const header = digestAuthorization({
      challenge: { realm: "r", nonce: "n", qop: "auth", algorithm: "MD5", stale: false },
      username: "u",
      password: "p",
      method: "GET",
      uri: "/",
      nonceCount: 26,
      cnonce: "c",
    });
    assert.match(header, /nc=0000001a/);
  });

  it("parses Atlas's challenge, stale flag included", () => {
    assert.deepStrictEqual(
      parseDigestChallenge(
        'Digest realm="MMS Public API", domain="", nonce="abc/+=", algorithm=MD5, qop="auth", stale=true',
      ),
      {
        realm: "MMS Public API",
        nonce: "abc/+=",
        qop: "auth",
        algorithm: "MD5",
        opaque: undefined,
        stale: true,
      },
    );
    assert.strictEqual(parseDigestChallenge('Bearer realm="x"'), undefined);
    assert.strictEqual(parseDigestChallenge('Digest realm="x"'), undefined);
    assert.strictEqual(parseDigestChallenge(undefined), undefined);
  });

  it("refuses algorithms and qops it cannot answer", () => {
    const input = { username: "u", password: "p", method: "GET", uri: "/", nonceCount: 1, cnonce: "c" };
    assert.throws(
      () =>
        digestAuthorization({
          ...input,
          challenge: { realm: "r", nonce: "n", qop: "auth", algorithm: "SHA-1", stale: false },
        }),
      /unsupported digest algorithm: SHA-1/,
    );
    assert.throws(
      () =>
        digestAuthorization({
          ...input,
          challenge: { realm: "r", nonce: "n", qop: "auth-int", algorithm: "MD5", stale: false },
        }),
      /unsupported digest qop: auth-int/,
    );
  });
});
