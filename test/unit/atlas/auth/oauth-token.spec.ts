import assert from "node:assert";

import { basicClientCredentials, createTokenRequester } from "../../../../provider/atlas/auth/oauth-token";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import { createExchange } from "../../../../provider/atlas/transport";
import { fakeAdapter, type FakeAnswer } from "../../../helpers/fakes";

function tokenRequester(answers: FakeAnswer[]) {
  const adapter = fakeAdapter(answers);
  const exchange = createExchange({ baseUrl: "https://atlas.test", timeoutMs: 1000, adapter });
  return { requestToken: createTokenRequester(exchange), adapter };
}

describe("token requester", () => {
  it("posts client credentials with Basic auth and decodes the token", async () => {
    const { requestToken, adapter } = tokenRequester([
      { status: 200, body: { access_token: "tok", expires_in: 3600, token_type: "Bearer" } },
    ]);
    assert.deepStrictEqual(await requestToken("id", "secret"), {
      access_token: "tok",
      expires_in: 3600,
      token_type: "Bearer",
    });
    const [request] = adapter.seen;
    assert.strictEqual(request!.url, "/api/oauth/token");
    assert.strictEqual(
      request!.headers.authorization,
      `Basic ${Buffer.from("id:secret").toString("base64")}`,
    );
    assert.strictEqual(request!.body, "grant_type=client_credentials");
  });

  it("reports a refused client without echoing the secret", async () => {
    const { requestToken } = tokenRequester([
      { status: 401, body: { error: 401, errorCode: "INVALID_CLIENT" } },
    ]);
    const error = await requestToken("id", "very-secret").catch((e: unknown) => e);
    assert.ok(error instanceof AtlasApiError);
    assert.strictEqual(error.status, 401);
    assert.ok(!String(error.message).includes("very-secret"));
  });

  it("form-urlencodes the id and secret before Base64 (RFC 6749 §2.3.1)", async () => {
    const { requestToken, adapter } = tokenRequester([{ status: 200, body: { access_token: "tok" } }]);
    await requestToken("id:with colon", "s%e+c/r=t é");
    const encoded = adapter.seen[0]!.headers.authorization!.replace(/^Basic /, "");
    assert.strictEqual(
      Buffer.from(encoded, "base64").toString("utf8"),
      "id%3Awith+colon:s%25e%2Bc%2Fr%3Dt+%C3%A9",
    );
  });

  it("leaves the usual Atlas id and secret characters as they are", () => {
    assert.strictEqual(
      basicClientCredentials("mdb_sa_id_1", "mdb_sa_sk_a-b.c"),
      `Basic ${Buffer.from("mdb_sa_id_1:mdb_sa_sk_a-b.c").toString("base64")}`,
    );
  });

  it("goes through the limiter as a request whose answer reports no API budget", async () => {
    const acquired: unknown[] = [];
    const limiter = {
      acquire: async (options?: unknown) => {
        acquired.push(options);
        return () => undefined;
      },
    };
    const adapter = fakeAdapter([{ status: 200, body: { access_token: "tok" } }]);
    const exchange = createExchange({ baseUrl: "https://atlas.test", timeoutMs: 1000, adapter, limiter });
    await createTokenRequester(exchange)("id", "secret");
    assert.deepStrictEqual(acquired, [{ budgeted: false }]);
  });
});
