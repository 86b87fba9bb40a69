import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

import { admin } from "./admin";
import { type Caller, checkProject, type Operation, OPERATIONS, sunsetError } from "./atlas";
import { digestChallenge, verifyDigest } from "./auth/digest";
import { hashToken } from "./auth/oauth";
import { Emulator, type LoggedRequest } from "./emulator";
import { download, oauth } from "./endpoints";
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
import type { RuntimeOptions } from "./options";
import { parseQueryFlags } from "./pagination";
import { prettyJson, readBody, send } from "./respond";
import { validatePathParams } from "./validation";
import { checkContentType, negotiateVersion, versionedMediaType } from "./versioning";

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
