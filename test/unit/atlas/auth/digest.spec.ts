import assert from "node:assert";
import { createHash } from "node:crypto";

import {
  digestAuthorization,
  type DigestChallenge,
  type DigestInput,
  newCnonce,
  parseDigestChallenge,
} from "../../../../provider/atlas/auth/digest";

/** RFC 7616 section 3.9.1: the worked example, signed with MD5 and with SHA-256. */
const RFC = {
  username: "Mufasa",
  password: "Circle of Life",
  realm: "http-auth@example.org",
  uri: "/dir/index.html",
  method: "GET",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
  md5: "8ca523f5e9506fed4657c9700eebdbec",
  sha256: "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
};

const rfcInput = (challenge: DigestChallenge): DigestInput => ({
  challenge,
  username: RFC.username,
  password: RFC.password,
  method: RFC.method,
  uri: RFC.uri,
  nonceCount: 1,
  cnonce: RFC.cnonce,
});

const simple = (overrides: Partial<DigestChallenge> = {}): DigestInput => ({
  challenge: { realm: "r", nonce: "n", qop: "auth", algorithm: "MD5", stale: false, ...overrides },
  username: "u",
  password: "p",
  method: "GET",
  uri: "/a?b=c",
  nonceCount: 1,
  cnonce: "c",
});

const param = (header: string, name: string) => new RegExp(`[ ,]${name}="?([^",]*)"?`).exec(header)?.[1];
const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest("hex");

describe("digest auth", () => {
  describe("RFC 7616 section 3.9.1 test vectors", () => {
    const rfcChallenge = (algorithm: string) =>
      `Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC.nonce}", opaque="${RFC.opaque}"`;

    it("signs the MD5 example exactly as the RFC shows it", () => {
      const header = digestAuthorization(rfcInput(parseDigestChallenge(rfcChallenge("MD5"))!));
      assert.strictEqual(
        header,
        `Digest username="Mufasa", realm="http-auth@example.org", nonce="${RFC.nonce}", uri="/dir/index.html", ` +
          `algorithm=MD5, qop=auth, nc=00000001, cnonce="${RFC.cnonce}", response="${RFC.md5}", opaque="${RFC.opaque}"`,
      );
    });

    it("signs the SHA-256 example exactly as the RFC shows it", () => {
      const header = digestAuthorization(rfcInput(parseDigestChallenge(rfcChallenge("SHA-256"))!));
      assert.strictEqual(
        header,
        `Digest username="Mufasa", realm="http-auth@example.org", nonce="${RFC.nonce}", uri="/dir/index.html", ` +
          `algorithm=SHA-256, qop=auth, nc=00000001, cnonce="${RFC.cnonce}", response="${RFC.sha256}", opaque="${RFC.opaque}"`,
      );
    });

    it("parses the RFC's challenge", () => {
      assert.deepStrictEqual(parseDigestChallenge(rfcChallenge("SHA-256")), {
        realm: RFC.realm,
        nonce: RFC.nonce,
        qop: "auth, auth-int",
        algorithm: "SHA-256",
        opaque: RFC.opaque,
        stale: false,
      });
    });
  });

  describe("digestAuthorization", () => {
    it("counts requests per nonce as eight hexadecimal digits", () => {
      const cases: [number, string][] = [
        [1, "00000001"],
        [2, "00000002"],
        [10, "0000000a"],
        [26, "0000001a"],
        [255, "000000ff"],
        [256, "00000100"],
        [0xffffffff, "ffffffff"],
      ];
      for (const [count, nc] of cases) {
        const header = digestAuthorization({ ...simple(), nonceCount: count });
        assert.strictEqual(param(header, "nc"), nc);
        const ha1 = hex("md5", "u:r:p");
        const ha2 = hex("md5", "GET:/a?b=c");
        assert.strictEqual(param(header, "response"), hex("md5", `${ha1}:n:${nc}:c:auth:${ha2}`));
      }
    });

    it("signs the request target with its query", () => {
      const header = digestAuthorization(simple());
      assert.strictEqual(param(header, "uri"), "/a?b=c");
    });

    it("folds the nonces into HA1 for -sess algorithms", () => {
      const header = digestAuthorization(simple({ algorithm: "MD5-sess" }));
      const ha1 = hex("md5", `${hex("md5", "u:r:p")}:n:c`);
      const ha2 = hex("md5", "GET:/a?b=c");
      assert.strictEqual(param(header, "response"), hex("md5", `${ha1}:n:00000001:c:auth:${ha2}`));
      assert.strictEqual(param(header, "algorithm"), "MD5-sess");
    });

    it("answers a challenge without qop the RFC 2069 way, without nc or cnonce", () => {
      const header = digestAuthorization(simple({ qop: undefined }));
      const response = hex("md5", `${hex("md5", "u:r:p")}:n:${hex("md5", "GET:/a?b=c")}`);
      assert.strictEqual(
        header,
        `Digest username="u", realm="r", nonce="n", uri="/a?b=c", algorithm=MD5, response="${response}"`,
      );
    });

    it("escapes quotes and backslashes in quoted values", () => {
      const header = digestAuthorization({ ...simple({ realm: 'a "b"' }), username: "x\\y" });
      assert.match(header, /^Digest username="x\\\\y", realm="a \\"b\\"", /);
    });

    it("never puts the password in the header", () => {
      const header = digestAuthorization({ ...simple(), password: "mdb-private-key-SECRET" });
      assert.ok(!header.includes("SECRET"));
    });

    it("refuses an algorithm it cannot compute", () => {
      for (const algorithm of ["SHA-1", "SHA-1-sess", "BLAKE2"]) {
        assert.throws(() => digestAuthorization(simple({ algorithm })), {
          message: `unsupported digest algorithm: ${algorithm}`,
        });
      }
    });

    it("refuses a challenge that does not offer qop auth", () => {
      assert.throws(() => digestAuthorization(simple({ qop: "auth-int" })), {
        message: "unsupported digest qop: auth-int",
      });
      assert.throws(() => digestAuthorization(simple({ qop: "authentication" })), {
        message: "unsupported digest qop: authentication",
      });
      assert.strictEqual(param(digestAuthorization(simple({ qop: "auth-int,auth" })), "qop"), "auth");
    });
  });

  describe("parseDigestChallenge", () => {
    it("parses Atlas's challenge", () => {
      assert.deepStrictEqual(
        parseDigestChallenge(
          'Digest realm="MMS Public API", domain="", nonce="Xzk3/Yp+Q0ZmN2E=", algorithm=MD5, qop="auth", stale=false',
        ),
        {
          realm: "MMS Public API",
          nonce: "Xzk3/Yp+Q0ZmN2E=",
          qop: "auth",
          algorithm: "MD5",
          opaque: undefined,
          stale: false,
        },
      );
    });

    it("reads quoted and unquoted values, escapes, and any case of names", () => {
      assert.deepStrictEqual(
        parseDigestChallenge(
          'digest REALM=atlas, Nonce = "a\\"b,c", QOP=auth, Opaque="o", Algorithm="SHA-256"',
        ),
        { realm: "atlas", nonce: 'a"b,c', qop: "auth", algorithm: "SHA-256", opaque: "o", stale: false },
      );
    });

    it("reads the stale flag in any case, and defaults to MD5 and not stale", () => {
      const stale = (flag: string) => parseDigestChallenge(`Digest realm="r", nonce="n"${flag}`)?.stale;
      assert.strictEqual(stale(", stale=true"), true);
      assert.strictEqual(stale(', stale="TRUE"'), true);
      assert.strictEqual(stale(", stale=false"), false);
      assert.strictEqual(stale(""), false);
      assert.strictEqual(parseDigestChallenge('Digest realm="r", nonce="n"')?.algorithm, "MD5");
    });

    it("reads only the first challenge when several share the header", () => {
      // Node joins repeated WWW-Authenticate headers with ", ".
      assert.deepStrictEqual(
        parseDigestChallenge('Digest realm="MMS Public API", nonce="n1", qop="auth", Basic realm="proxy"'),
        {
          realm: "MMS Public API",
          nonce: "n1",
          qop: "auth",
          algorithm: "MD5",
          opaque: undefined,
          stale: false,
        },
      );
      assert.deepStrictEqual(
        parseDigestChallenge(
          'Digest realm="r", nonce="n1", algorithm=SHA-256, qop="auth", Digest realm="r", nonce="n2", algorithm=MD5',
        ),
        { realm: "r", nonce: "n1", qop: "auth", algorithm: "SHA-256", opaque: undefined, stale: false },
      );
      assert.strictEqual(parseDigestChallenge('Digest realm="r", Basic nonce="n"'), undefined);
    });

    it("gives undefined without a realm or a nonce", () => {
      assert.strictEqual(parseDigestChallenge('Digest nonce="n", qop="auth"'), undefined);
      assert.strictEqual(parseDigestChallenge('Digest realm="r", qop="auth"'), undefined);
    });

    it("gives undefined for other schemes and for no header", () => {
      for (const header of [
        undefined,
        "",
        "Digest",
        'Basic realm="MMS Public API"',
        'Bearer realm="atlas", error="invalid_token"',
        'Digestive realm="r", nonce="n"',
      ]) {
        assert.strictEqual(parseDigestChallenge(header), undefined, String(header));
      }
    });
  });

  it("makes a fresh random client nonce each time", () => {
    const a = newCnonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notStrictEqual(newCnonce(), a);
  });
});
