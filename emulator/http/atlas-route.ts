import type { IncomingMessage, ServerResponse } from "http";

import {
  invalidJson,
  methodNotAllowed,
  rateLimited,
  resourceNotFound,
  serviceUnavailable,
  unexpectedError,
} from "../atlas/api-errors";
import { checkProject } from "../atlas/lookups";
import type { Caller, Operation } from "../atlas/operation-context";
import { OPERATIONS } from "../atlas/operations";
import { parseQueryFlags } from "../atlas/pagination";
import { validatePathParams } from "../atlas/request-validation";
import { sunsetError } from "../atlas/sunset";
import { checkContentType, negotiateVersion, versionedMediaType } from "../atlas/versioning";
import { authenticate } from "../auth/authenticate";
import type { Emulator, LoggedRequest } from "../emulator-state";
import { hookAnswer } from "../hooks";
import { prettyJson, send } from "./json-io";

const ROUTES = OPERATIONS.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
}));

/**
 * One request to the Atlas API: route, authentication, faults, then {@link answer}. Every answer is
 * logged; a digest challenge is logged but not counted.
 */
export async function atlasRoute(
  emulator: Emulator,
  method: string,
  url: URL,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): Promise<void> {
  const matches = ROUTES.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).filter((r) => r.match);
  // HEAD is GET without the body (RFC 9110 §9.3.2), so every GET route answers it.
  const route = matches.find((r) => r.operation.method === (method === "HEAD" ? "GET" : method));
  const log = (status: LoggedRequest["status"]) =>
    emulator.log({
      method,
      path: url.pathname,
      status,
      ...(route ? { operationId: route.operation.operationId } : {}),
      time: new Date(emulator.clock.now()).toISOString(),
    });
  if (!route) {
    const allow = matches.flatMap((r) =>
      r.operation.method === "GET" ? ["GET", "HEAD"] : [r.operation.method],
    );
    const error =
      matches.length > 0 ? methodNotAllowed(method, url.pathname, allow) : resourceNotFound(url.pathname);
    log(error.status);
    return send(res, error.status, error.toBody(), error.headers);
  }
  const operation = route.operation;
  const now = emulator.clock.now();
  let caller: Caller;
  try {
    caller = authenticate(emulator, req, url, now);
  } catch (error) {
    // A digest challenge is part of the handshake, not a use of the operation: it is logged but neither
    // counted nor subject to faults, so "exactly one POST" holds whichever auth a client uses.
    const apiError = emulator.asApiError(error);
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
  // On the emulator's clock, so a test on a manual clock decides when the delay is over.
  if (fault.latencyMs > 0) await emulator.clock.sleep(fault.latencyMs);
  const held = { operationId: operation.operationId, method, path: url.pathname };
  if (fault.action === "hold") await emulator.hold({ ...held, committed: false });
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
  if (fault.action === "hold-response-after-commit") await emulator.hold({ ...held, committed: true });
  if ((await hookAnswer(emulator, operation.operationId, method)) === "drop") {
    log("dropped");
    req.socket.destroy();
    return;
  }
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
    const gone = sunsetError(operation, { options: emulator.options, store: emulator.store, params, now });
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
    const status = operation.status ?? 200;
    return { status, payload: status === 204 ? "" : prettyJson(payload, pretty), headers };
  } catch (error) {
    const apiError = emulator.asApiError(error);
    const body = apiError.toBody();
    return {
      status: apiError.status,
      payload: prettyJson(body, pretty),
      headers: { ...headers, ...apiError.headers, "Content-Type": "application/json" },
    };
  }
}
