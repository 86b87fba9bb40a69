import assert from "node:assert";

import sinon from "sinon";

import { createAtlasAuth } from "../../../provider/atlas/auth";
import { AtlasApiError, AtlasDecodeError } from "../../../provider/atlas/errors";
import { defaultRetryPolicy } from "../../../provider/atlas/retry-policy";
import { createExchange, createHttp, type HttpOptions, USER_AGENT } from "../../../provider/atlas/transport";
import { fakeAdapter, type FakeAnswer, fakeClock, fixedAuth } from "../../helpers/fakes";

const PATH = "/api/atlas/v2/groups/0123456789abcdef01234567/serverless/prod/backup/restoreJobs";

function setup(answers: FakeAnswer[], options: Partial<HttpOptions> = {}) {
  const adapter = fakeAdapter(answers);
  const clock = fakeClock();
  const send = createHttp({
    exchange: createExchange({ baseUrl: "https://atlas.test/", timeoutMs: 1000, adapter }),
    auth: fixedAuth(),
    retry: defaultRetryPolicy,
    clock,
    ...options,
  });
  return { send, adapter, clock };
}

describe("http transport", () => {
  it("sends the versioned media type, user agent and auth, and parses the body", async () => {
    const { send, adapter } = setup([{ status: 200, body: { id: "a" } }]);
    const body = await send({
      method: "POST",
      path: PATH,
      body: { deliveryType: "automated" },
      version: "2023-01-01",
    });
    assert.deepStrictEqual(body, { id: "a" });
    const [request] = adapter.seen;
    assert.strictEqual(request!.method, "POST");
    assert.strictEqual(request!.url, PATH);
    assert.strictEqual(request!.headers.accept, "application/vnd.atlas.2023-01-01+json");
    assert.strictEqual(request!.headers["content-type"], "application/vnd.atlas.2023-01-01+json");
    assert.strictEqual(request!.headers["user-agent"], USER_AGENT);
    assert.strictEqual(request!.headers.authorization, "Bearer test-token");
    assert.strictEqual(request!.body, '{"deliveryType":"automated"}');
  });

  it("adds envelope and pretty flags and unwraps an enveloped resource", async () => {
    const { send, adapter } = setup([{ status: 200, body: { status: 200, content: { id: "a" } } }], {
      envelope: true,
      pretty: true,
    });
    const body = await send({ method: "GET", path: PATH, query: { pageNum: 2 }, version: "2023-01-01" });
    assert.deepStrictEqual(body, { id: "a" });
    assert.strictEqual(adapter.seen[0]!.url, `${PATH}?pageNum=2&envelope=true&pretty=true`);
  });

  it("keeps an enveloped page as it is (results stay where they were)", async () => {
    const page = { status: 200, results: [], totalCount: 0 };
    const { send } = setup([{ status: 200, body: page }], { envelope: true });
    assert.deepStrictEqual(await send({ method: "GET", path: PATH, version: "2023-01-01" }), page);
  });

  it("maps an ApiError body to AtlasApiError with status, code, detail, method and path", async () => {
    const { send } = setup([
      {
        status: 404,
        body: {
          error: 404,
          errorCode: "SERVERLESS_INSTANCE_NOT_FOUND",
          detail: "No serverless instance named prod.",
        },
      },
    ]);
    const error = await send({
      method: "GET",
      path: PATH,
      query: { pageNum: 1 },
      version: "2023-01-01",
    }).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AtlasApiError);
    assert.strictEqual(error.name, "AtlasApiError");
    assert.strictEqual(error.status, 404);
    assert.strictEqual(error.errorCode, "SERVERLESS_INSTANCE_NOT_FOUND");
    assert.strictEqual(error.path, PATH);
    assert.strictEqual(
      error.message,
      `Atlas API answered 404 SERVERLESS_INSTANCE_NOT_FOUND (No serverless instance named prod.): GET ${PATH}`,
    );
  });

  it("reads an enveloped error (envelope=true wraps it as {status, content})", async () => {
    const { send } = setup(
      [
        {
          status: 404,
          body: {
            status: 404,
            content: { error: 404, errorCode: "CLUSTER_NOT_FOUND", detail: "No cluster." },
          },
        },
      ],
      { envelope: true },
    );
    await assert.rejects(send({ method: "GET", path: PATH, version: "2023-01-01" }), {
      name: "AtlasApiError",
      errorCode: "CLUSTER_NOT_FOUND",
      message: `Atlas API answered 404 CLUSTER_NOT_FOUND (No cluster.): GET ${PATH}`,
    });
  });

  it("takes an answer in the version asked (UTF-8 or not) and refuses one in another version", async () => {
    const typed = (type: string): FakeAnswer => ({
      status: 200,
      body: { id: "a" },
      headers: { "content-type": type },
    });
    const { send } = setup([
      typed("application/vnd.atlas.2023-01-01+json;charset=utf-8"),
      typed("application/json"),
      typed("application/vnd.atlas.2023-02-01+json;charset=utf-8"),
    ]);
    const get = () => send({ method: "GET", path: PATH, version: "2023-01-01" });
    assert.deepStrictEqual(await get(), { id: "a" });
    assert.deepStrictEqual(await get(), { id: "a" });
    await assert.rejects(get(), (error: unknown) => {
      assert.ok(error instanceof AtlasDecodeError);
      assert.strictEqual(
        error.message,
        `unexpected data from GET ${PATH}: Content-Type: expected API version 2023-01-01, got 2023-02-01`,
      );
      return true;
    });
  });

  it("retries idempotent requests on 5xx and network errors with growing waits", async () => {
    const { send, adapter, clock } = setup([
      { status: 503 },
      { networkError: "ECONNRESET" },
      { status: 500 },
      { status: 200, body: { ok: true } },
    ]);
    assert.deepStrictEqual(await send({ method: "GET", path: PATH, version: "2023-01-01" }), { ok: true });
    assert.strictEqual(adapter.seen.length, 4);
    // Full jitter with random 0.5: half of 500, 1000, 2000 ms.
    assert.deepStrictEqual(clock.sleeps, [250, 500, 1000]);
  });

  it("honours Retry-After on 429, even for a POST", async () => {
    const { send, clock } = setup([
      { status: 429, headers: { "retry-after": "7" }, body: { error: 429, errorCode: "RATE_LIMITED" } },
      { status: 200, body: { id: "a" } },
    ]);
    await send({ method: "POST", path: PATH, body: {}, version: "2023-01-01" });
    assert.deepStrictEqual(clock.sleeps, [7500]);
  });

  it("waits out throttling beyond the normal attempt budget", async () => {
    const throttled = { status: 429, headers: { "retry-after": "1" } };
    const { send, adapter } = setup([
      ...Array.from({ length: 7 }, () => throttled),
      { status: 200, body: {} },
    ]);
    await send({ method: "GET", path: PATH, version: "2023-01-01" });
    assert.strictEqual(adapter.seen.length, 8);
  });

  it("does not resend a POST after an ambiguous failure", async () => {
    for (const answer of [
      { status: 503 },
      { networkError: "ECONNRESET" },
      { networkError: "ECONNABORTED" },
    ]) {
      const { send, adapter } = setup([answer, { status: 200, body: {} }]);
      await assert.rejects(
        send({ method: "POST", path: PATH, body: {}, version: "2023-01-01" }),
        AtlasApiError,
      );
      assert.strictEqual(adapter.seen.length, 1);
    }
  });

  it("resends a POST whose connection was refused, since it never reached the server", async () => {
    const { send, adapter } = setup([{ networkError: "ECONNREFUSED" }, { status: 200, body: { id: "a" } }]);
    await send({ method: "POST", path: PATH, body: {}, version: "2023-01-01" });
    assert.strictEqual(adapter.seen.length, 2);
  });

  it("gives up after maxAttempts and reports the last failure", async () => {
    const { send, adapter } = setup(
      Array.from({ length: 5 }, () => ({ status: 500 })),
      {
        retry: { ...defaultRetryPolicy, maxAttempts: 3 },
      },
    );
    await assert.rejects(
      send({ method: "GET", path: PATH, version: "2023-01-01" }),
      /Atlas API answered 500: GET/,
    );
    assert.strictEqual(adapter.seen.length, 3);
  });

  it("never exposes credentials in a network error", async () => {
    const { send } = setup([{ networkError: "ECONNRESET" }], {
      auth: fixedAuth("Bearer super-secret-token"),
      retry: { ...defaultRetryPolicy, maxAttempts: 1 },
    });
    const error = await send({ method: "GET", path: PATH, version: "2023-01-01" }).catch((e: unknown) => e);
    assert.ok(error instanceof AtlasApiError);
    assert.strictEqual(error.message, `Atlas API request got no answer (ECONNRESET): GET ${PATH}`);
    const everything =
      JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error.cause) + error.stack;
    assert.ok(!everything.includes("super-secret-token"));
    assert.strictEqual(Object.keys(error.cause as object).includes("config"), false);
  });

  it("asks the auth strategy once more after a 401 it can answer", async () => {
    let signed = false;
    const auth = {
      describe: () => "API key",
      authorization: async () => (signed ? "Digest signed" : undefined),
      unauthorized: (header: string | undefined, sent: string | undefined) => {
        assert.strictEqual(header, 'Digest realm="MMS Public API", nonce="n1", qop="auth"');
        assert.strictEqual(sent, signed ? "Digest signed" : undefined);
        const retry = !signed;
        signed = true;
        return retry;
      },
    };
    const { send, adapter } = setup(
      [
        {
          status: 401,
          headers: { "www-authenticate": 'Digest realm="MMS Public API", nonce="n1", qop="auth"' },
        },
        { status: 200, body: { id: "a" } },
      ],
      { auth },
    );
    await send({ method: "POST", path: PATH, body: {}, version: "2023-01-01" });
    assert.strictEqual(adapter.seen[0]!.headers.authorization, undefined);
    assert.strictEqual(adapter.seen[1]!.headers.authorization, "Digest signed");
  });

  it("reports refused credentials by kind, without the secret", async () => {
    const { send } = setup([{ status: 401, body: { error: 401, errorCode: "UNAUTHORIZED" } }]);
    await assert.rejects(send({ method: "GET", path: PATH, version: "2023-01-01" }), {
      name: "AtlasApiError",
      message: `Atlas API answered 401 UNAUTHORIZED (the service account credentials were refused): GET ${PATH}`,
    });
  });

  it("fails clearly on a body that is not JSON", async () => {
    const { send } = setup([{ status: 200, body: "<html>proxy</html>" }]);
    await assert.rejects(send({ method: "GET", path: PATH, version: "2023-01-01" }), AtlasDecodeError);
  });

  it("costs a refused service account exactly one token fetch", async () => {
    const requestToken = sinon.fake.resolves({ access_token: "t1", expires_in: 3600 });
    const auth = createAtlasAuth(
      { kind: "serviceAccount", clientId: "id", clientSecret: "secret" },
      { requestToken, clock: fakeClock() },
    );
    const refused = { status: 401, body: { error: 401, errorCode: "UNAUTHORIZED" } };
    const { send, adapter } = setup([refused, refused, refused, refused], { auth });
    await assert.rejects(send({ method: "GET", path: PATH, version: "2023-01-01" }), { status: 401 });
    await assert.rejects(send({ method: "GET", path: PATH, version: "2023-01-01" }), { status: 401 });
    sinon.assert.calledOnce(requestToken);
    assert.strictEqual(adapter.seen.length, 2);
  });

  it("fetches a new token once when one that worked is refused", async () => {
    const requestToken = sinon.stub();
    requestToken.onCall(0).resolves({ access_token: "t1", expires_in: 3600 });
    requestToken.onCall(1).resolves({ access_token: "t2", expires_in: 3600 });
    const auth = createAtlasAuth(
      { kind: "serviceAccount", clientId: "id", clientSecret: "secret" },
      { requestToken, clock: fakeClock() },
    );
    const { send, adapter } = setup(
      [{ status: 200, body: {} }, { status: 401 }, { status: 200, body: { id: "a" } }],
      { auth },
    );
    await send({ method: "GET", path: PATH, version: "2023-01-01" });
    assert.deepStrictEqual(await send({ method: "GET", path: PATH, version: "2023-01-01" }), { id: "a" });
    assert.deepStrictEqual(
      adapter.seen.map((r) => r.headers.authorization),
      ["Bearer t1", "Bearer t1", "Bearer t2"],
    );
    sinon.assert.calledTwice(requestToken);
  });

  it("passes every request through the limiter, creates as urgent, and tells it each answer", async () => {
    const acquired: unknown[] = [];
    const answers: (number | undefined)[] = [];
    const limiter = {
      acquire: async (options?: unknown) => {
        acquired.push(options);
        return (answer: { status: number | undefined; header(name: string): string | undefined }) =>
          answers.push(answer.status, Number(answer.header("ratelimit-remaining")));
      },
    };
    const adapter = fakeAdapter([
      { status: 200, body: {}, headers: { "ratelimit-remaining": "7" } },
      { networkError: "ECONNREFUSED" },
      { status: 200, body: {}, headers: { "ratelimit-remaining": "5" } },
    ]);
    const send = createHttp({
      exchange: createExchange({ baseUrl: "https://atlas.test", timeoutMs: 1000, adapter, limiter }),
      auth: fixedAuth(),
      retry: defaultRetryPolicy,
      clock: fakeClock(),
    });
    await send({ method: "GET", path: PATH, version: "2023-01-01" });
    await send({ method: "POST", path: PATH, body: {}, version: "2023-01-01" });
    assert.deepStrictEqual(acquired, [{ urgent: false }, { urgent: true }, { urgent: true }]);
    assert.deepStrictEqual(answers, [200, 7, undefined, NaN, 200, 5]);
  });
});
