import assert from "node:assert";

import sinon from "sinon";

import { createAtlasAuth } from "../../../../provider/atlas/auth";
import { digestAuthorization } from "../../../../provider/atlas/auth/digest";
import type { TokenResponse } from "../../../../provider/atlas/wire";
import { fakeClock } from "../../../helpers/fakes";

const CLIENT_SECRET = "mdb_sa_sk_SECRET";
const PRIVATE_KEY = "0a1b2c3d-private-SECRET";
const GET = { method: "GET", uri: "/api/atlas/v2/groups/g/serverless/prod/backup/restoreJobs?pageNum=1" };
const CHALLENGE =
  'Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=false';
const challenge = (nonce: string, stale: boolean) =>
  `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;

describe("auth strategies", () => {
  afterEach(() => sinon.restore());

  describe("service account", () => {
    const credentials = {
      kind: "serviceAccount",
      clientId: "mdb_sa_id_1",
      clientSecret: CLIENT_SECRET,
    } as const;

    it("fetches a token once with the client credentials and caches it", async () => {
      const requestToken = sinon.fake.resolves({
        access_token: "t1",
        expires_in: 3600,
        token_type: "Bearer",
      });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      assert.strictEqual(await auth.authorization(GET), "Bearer t1");
      assert.strictEqual(await auth.authorization({ method: "POST", uri: "/other" }), "Bearer t1");
      sinon.assert.calledOnceWithExactly(requestToken, "mdb_sa_id_1", CLIENT_SECRET);
    });

    it("shares one token request between concurrent authorizations", async () => {
      let answer: (token: TokenResponse) => void = () => undefined;
      const requestToken = sinon.fake.returns(new Promise<TokenResponse>((resolve) => (answer = resolve)));
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      const waiting = [auth.authorization(GET), auth.authorization(GET), auth.authorization(GET)];
      sinon.assert.calledOnce(requestToken);
      answer({ access_token: "t1", expires_in: 3600 });
      assert.deepStrictEqual(await Promise.all(waiting), ["Bearer t1", "Bearer t1", "Bearer t1"]);
      sinon.assert.calledOnce(requestToken);
    });

    it("fetches a new token 60 s before the old one expires", async () => {
      const clock = fakeClock();
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock });
      assert.strictEqual(await auth.authorization(GET), "Bearer t1");
      await clock.sleep(3_540_000 - 1);
      assert.strictEqual(await auth.authorization(GET), "Bearer t1");
      await clock.sleep(1);
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
      sinon.assert.calledTwice(requestToken);
    });

    it("assumes Atlas's one-hour lifetime when the answer gives none", async () => {
      const clock = fakeClock();
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1" });
      requestToken.onCall(1).resolves({ access_token: "t2" });
      const auth = createAtlasAuth(credentials, { requestToken, clock });
      await auth.authorization(GET);
      await clock.sleep(3_539_999);
      assert.strictEqual(await auth.authorization(GET), "Bearer t1");
      await clock.sleep(1);
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
    });

    it("fetches every time when the token lives less than the margin", async () => {
      const requestToken = sinon.fake.resolves({ access_token: "t", expires_in: 30 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      await auth.authorization(GET);
      await auth.authorization(GET);
      sinon.assert.calledTwice(requestToken);
    });

    it("passes a failed token request on, and tries again next time", async () => {
      const requestToken = sinon.stub();
      requestToken.onCall(0).rejects(new Error("token endpoint down"));
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      await assert.rejects(auth.authorization(GET), { message: "token endpoint down" });
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
    });

    it("drops a refused token once, and refuses to retry when it holds none", async () => {
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      assert.strictEqual(auth.unauthorized(undefined, undefined), false);
      const sent = await auth.authorization(GET);
      auth.accepted!(sent);
      assert.strictEqual(auth.unauthorized('Bearer error="invalid_token"', sent), true);
      assert.strictEqual(auth.unauthorized('Bearer error="invalid_token"', sent), false);
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
      sinon.assert.calledTwice(requestToken);
    });

    it("does not fetch again when a token Atlas never accepted is refused: the account is", async () => {
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      const sent = await auth.authorization(GET);
      assert.strictEqual(auth.unauthorized('Bearer error="invalid_token"', sent), false);
      assert.strictEqual(await auth.authorization(GET), "Bearer t1");
      sinon.assert.calledOnce(requestToken);
    });

    it("keeps a token a concurrent request just fetched when an older one is refused", async () => {
      const requestToken = sinon.stub();
      requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
      requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
      requestToken.onCall(2).resolves({ access_token: "t3", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      const [a, b] = await Promise.all([auth.authorization(GET), auth.authorization(GET)]);
      auth.accepted!(a);
      // A's 401 drops t1 and A fetches t2; B's 401 for t1 arrives while that fetch runs, then after it.
      assert.strictEqual(auth.unauthorized(undefined, a), true);
      const refreshed = auth.authorization(GET);
      assert.strictEqual(auth.unauthorized(undefined, b), true);
      assert.strictEqual(await refreshed, "Bearer t2");
      assert.strictEqual(auth.unauthorized(undefined, b), true);
      assert.strictEqual(await auth.authorization(GET), "Bearer t2");
      sinon.assert.calledTwice(requestToken);
    });

    it("describes itself without a secret", async () => {
      const requestToken = sinon.fake.resolves({ access_token: "t1", expires_in: 3600 });
      const auth = createAtlasAuth(credentials, { requestToken, clock: fakeClock() });
      await auth.authorization(GET);
      assert.strictEqual(auth.describe(), "service account");
    });
  });

  describe("API key (digest)", () => {
    const credentials = { kind: "apiKey", publicKey: "abcdefgh", privateKey: PRIVATE_KEY } as const;
    const setup = () => {
      const requestToken = sinon.fake.rejects(new Error("no tokens for API keys"));
      const cnonce = sinon.stub();
      cnonce.onCall(0).returns("c1");
      cnonce.onCall(1).returns("c2");
      cnonce.returns("c3");
      return {
        auth: createAtlasAuth(credentials, { requestToken, clock: fakeClock(), cnonce }),
        requestToken,
      };
    };
    const nc = (header: string | undefined) => /nc=([0-9a-f]{8})/.exec(header ?? "")?.[1];

    it("sends the first request bare: there is no challenge to answer yet", async () => {
      const { auth, requestToken } = setup();
      assert.strictEqual(await auth.authorization(GET), undefined);
      sinon.assert.notCalled(requestToken);
    });

    it("does not retry a 401 without a digest challenge", () => {
      const { auth } = setup();
      assert.strictEqual(auth.unauthorized(undefined, undefined), false);
      assert.strictEqual(auth.unauthorized('Basic realm="MMS Public API"', undefined), false);
    });

    it("answers the challenge, counting requests on the nonce", async () => {
      const { auth } = setup();
      assert.strictEqual(auth.unauthorized(CHALLENGE, undefined), true);
      const first = await auth.authorization(GET);
      assert.strictEqual(
        first,
        digestAuthorization({
          challenge: { realm: "MMS Public API", nonce: "n1", qop: "auth", algorithm: "MD5", stale: false },
          username: "abcdefgh",
          password: PRIVATE_KEY,
          method: "GET",
          uri: GET.uri,
          nonceCount: 1,
          cnonce: "c1",
        }),
      );
      const second = await auth.authorization({ method: "POST", uri: "/b" });
      assert.strictEqual(nc(second), "00000002");
      assert.match(second!, /cnonce="c2"/);
      assert.match(second!, /uri="\/b"/);
    });

    it("retries a stale nonce with the new one, counting from 1 again", async () => {
      const { auth } = setup();
      auth.unauthorized(CHALLENGE, undefined);
      await auth.authorization(GET);
      const sent = await auth.authorization(GET);
      assert.strictEqual(auth.unauthorized(challenge("n2", true), sent), true);
      const header = await auth.authorization(GET);
      assert.match(header!, /nonce="n2"/);
      assert.strictEqual(nc(header), "00000001");
    });

    it("gives up when a signed request is refused without stale: the key is wrong", async () => {
      const { auth } = setup();
      auth.unauthorized(CHALLENGE, undefined);
      const sent = await auth.authorization(GET);
      assert.strictEqual(auth.unauthorized(challenge("n2", false), sent), false);
    });

    it("gives up when the nonce it signed with comes back, even marked stale", async () => {
      const { auth } = setup();
      auth.unauthorized(CHALLENGE, undefined);
      const sent = await auth.authorization(GET);
      assert.strictEqual(auth.unauthorized(challenge("n1", true), sent), false);
    });

    it("answers a second challenge to bare requests sent at the same time", async () => {
      const { auth } = setup();
      assert.strictEqual(auth.unauthorized(CHALLENGE, undefined), true);
      assert.strictEqual(auth.unauthorized(challenge("n2", false), undefined), true);
      assert.match((await auth.authorization(GET))!, /nonce="n2".*nc=00000001/);
    });

    it("answers a bare request refused after another one has already signed", async () => {
      const { auth } = setup();
      // Two requests go out bare together; the first 401 is answered and signed before the second arrives.
      assert.strictEqual(auth.unauthorized(CHALLENGE, undefined), true);
      const signed = await auth.authorization(GET);
      assert.match(signed!, /nonce="n1"/);
      assert.strictEqual(auth.unauthorized(challenge("n2", false), undefined), true);
      assert.match((await auth.authorization(GET))!, /nonce="n2".*nc=00000001/);
      // The signed one still counts as signed: refused without stale, the key is wrong.
      assert.strictEqual(auth.unauthorized(challenge("n3", false), signed), false);
    });

    it("never puts the private key in a header, and describes itself without a secret", async () => {
      const { auth } = setup();
      auth.unauthorized(CHALLENGE, undefined);
      const header = await auth.authorization(GET);
      assert.ok(!header!.includes("SECRET"));
      assert.strictEqual(auth.describe(), "API key");
    });
  });
});
