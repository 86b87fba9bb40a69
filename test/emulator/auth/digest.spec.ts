import assert from "node:assert";

import {
  digestChallenge,
  expectedDigestResponse,
  NonceBook,
  parseDigestParams,
  sameRequestTarget,
  verifyDigest,
} from "../../../emulator/auth/digest";
import { digestHeader } from "../helpers";

// RFC 7616 §3.9.1: the worked example, with both algorithms.
const RFC = {
  username: "Mufasa",
  realm: "http-auth@example.org",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  nc: "00000001",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  qop: "auth",
};

describe("emulator digest auth", () => {
  describe("expectedDigestResponse", () => {
    it("gives the RFC 7616 response for MD5", () => {
      assert.strictEqual(
        expectedDigestResponse({ ...RFC, algorithm: "MD5" }),
        "8ca523f5e9506fed4657c9700eebdbec",
      );
    });

    it("gives the RFC 7616 response for SHA-256", () => {
      assert.strictEqual(
        expectedDigestResponse({ ...RFC, algorithm: "SHA-256" }),
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
      );
    });
  });

  it("challenges as Atlas does: MD5, qop auth, and the stale flag", () => {
    assert.strictEqual(
      digestChallenge("abc", false),
      'Digest realm="MMS Public API", domain="", nonce="abc", algorithm=MD5, qop="auth", stale=false',
    );
    assert.match(digestChallenge("abc", true), /stale=true$/);
  });

  it("parses quoted, escaped and token parameters, names in any case", () => {
    assert.deepStrictEqual(parseDigestParams('Username="a\\"b", NC=00000001, qop=auth, uri="/x?y=1,2"'), {
      username: 'a"b',
      nc: "00000001",
      qop: "auth",
      uri: "/x?y=1,2",
    });
  });

  describe("NonceBook", () => {
    it("accepts nonce counts out of order and refuses only a repeated one", () => {
      const book = new NonceBook();
      const nonce = book.issue(0, 1000);
      assert.deepStrictEqual(
        [3, 1, 2, 2, 5, 3].map((nc) => book.useCount(nonce, nc)),
        [true, true, true, false, true, false],
      );
    });

    it("turns nonces stale after their lifetime, and forgets them", () => {
      const book = new NonceBook();
      const nonce = book.issue(0, 1000);
      assert.strictEqual(book.status(nonce, 999, 1000), "fresh");
      assert.strictEqual(book.status(nonce, 1000, 1000), "stale");
      assert.strictEqual(book.status("never-issued", 0, 1000), "stale");
    });
  });

  describe("verifyDigest", () => {
    const password = (user: string) => (user === "pub" ? "priv" : undefined);
    const setup = () => {
      const book = new NonceBook();
      const nonce = book.issue(0, 1000);
      const header = (over: Partial<Parameters<typeof digestHeader>[0]> = {}) =>
        digestHeader({
          username: "pub",
          password: "priv",
          method: "GET",
          uri: "/a?b=1",
          nonce,
          nc: 1,
          ...over,
        });
      const verify = (h: string, now = 10, uri = "/a?b=1") =>
        verifyDigest(h, "GET", uri, password, book, now, 1000);
      return { header, verify };
    };

    it("accepts MD5 and SHA-256 answers", () => {
      const { header, verify } = setup();
      assert.deepStrictEqual(verify(header()), { ok: true, username: "pub" });
      assert.deepStrictEqual(verify(header({ algorithm: "SHA-256", nc: 2 })), { ok: true, username: "pub" });
    });

    it("refuses a wrong password or unknown key with stale=false, never naming the password", () => {
      const { header, verify } = setup();
      const wrong = verify(header({ password: "nope" }));
      assert.deepStrictEqual(wrong.ok, false);
      assert.strictEqual(!wrong.ok && wrong.stale, false);
      assert.ok(!JSON.stringify(wrong).includes("nope"));
      assert.strictEqual(verify(header({ username: "other" })).ok, false);
    });

    it("answers stale=true only to a correct answer with an expired nonce", () => {
      const { header, verify } = setup();
      const expired = verify(header(), 5000);
      assert.strictEqual(!expired.ok && expired.stale, true);
      const wrongAndExpired = verify(header({ password: "nope" }), 5000);
      assert.strictEqual(!wrongAndExpired.ok && wrongAndExpired.stale, false);
    });

    it("refuses a replayed nonce count", () => {
      const { header, verify } = setup();
      assert.strictEqual(verify(header({ nc: 7 })).ok, true);
      const replay = verify(header({ nc: 7 }));
      assert.strictEqual(replay.ok, false);
      assert.match(!replay.ok ? replay.reason : "", /nonce count reused: 00000007$/);
    });

    it("refuses an answer made for another request target", () => {
      const { header, verify } = setup();
      assert.strictEqual(verify(header(), 10, "/a?b=2").ok, false);
    });

    it("refuses answers without qop=auth or with a missing parameter", () => {
      const { header, verify } = setup();
      assert.strictEqual(verify(header().replace("qop=auth", "qop=auth-int")).ok, false);
      assert.strictEqual(verify(header().replace(/, cnonce="[^"]*"/, "")).ok, false);
    });
  });

  it("treats differently escaped request targets as the same", () => {
    assert.ok(sameRequestTarget("/a/b%2Dc?x=1", "/a/b-c?x=1"));
    assert.ok(!sameRequestTarget("/a/b", "/a/c"));
  });
});
