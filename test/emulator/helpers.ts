import assert from "node:assert";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { connect } from "node:net";

import { defaultSeed, type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator";
import { type Clock, type ManualClock, manualClock } from "../../emulator/clock";
import { assertContract, contractMediaTypes, operationOf } from "./contract";

/**
 * Shared helpers of the emulator tests. Every answer from an Atlas route that goes through
 * {@link AtlasTestClient} is checked against the OpenAPI contract (body, and the media type of a
 * success), so each test checks the contract for free.
 */

/** The default seed and the names tests use from it. */
export const seed = defaultSeed();
/** Project holding prod-orders and staging-orders (both kinds). */
export const G = seed.projects[0]!.id;
/** Second project (cross-project clones). */
export const OTHER = seed.projects[1]!.id;
/** API key allowed on both projects. */
export const KEY = seed.apiKeys[0]!;
/** API key allowed on {@link G} only. */
export const RESTRICTED_KEY = seed.apiKeys[1]!;
/** Service account allowed on both projects. */
export const ACCOUNT = seed.serviceAccounts[0]!;
/** Service account allowed on {@link G} only. */
export const RESTRICTED_ACCOUNT = seed.serviceAccounts[1]!;
/** Media type of the serverless operations. */
export const V1 = "application/vnd.atlas.2023-01-01+json";
/** Media type of the flex operations. */
export const V2 = "application/vnd.atlas.2024-11-13+json";
/** Media type of the dedicated cluster's GET. */
export const V_CLUSTER = "application/vnd.atlas.2024-08-05+json";
/** Media type of collection-level restores. */
export const V_COLLECTIONS = "application/vnd.atlas.2025-03-12+json";

/** The media type a path's operations take by default. */
export function versionOf(path: string): string {
  const pathname = path.split("?")[0]!;
  if (pathname.includes("/flexClusters/")) return V2;
  if (pathname.includes("/collectionRestoreJobs")) return V_COLLECTIONS;
  if (/\/clusters\/[^/]+$/.test(pathname)) return V_CLUSTER;
  return V1;
}

/** A completed snapshot of the serverless prod-orders. */
export const SNAPSHOT = "6650a1b2c3d4e5f6a7b8cb03";
/** A completed snapshot of prod-orders whose restores fail (seed `failRestores`). */
export const FAILING_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cb00";
/** The in-progress snapshot of prod-orders. */
export const IN_PROGRESS_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cb04";
/** A completed snapshot of the flex prod-orders. */
export const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd02";
/** A completed snapshot of the dedicated replica set prod-cluster (the newest). */
export const CLUSTER_SNAPSHOT = "6650a1b2c3d4e5f6a7b8ce02";
/** The in-progress snapshot of prod-cluster. */
export const CLUSTER_IN_PROGRESS_SNAPSHOT = "6650a1b2c3d4e5f6a7b8ce03";
/** A completed snapshot of the dedicated sharded cluster prod-sharded (the newest). */
export const SHARDED_SNAPSHOT = "6650a1b2c3d4e5f6a7b8ce12";
/** Media type of the dedicated backup operations (same date as serverless). */
export const V_BACKUP = "application/vnd.atlas.2023-01-01+json";

/** A completed snapshot of the flex analytics-flex whose restores fail. */
export const FLEX_FAILING_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd11";

/** When {@link startTestEmulator}'s manual clock starts (before the sunset); the seed's times count back from it. */
export const START = Date.parse("2026-01-10T12:00:00Z");
/** One hour in ms. */
export const HOUR = 3_600_000;
/** The ISO time `hours` before {@link START}, as a relative seed time resolves. */
export const beforeStart = (hours: number): string => new Date(START - hours * HOUR).toISOString();

/** Resolves once `check` holds, asking again on each turn of the event loop (no timer, no fixed wait). */
export async function until(check: () => Promise<boolean>, what = "the condition"): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Path of an Atlas resource under a project. */
export const group = (groupId: string, rest: string): string => `/api/atlas/v2/groups/${groupId}${rest}`;

/** The body of the usual automated restore of prod-orders into staging-orders. */
export const automatedRestore = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  deliveryType: "automated",
  snapshotId: SNAPSHOT,
  targetClusterName: "staging-orders",
  targetGroupId: G,
  ...overrides,
});

/** One answer, already checked against the contract when it came from an Atlas route. */
export interface Answer {
  status: number;
  headers: Headers;
  /** The body as sent. */
  text: string;
  /** The body parsed as JSON (undefined when empty). */
  body: unknown;
}

/** How a test client authenticates. */
export type TestCredentials =
  | { kind: "none" }
  | { kind: "bearer"; token: string }
  | { kind: "digest"; username: string; password: string; algorithm?: "MD5" | "SHA-256" };

/** Options of one request. */
export interface RequestOptions {
  /** `Accept` (default: the version of the path's API: 2023-01-01 for serverless, 2024-11-13 for flex). */
  accept?: string | null;
  /** `Content-Type` of a body (default: same as `accept`). */
  contentType?: string;
  /** JSON body; a string is sent as it is. */
  body?: unknown;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** The digest `response` for one request (RFC 7616 §3.4.1, qop=auth), computed here, not by the emulator. */
export function digestResponse(p: {
  algorithm: "MD5" | "SHA-256";
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
}): string {
  const h = (s: string) =>
    createHash(p.algorithm === "MD5" ? "md5" : "sha256")
      .update(s)
      .digest("hex");
  const ha1 = h(`${p.username}:${p.realm}:${p.password}`);
  const ha2 = h(`${p.method}:${p.uri}`);
  return h(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
}

/** Reads `realm`, `nonce`, `stale`, `algorithm` and `qop` from a `WWW-Authenticate: Digest …` value. */
export function parseChallenge(header: string | null): Record<string, string> {
  assert.ok(header, "a 401 carries WWW-Authenticate");
  assert.match(header, /^Digest /);
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) params[m[1]!] = m[2] ?? m[3]!;
  return params;
}

/** An `Authorization: Digest …` value for one request. */
export function digestHeader(p: {
  username: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: number;
  algorithm?: "MD5" | "SHA-256";
  realm?: string;
  cnonce?: string;
}): string {
  const algorithm = p.algorithm ?? "MD5";
  const realm = p.realm ?? "MMS Public API";
  const cnonce = p.cnonce ?? "0a4f113b";
  const nc = p.nc.toString(16).padStart(8, "0");
  const response = digestResponse({ ...p, algorithm, realm, cnonce, nc });
  return (
    `Digest username="${p.username}", realm="${realm}", nonce="${p.nonce}", uri="${p.uri}", ` +
    `algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`
  );
}

/**
 * A small Atlas client for tests: authenticates by bearer token or digest (answering the challenge
 * itself, reusing the nonce with increasing counts), and checks every Atlas answer against the
 * contract.
 */
export class AtlasTestClient {
  private nonce: { value: string; count: number } | undefined;

  constructor(
    readonly baseUrl: string,
    private credentials: TestCredentials,
  ) {}

  /** GET an Atlas path. */
  get(path: string, options: RequestOptions = {}): Promise<Answer> {
    return this.request("GET", path, options);
  }

  /** POST a JSON body to an Atlas path. */
  post(path: string, body: unknown, options: RequestOptions = {}): Promise<Answer> {
    return this.request("POST", path, { ...options, body });
  }

  /** Sends one request (two for a digest challenge), checking each answer against the contract. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const first = await this.send(method, path, options);
    if (this.credentials.kind !== "digest" || first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get("www-authenticate"));
    if (this.nonce && challenge.stale !== "true") return first;
    this.nonce = { value: challenge.nonce!, count: 0 };
    return this.send(method, path, options);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Answer> {
    const version = versionOf(path);
    const headers: Record<string, string> = {};
    const accept = options.accept === undefined ? version : options.accept;
    if (accept !== null) headers.Accept = accept;
    if (options.body !== undefined) headers["Content-Type"] = options.contentType ?? accept ?? version;
    if (this.credentials.kind === "bearer") headers.Authorization = `Bearer ${this.credentials.token}`;
    if (this.credentials.kind === "digest" && this.nonce) {
      headers.Authorization = digestHeader({
        ...this.credentials,
        method,
        uri: path,
        nonce: this.nonce.value,
        nc: ++this.nonce.count,
      });
    }
    // Explicit headers win, so a test can send a wrong credential through the same checks.
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    return checkedAnswer(method, path, response);
  }
}

/**
 * Reads an answer and, when it came from an Atlas route, checks it against the contract: the body
 * (unwrapped from `envelope=true`), the media type (versioned and UTF-8 for a success, plain JSON with
 * `X-Error-Code` for an error) and the rate-limit headers of an authenticated answer.
 */
export async function checkedAnswer(method: string, path: string, response: Response): Promise<Answer> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  const url = new URL(path, "http://emulator.invalid");
  // A HEAD answer is the GET's without its body: same status and media type, nothing to decode.
  const operationId = operationOf(method === "HEAD" ? "GET" : method, url.pathname);
  if (!operationId) return { status: response.status, headers: response.headers, text, body };
  let content = body;
  if (url.searchParams.get("envelope")?.toLowerCase() === "true" && body !== undefined) {
    const wrapped = body as { status?: number; content?: unknown };
    assert.strictEqual(wrapped.status, response.status, "an envelope carries the HTTP status");
    if ("content" in wrapped) content = wrapped.content;
    else content = Object.fromEntries(Object.entries(wrapped).filter(([k]) => k !== "status"));
  }
  const type = response.headers.get("content-type") ?? "";
  const mediaType = type.replace(/;charset=utf-8$/, "");
  if (response.status < 400) {
    assert.notStrictEqual(type, mediaType, `a success is UTF-8, as Atlas says it: ${type}`);
    assert.ok(contractMediaTypes(operationId, response.status).includes(mediaType), type);
  } else {
    assert.strictEqual(type, "application/json");
    const code = response.headers.get("x-error-code");
    assert.ok(code, "an error names its code in X-Error-Code");
    if (content !== undefined) assert.strictEqual(code, (content as { errorCode?: string }).errorCode);
  }
  // The digest challenge and a method no route takes come before the caller is known.
  if (response.status !== 401 && response.status !== 405) {
    assert.ok(response.headers.get("ratelimit-limit"), "an authenticated answer carries RateLimit-Limit");
    assert.ok(response.headers.get("ratelimit-remaining"), "and RateLimit-Remaining");
  }
  if (method === "HEAD") {
    assert.strictEqual(text, "", "a HEAD answer has no body");
    assert.ok(Number(response.headers.get("content-length")) > 0, "a HEAD answer gives the GET's length");
  } else if (response.status === 204) assert.strictEqual(text, "", "a 204 has no body");
  else if (response.status !== 405) assertContract(operationId, response.status, content, mediaType);
  return { status: response.status, headers: response.headers, text, body };
}

/** Fetches an OAuth token by plain HTTP, as any OAuth client would. */
export async function fetchToken(
  baseUrl: string,
  clientId = ACCOUNT.clientId,
  secret = ACCOUNT.clientSecret,
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  assert.strictEqual(response.status, 200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The admin endpoints (`/__emulator/…`), answering parsed JSON; throws on a non-2xx answer. */
export class TestAdmin {
  constructor(readonly baseUrl: string) {}

  /** Any admin call; resolves with the status and parsed body. */
  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  private async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    assert.ok(answer.status < 300, `admin ${method} ${path} answered ${answer.status}`);
    return answer.body;
  }

  /** `GET /__emulator/counters`. */
  counters(): Promise<{ byOperation: Record<string, number>; byMethod: Record<string, number> }> {
    return this.ok("GET", "/counters");
  }

  /** `GET /__emulator/jobs`. */
  async jobs(): Promise<Array<Record<string, unknown>>> {
    return (await this.ok<{ jobs: Array<Record<string, unknown>> }>("GET", "/jobs")).jobs;
  }

  /** `GET /__emulator/requests`. */
  async requests(): Promise<Array<Record<string, unknown>>> {
    return (await this.ok<{ requests: Array<Record<string, unknown>> }>("GET", "/requests")).requests;
  }

  /** `PATCH /__emulator/options`. */
  setOptions(change: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.ok("PATCH", "/options", change);
  }

  /** `GET /__emulator/clusters/{groupId}/{name}`. */
  cluster(
    groupId: string,
    name: string,
    kind?: "serverless" | "flex" | "cluster",
  ): Promise<Record<string, unknown>> {
    return this.ok("GET", `/clusters/${groupId}/${name}${kind ? `?kind=${kind}` : ""}`);
  }
}

/** A started emulator with a manual clock, an OAuth client, a digest client and the admin API. */
export interface TestEmulator {
  emulator: RunningEmulator;
  clock: ManualClock;
  /** The OAuth access token {@link TestEmulator.atlas} uses. */
  token: string;
  /** Bearer-token client (service account allowed on both projects). */
  atlas: AtlasTestClient;
  /** Digest client (API key allowed on both projects). */
  digest: AtlasTestClient;
  admin: TestAdmin;
}

/** Starts an emulator on a manual clock (restores of 1000 emulated ms unless told otherwise). */
export async function startTestEmulator(
  options: EmulatorOptions = {},
  clock: ManualClock = manualClock(START),
): Promise<TestEmulator> {
  const emulator = await startEmulator({ restoreDurationMs: 1000, ...options }, clock as Clock);
  const token = await fetchToken(emulator.url);
  return {
    emulator,
    clock,
    token,
    atlas: new AtlasTestClient(emulator.url, { kind: "bearer", token }),
    digest: new AtlasTestClient(emulator.url, {
      kind: "digest",
      username: KEY.publicKey,
      password: KEY.privateKey,
    }),
    admin: new TestAdmin(emulator.url),
  };
}

/** One raw HTTP exchange, for requests `fetch` refuses to send (bad targets, oversized or non-UTF-8 lines). */
export function rawRequest(
  port: number,
  request: Buffer | string,
): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let data = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = data.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, headers: text.slice(0, split), body: text.slice(split + 4) });
    });
  });
}

/** Asserts that a body is Atlas's error shape (`ApiError`) for `status`. */
export function assertAtlasError(status: number, body: unknown, where: string): void {
  const error = body as Record<string, unknown>;
  assert.strictEqual(error?.error, status, `${where}: error is the status`);
  assert.strictEqual(typeof error.errorCode, "string", `${where}: errorCode`);
  assert.strictEqual(typeof error.detail, "string", `${where}: detail`);
  assert.ok(Array.isArray(error.parameters), `${where}: parameters`);
  assert.ok(
    Object.keys(error).every((k) =>
      ["error", "errorCode", "detail", "reason", "parameters", "badRequestDetail"].includes(k),
    ),
    `${where}: only ApiError's fields`,
  );
}

/** Runs `curl` and resolves with its stdout. */
export function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("curl", ["-s", ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}
