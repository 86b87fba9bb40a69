import assert from "node:assert";

import {
  ACCOUNT,
  AtlasTestClient,
  checkedAnswer,
  curl,
  digestHeader,
  fetchToken,
  G,
  group,
  KEY,
  OTHER,
  parseChallenge,
  RESTRICTED_ACCOUNT,
  RESTRICTED_KEY,
  startTestEmulator,
  type TestEmulator,
  V1,
} from "../helpers";

const INSTANCE = group(G, "/serverless/prod-orders");

describe("emulator auth over HTTP", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator({ nonceTtlMs: 60_000, tokenTtlSeconds: 3600 })));
  afterEach(() => t.emulator.close());

  /** A fresh challenge's nonce. */
  const challenge = async (): Promise<Record<string, string>> => {
    const answer = await t.atlas.get(INSTANCE, { headers: { Authorization: "Digest nothing" } });
    assert.strictEqual(answer.status, 401);
    return parseChallenge(answer.headers.get("www-authenticate"));
  };
  /** A GET of the instance with a digest header computed here. */
  const digestGet = async (
    nonce: string,
    nc: number,
    over: Partial<Parameters<typeof digestHeader>[0]> = {},
  ) => {
    const authorization = digestHeader({
      username: KEY.publicKey,
      password: KEY.privateKey,
      method: "GET",
      uri: INSTANCE,
      nonce,
      nc,
      ...over,
    });
    const response = await fetch(`${t.emulator.url}${INSTANCE}`, {
      headers: { Accept: V1, Authorization: authorization },
    });
    return checkedAnswer("GET", INSTANCE, response);
  };

  describe("HTTP Digest (API keys)", () => {
    it("challenges like Atlas: realm, fresh nonce, MD5, qop auth, stale=false", async () => {
      const params = await challenge();
      assert.deepStrictEqual(
        [params.realm, params.algorithm, params.qop, params.stale],
        ["MMS Public API", "MD5", "auth", "false"],
      );
      assert.notStrictEqual((await challenge()).nonce, params.nonce, "each challenge has its own nonce");
    });

    it("accepts MD5 and SHA-256 answers computed by the client", async () => {
      const { nonce } = await challenge();
      assert.strictEqual((await digestGet(nonce!, 1)).status, 200);
      assert.strictEqual((await digestGet(nonce!, 2, { algorithm: "SHA-256" })).status, 200);
    });

    it("takes nonce counts out of order, as concurrent requests send them, and refuses a replay", async () => {
      const { nonce } = await challenge();
      const statuses = await Promise.all([3, 1, 2].map(async (nc) => (await digestGet(nonce!, nc)).status));
      assert.deepStrictEqual(statuses, [200, 200, 200]);
      const replay = await digestGet(nonce!, 2);
      assert.strictEqual(replay.status, 401);
      assert.strictEqual(parseChallenge(replay.headers.get("www-authenticate")).stale, "false");
    });

    it("refuses a wrong private key with a fresh challenge and stale=false, echoing no key", async () => {
      const { nonce } = await challenge();
      const wrong = await digestGet(nonce!, 1, { password: "not-the-key" });
      assert.strictEqual(wrong.status, 401);
      assert.strictEqual((wrong.body as { errorCode: string }).errorCode, "UNAUTHORIZED");
      const params = parseChallenge(wrong.headers.get("www-authenticate"));
      assert.strictEqual(params.stale, "false");
      assert.notStrictEqual(params.nonce, nonce);
      assert.ok(!wrong.text.includes(KEY.privateKey) && !wrong.text.includes("not-the-key"));
    });

    it("answers stale=true once the nonce expired, and the new nonce works", async () => {
      const { nonce } = await challenge();
      t.clock.advance(60_001);
      const stale = await digestGet(nonce!, 1);
      assert.strictEqual(stale.status, 401);
      const params = parseChallenge(stale.headers.get("www-authenticate"));
      assert.strictEqual(params.stale, "true");
      assert.strictEqual((await digestGet(params.nonce!, 1)).status, 200);
    });

    it("refuses another project with 403 and an unknown project with 404", async () => {
      const restricted = new AtlasTestClient(t.emulator.url, {
        kind: "digest",
        username: RESTRICTED_KEY.publicKey,
        password: RESTRICTED_KEY.privateKey,
      });
      const forbidden = await restricted.get(group(OTHER, "/serverless/staging-orders"));
      assert.strictEqual(forbidden.status, 403);
      assert.strictEqual((forbidden.body as { errorCode: string }).errorCode, "USER_UNAUTHORIZED");
      const unknown = await t.digest.get(group("6650a1b2c3d4e5f6a7b8ffff", "/serverless/prod-orders"));
      assert.strictEqual(unknown.status, 404);
      assert.strictEqual((unknown.body as { errorCode: string }).errorCode, "GROUP_NOT_FOUND");
    });

    it("works with curl --digest, which answers the challenge itself", async function () {
      this.timeout(10_000);
      const run = (user: string, password: string, path: string, extra: string[] = []) =>
        curl([
          "--digest",
          "-u",
          `${user}:${password}`,
          "-H",
          `Accept: ${V1}`,
          "-w",
          "\n%{http_code}",
          ...extra,
          `${t.emulator.url}${path}`,
        ]);
      const ok = await run(KEY.publicKey, KEY.privateKey, INSTANCE);
      assert.match(ok, /\n200$/);
      assert.strictEqual((JSON.parse(ok.replace(/\n200$/, "")) as { name: string }).name, "prod-orders");
      assert.match(
        await run(KEY.publicKey, KEY.privateKey, `${INSTANCE}/backup/snapshots?itemsPerPage=2`),
        /\n200$/,
      );
      const posted = await run(KEY.publicKey, KEY.privateKey, `${INSTANCE}/backup/restoreJobs`, [
        "-H",
        `Content-Type: ${V1}`,
        "--data",
        JSON.stringify({
          deliveryType: "download",
          snapshotId: "6650a1b2c3d4e5f6a7b8cb03",
          targetClusterName: "prod-orders",
          targetGroupId: G,
        }),
      ]);
      assert.match(posted, /\n200$/);
      assert.match(await run(KEY.publicKey, "wrong", INSTANCE), /\n401$/);
      assert.match(
        await run(
          RESTRICTED_KEY.publicKey,
          RESTRICTED_KEY.privateKey,
          group(OTHER, "/serverless/staging-orders"),
        ),
        /\n403$/,
      );
      assert.strictEqual((await t.admin.counters()).byOperation.createGroupServerlessBackupRestoreJob, 1);
    });
  });

  describe("OAuth client credentials (service accounts)", () => {
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
    const form = (body: string, authorization?: string) =>
      fetch(`${t.emulator.url}/api/oauth/token`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body,
      });

    it("issues a bearer token for an hour, not to be cached", async () => {
      const response = await form(
        "grant_type=client_credentials",
        basic(ACCOUNT.clientId, ACCOUNT.clientSecret),
      );
      assert.strictEqual(response.status, 200);
      assert.strictEqual(response.headers.get("cache-control"), "no-store");
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepStrictEqual(Object.keys(body).sort(), ["access_token", "expires_in", "token_type"]);
      assert.deepStrictEqual([body.expires_in, body.token_type], [3600, "Bearer"]);
      const atlas = new AtlasTestClient(t.emulator.url, {
        kind: "bearer",
        token: body.access_token as string,
      });
      assert.strictEqual((await atlas.get(INSTANCE)).status, 200);
    });

    it("accepts the client credentials in the form too", async () => {
      const response = await form(
        `grant_type=client_credentials&client_id=${ACCOUNT.clientId}&client_secret=${ACCOUNT.clientSecret}`,
      );
      assert.strictEqual(response.status, 200);
    });

    it("refuses a wrong secret, a missing client and another grant type, as RFC 6749 says", async () => {
      const wrong = await form("grant_type=client_credentials", basic(ACCOUNT.clientId, "wrong"));
      assert.strictEqual(wrong.status, 401);
      assert.strictEqual(((await wrong.json()) as { error: string }).error, "invalid_client");
      assert.strictEqual((await form("grant_type=client_credentials")).status, 401);
      const grant = await form("grant_type=password", basic(ACCOUNT.clientId, ACCOUNT.clientSecret));
      assert.strictEqual(grant.status, 400);
      assert.strictEqual(((await grant.json()) as { error: string }).error, "unsupported_grant_type");
    });

    it("refuses an expired token with 401", async () => {
      t.clock.advance(3600 * 1000);
      const expired = await t.atlas.get(INSTANCE);
      assert.strictEqual(expired.status, 401);
      assert.strictEqual((expired.body as { errorCode: string }).errorCode, "UNAUTHORIZED");
    });

    it("revokes a token, only for the client it was issued to", async () => {
      const token = await fetchToken(t.emulator.url);
      const revoke = (id: string, secret: string) =>
        fetch(`${t.emulator.url}/api/oauth/revoke`, {
          method: "POST",
          headers: { Authorization: basic(id, secret), "Content-Type": "application/x-www-form-urlencoded" },
          body: `token=${encodeURIComponent(token)}`,
        });
      const atlas = new AtlasTestClient(t.emulator.url, { kind: "bearer", token });
      assert.strictEqual(
        (await revoke(RESTRICTED_ACCOUNT.clientId, RESTRICTED_ACCOUNT.clientSecret)).status,
        200,
      );
      assert.strictEqual((await atlas.get(INSTANCE)).status, 200, "another client cannot revoke it");
      assert.strictEqual((await revoke(ACCOUNT.clientId, ACCOUNT.clientSecret)).status, 200);
      assert.strictEqual((await atlas.get(INSTANCE)).status, 401);
    });

    it("limits a service account to its projects", async () => {
      const token = await fetchToken(
        t.emulator.url,
        RESTRICTED_ACCOUNT.clientId,
        RESTRICTED_ACCOUNT.clientSecret,
      );
      const atlas = new AtlasTestClient(t.emulator.url, { kind: "bearer", token });
      assert.strictEqual((await atlas.get(INSTANCE)).status, 200);
      assert.strictEqual((await atlas.get(group(OTHER, "/serverless/staging-orders"))).status, 403);
    });
  });

  it("refuses a request without credentials, and never logs one", async () => {
    const anonymous = new AtlasTestClient(t.emulator.url, { kind: "none" });
    assert.strictEqual((await anonymous.get(INSTANCE)).status, 401);
    await t.digest.get(INSTANCE);
    const log = JSON.stringify(await t.admin.requests());
    for (const secret of [KEY.privateKey, ACCOUNT.clientSecret]) assert.ok(!log.includes(secret));
  });
});
