import assert from "node:assert";

import sinon from "sinon";

import { createAtlasAuth } from "../../provider/auth";
import { fakeClock } from "../helpers/fakes";

const CHALLENGE =
  'Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=false';

describe("auth strategies", () => {
  afterEach(() => sinon.restore());

  describe("service account", () => {
    const credentials = { kind: "serviceAccount", clientId: "id", clientSecret: "mdb_sa_sk_secret" } as const;

    it("fetches a token once, shares it between concurrent requests and caches it", async () => {
      const requestToken = sinon.fake.resolves({ access_token: "t1", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      const request = { method: "GET", uri: "/" };
      const headers = await Promise.all([auth.authorization(request), auth.authorization(request)]);
      assert.deepStrictEqual(headers, ["Bearer t1", "Bearer t1"]);
      assert.strictEqual(await auth.authorization(request), "Bearer t1");
      sinon.assert.calledOnceWithExactly(requestToken, "id", "mdb_sa_sk_secret");
      assert.strictEqual(auth.describe(), "service account");
    });

    it("fetches a new token a minute before the old one expires", async () => {
      const clock = fakeClock();
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock });
      const request = { method: "GET", uri: "/" };
      await auth.authorization(request);
      await clock.sleep(3_539_000);
      assert.strictEqual(await auth.authorization(request), "Bearer t1");
      await clock.sleep(1_000);
      assert.strictEqual(await auth.authorization(request), "Bearer t2");
    });

    it("drops a refused token once, then gives up", async () => {
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1" });
      requestToken.onCall(1).resolves({ access_token: "t2" });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      await auth.authorization({ method: "GET", uri: "/" });
      assert.strictEqual(auth.unauthorized(undefined), true);
      assert.strictEqual(await auth.authorization({ method: "GET", uri: "/" }), "Bearer t2");
      assert.strictEqual(auth.unauthorized(undefined), true);
      assert.strictEqual(auth.unauthorized(undefined), false);
    });
  });

  describe("API key (digest)", () => {
    const credentials = { kind: "apiKey", publicKey: "pub", privateKey: "private-key" } as const;
    const deps = () => ({
      requestToken: sinon.fake.rejects(new Error("no tokens for API keys")),
      clock: fakeClock(),
      cnonce: () => "c",
    });

    it("sends the first request bare, then signs with a counted nonce", async () => {
      const auth = createAtlasAuth(credentials, deps());
      assert.strictEqual(await auth.authorization({ method: "GET", uri: "/a" }), undefined);
      assert.strictEqual(auth.unauthorized(CHALLENGE), true);
      assert.match((await auth.authorization({ method: "GET", uri: "/a" }))!, /username="pub".*nc=00000001/);
      assert.match((await auth.authorization({ method: "GET", uri: "/b" }))!, /nc=00000002/);
      assert.strictEqual(auth.describe(), "API key");
    });

    it("answers a stale nonce again, and gives up on a refused key", async () => {
      const auth = createAtlasAuth(credentials, deps());
      auth.unauthorized(CHALLENGE);
      await auth.authorization({ method: "GET", uri: "/" });
      assert.strictEqual(
        auth.unauthorized(CHALLENGE.replace('"n1"', '"n2"').replace("stale=false", "stale=true")),
        true,
      );
      assert.match((await auth.authorization({ method: "GET", uri: "/" }))!, /nonce="n2".*nc=00000001/);
      assert.strictEqual(auth.unauthorized(CHALLENGE.replace('"n1"', '"n3"')), false);
    });

    it("never puts the private key in a header", async () => {
      const auth = createAtlasAuth(credentials, deps());
      auth.unauthorized(CHALLENGE);
      assert.ok(!(await auth.authorization({ method: "GET", uri: "/" }))!.includes("private-key"));
    });
  });
});
