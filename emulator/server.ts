import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

import { admin } from "./admin";
import { type Caller, checkProject, type Operation, OPERATIONS, sunsetError } from "./atlas";
import { digestChallenge, NonceBook, verifyDigest } from "./auth/digest";
import { hashToken, newAccessToken, parseBasicAuth, parseForm } from "./auth/oauth";
import { type Clock, offsetClock, systemClock } from "./clock";
import { downloadArchive } from "./download";
import {
  ApiError,
  invalidJson,
  methodNotAllowed,
  rateLimited,
  resourceNotFound,
  serviceUnavailable,
  unauthorized,
  unexpectedError,
} from "./errors";
import { FaultInjector } from "./faults";
import type { EmulatorOptions, RuntimeOptions } from "./options";
import { parseQueryFlags } from "./pagination";
import { RateLimiter } from "./rate-limit";
import { defaultSeed } from "./seed";
import { Store } from "./store";
import { validatePathParams } from "./validation";
import { checkContentType, negotiateVersion, versionedMediaType } from "./versioning";

/** One request as the log keeps it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "dropped" | "reset";
  operationId?: string;
  /** ISO 8601. */
  time: string;
}

/** How many requests the log keeps (the oldest are dropped first). */
export const REQUEST_LOG_LIMIT = 10_000;

/** Everything a running emulator holds besides its HTTP server. */
export class Emulator {
  readonly store: Store;
  options: RuntimeOptions;
  readonly clock: Clock & { offsetMs: number };
  readonly nonces = new NonceBook();
  readonly limiter = new RateLimiter();
  faults: FaultInjector;
  requests: LoggedRequest[] = [];
  counters = { byOperation: {} as Record<string, number>, byMethod: {} as Record<string, number> };
  baseUrl = "";

  constructor(
    options: Pick<EmulatorOptions, "seed" | "stateFile">,
    runtime: RuntimeOptions,
    clock: Clock = systemClock,
  ) {
    this.store = new Store(options.seed ?? defaultSeed(), options.stateFile);
    this.options = runtime;
    this.clock = offsetClock(clock, this.store.state.clockOffsetMs);
    this.faults = new FaultInjector(this.options.faults, this.options.faultSeed);
  }

  /** Replaces the runtime options; fault rules start counting again. */
  setOptions(options: RuntimeOptions): void {
    this.options = options;
    this.faults = new FaultInjector(options.faults, options.faultSeed);
    this.limiter.clear();
  }

  /** Back to the seed and the start options: no jobs, no log, no counters. */
  reset(initial: RuntimeOptions): void {
    this.store.reset();
    this.clock.offsetMs = 0;
    this.setOptions(initial);
    this.requests = [];
    this.counters = { byOperation: {}, byMethod: {} };
    this.nonces.clear();
  }

  /** Appends to the request log, keeping the newest {@link REQUEST_LOG_LIMIT} entries. */
  log(entry: LoggedRequest): void {
    this.requests.push(entry);
    // A long-running emulator (a user's laptop) must not grow without bound; tests read far fewer.
    if (this.requests.length > REQUEST_LOG_LIMIT)
      this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT);
  }

  /** Counts one request to an operation (`method` is absent for the OAuth endpoints). */
  count(operationId: string, method: string | undefined): void {
    this.counters.byOperation[operationId] = (this.counters.byOperation[operationId] ?? 0) + 1;
    if (method) this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
  }
}

/** Starts the HTTP server of an emulator on 127.0.0.1. */
export async function listen(emulator: Emulator, port: number): Promise<Server> {
  const initial = emulator.options;
  const server = createServer((req, res) => {
    void handle(emulator, initial, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, unexpectedError(String((error as Error).message)).toBody());
    });
  });
  await new Promise<void>((resolve, reject) => {
    // Without this, a port already in use would leave the caller waiting forever.
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`emulator cannot listen on 127.0.0.1 (${error.code ?? error.message}): port ${port}`)),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  emulator.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}

const ROUTES = OPERATIONS.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
}));

async function handle(
  emulator: Emulator,
  initial: RuntimeOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", emulator.baseUrl);
  const method = req.method ?? "GET";
  const body = await readBody(req);
  if (url.pathname.startsWith("/__emulator/")) return admin(emulator, initial, method, url, body, res);
  if (url.pathname === "/api/oauth/token" || url.pathname === "/api/oauth/revoke") {
    return oauth(emulator, method, url.pathname, req, body, res);
  }
  if (url.pathname.startsWith("/download/") && (method === "GET" || method === "HEAD")) {
    return download(emulator, method, url.pathname, res);
  }

  const matches = ROUTES.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).filter((r) => r.match);
  const route = matches.find((r) => r.operation.method === method);
  const log = (status: LoggedRequest["status"]) =>
    emulator.log({
      method,
      path: url.pathname,
      status,
      ...(route ? { operationId: route.operation.operationId } : {}),
      time: new Date(emulator.clock.now()).toISOString(),
    });
  if (!route) {
    const error =
      matches.length > 0 ? methodNotAllowed(method, url.pathname) : resourceNotFound(url.pathname);
    log(error.status);
    return send(res, error.status, error.toBody());
  }
  const operation = route.operation;
  const now = emulator.clock.now();
  let caller: Caller;
  try {
    caller = authenticate(emulator, req, url, now);
  } catch (error) {
    // A digest challenge is part of the handshake, not a use of the operation: it is logged but neither
    // counted nor subject to faults, so "exactly one POST" holds whichever auth a client uses.
    const apiError = error instanceof ApiError ? error : unexpectedError((error as Error).message);
    log(apiError.status);
    return send(
      res,
      apiError.status,
      prettyJson(apiError.toBody(), url.searchParams.get("pretty") === "true"),
      {
        ...apiError.headers,
      },
    );
  }
  emulator.count(operation.operationId, method);

  const fault = emulator.faults.decide(operation.operationId, method);
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.action === "reset") {
    log("reset");
    req.socket.destroy();
    return;
  }
  if (fault.action === "429" || fault.action === "500" || fault.action === "503") {
    const error =
      fault.action === "500"
        ? unexpectedError("Injected fault.")
        : fault.action === "429"
          ? rateLimited({ "Retry-After": String(fault.retryAfterSeconds), "RateLimit-Remaining": "0" })
          : serviceUnavailable(fault.retryAfterSeconds);
    log(error.status);
    return send(res, error.status, error.toBody(), error.headers);
  }

  const { status, payload, headers } = answer(
    emulator,
    operation,
    caller,
    route.match!.groups ?? {},
    url,
    req,
    body,
  );
  if (fault.action === "drop-response-after-commit") {
    // The request was carried out (a job may now exist) but its answer never arrives: the case that
    // makes naive clients create duplicates.
    log("dropped");
    req.socket.destroy();
    return;
  }
  log(status);
  send(res, status, payload, headers);
}

/** Runs one Atlas operation for an authenticated caller through limits, versions and validation. */
function answer(
  emulator: Emulator,
  operation: Operation,
  caller: Caller,
  params: Record<string, string>,
  url: URL,
  req: IncomingMessage,
  rawBody: string,
): { status: number; payload: unknown; headers: Record<string, string> } {
  const now = emulator.clock.now();
  let headers: Record<string, string> = {};
  let pretty = url.searchParams.get("pretty") === "true";
  try {
    if (emulator.options.rateLimit) {
      const decision = emulator.limiter.check(caller.id, now, emulator.options.rateLimit);
      headers = decision.headers;
      if (!decision.allowed) throw rateLimited(decision.headers);
    }
    const version = negotiateVersion(req.headers.accept, [operation.version]);
    headers["Content-Type"] = versionedMediaType(version);
    const flags = parseQueryFlags(url.searchParams);
    pretty = flags.pretty;
    validatePathParams(params);
    const gone = sunsetError(operation, { options: emulator.options, store: emulator.store, params });
    if (gone) throw gone;
    checkProject(emulator.store, caller, params.groupId!);
    let body: unknown;
    if (operation.method === "POST") {
      checkContentType(req.headers["content-type"], version);
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        throw invalidJson();
      }
    }
    const result = operation.handle({
      store: emulator.store,
      options: emulator.options,
      now,
      baseUrl: emulator.baseUrl,
      caller,
      params,
      flags,
      url,
      body,
    });
    const payload = !flags.envelope
      ? result
      : operation.paged
        ? { ...(result as object), status: 200 }
        : { status: 200, content: result };
    return { status: 200, payload: prettyJson(payload, pretty), headers };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : unexpectedError((error as Error).message);
    const body = apiError.toBody();
    return {
      status: apiError.status,
      payload: prettyJson(body, pretty),
      headers: { ...headers, ...apiError.headers, "Content-Type": "application/json" },
    };
  }
}

/** Digest (API keys) or Bearer (service accounts); a 401 with a fresh challenge otherwise. */
function authenticate(emulator: Emulator, req: IncomingMessage, url: URL, now: number): Caller {
  const header = req.headers.authorization ?? "";
  const challenge = (stale: boolean) => ({
    "WWW-Authenticate": digestChallenge(emulator.nonces.issue(now, emulator.options.nonceTtlMs), stale),
  });
  if (/^Bearer\s+/i.test(header)) {
    const token = emulator.store.token(hashToken(header.replace(/^Bearer\s+/i, "").trim()));
    const account = token && emulator.store.seed.serviceAccounts.find((a) => a.clientId === token.clientId);
    if (!token || !account || token.expiresAt <= now)
      throw unauthorized(challenge(false), "Invalid or expired access token.");
    return { id: account.clientId, projects: account.projects };
  }
  if (/^Digest\s+/i.test(header)) {
    const keys = emulator.store.seed.apiKeys;
    const verdict = verifyDigest(
      header,
      req.method ?? "GET",
      // RFC 7616 §3.4.6: the digest covers the request target exactly as sent on the request line.
      req.url ?? url.pathname + url.search,
      (user) => keys.find((k) => k.publicKey === user)?.privateKey,
      emulator.nonces,
      now,
      emulator.options.nonceTtlMs,
    );
    if (verdict.ok) {
      const key = keys.find((k) => k.publicKey === verdict.username)!;
      return { id: key.publicKey, projects: key.projects };
    }
    throw unauthorized(challenge(verdict.stale));
  }
  throw unauthorized(challenge(false));
}

/** `POST /api/oauth/token` (client credentials) and `POST /api/oauth/revoke`. */
function oauth(
  emulator: Emulator,
  method: string,
  path: string,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): void {
  const operationId = path.endsWith("token") ? "oauthToken" : "oauthRevoke";
  emulator.count(operationId, undefined);
  const now = emulator.clock.now();
  const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
    emulator.log({ method, path, status, operationId, time: new Date(now).toISOString() });
    // RFC 6749 §5.1: token answers must not be cached.
    send(res, status, payload, { "Cache-Control": "no-store", ...headers });
  };
  const fail = (status: number, error: string, description: string) =>
    reply(
      status,
      { error, error_description: description },
      status === 401 ? { "WWW-Authenticate": 'Basic realm="MongoDB Atlas"' } : {},
    );
  if (method !== "POST") return fail(405, "invalid_request", "use POST");
  const form = parseForm(body);
  // RFC 6749 §2.3.1: Basic auth, or (less recommended, still accepted) the form's client_id/client_secret.
  const basic =
    parseBasicAuth(req.headers.authorization) ??
    (form.client_id !== undefined && form.client_secret !== undefined
      ? { id: form.client_id, secret: form.client_secret }
      : undefined);
  const account =
    basic &&
    emulator.store.seed.serviceAccounts.find(
      (a) => a.clientId === basic.id && a.clientSecret === basic.secret,
    );
  if (!account) return fail(401, "invalid_client", "unknown client or wrong secret");
  if (operationId === "oauthRevoke") {
    if (!form.token) return fail(400, "invalid_request", "token is required");
    // RFC 7009 §2.1-2.2: only the client a token was issued to may revoke it, and an unknown, foreign or
    // already revoked token is answered 200 all the same.
    const tokenHash = hashToken(form.token);
    if (emulator.store.token(tokenHash)?.clientId === account.clientId) emulator.store.revokeToken(tokenHash);
    return reply(200, {});
  }
  if (form.grant_type !== "client_credentials")
    return fail(400, "unsupported_grant_type", "only client_credentials");
  const token = newAccessToken();
  const ttl = emulator.options.tokenTtlSeconds;
  emulator.store.addToken(
    { tokenHash: hashToken(token), clientId: account.clientId, expiresAt: now + ttl * 1000 },
    now,
  );
  reply(200, { access_token: token, expires_in: ttl, token_type: "Bearer" });
}

/**
 * `GET /download/{jobId}/{name}.tar.gz`: the archive of a finished download job. Like Atlas's
 * pre-signed links, it needs no credentials; it answers 404 before the job completes and 410 once
 * the link expired.
 */
function download(emulator: Emulator, method: string, path: string, res: ServerResponse): void {
  const now = emulator.clock.now();
  const result = downloadArchive(emulator.store.state.jobs, path, now);
  const status = "archive" in result ? 200 : result.refusal === "expired" ? 410 : 404;
  emulator.log({ method, path, status, operationId: "download", time: new Date(now).toISOString() });
  if (!("archive" in result)) {
    return send(res, status, { error: status, detail: `download link ${result.refusal}: ${path}` });
  }
  res.writeHead(200, {
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="${result.fileName}"`,
    "Content-Length": result.archive.length,
  });
  res.end(method === "HEAD" ? undefined : result.archive);
}

/** Writes a JSON answer; a string payload is sent as it is (already formatted). */
export function send(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    "Content-Type": "application/json",
    ...headers,
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

function prettyJson(payload: unknown, pretty: boolean): string {
  return JSON.stringify(payload, null, pretty ? 2 : undefined);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
