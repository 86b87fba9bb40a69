import type { IncomingMessage, ServerResponse } from "http";

import {
  type ApiError,
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
import { isTrue, parseQueryFlags } from "../atlas/pagination";
import { validatePathParams } from "../atlas/request-validation";
import { sunsetError } from "../atlas/sunset";
import { answerMediaType, checkContentType, negotiateVersion } from "../atlas/versioning";
import { authenticate } from "../auth/authenticate";
import type { Emulator, LoggedRequest } from "../emulator-state";
import { prettyJson, send } from "./json-io";

const ROUTES = OPERATIONS.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  literalSegments: operation.path.split("/").filter((segment) => !segment.startsWith("{")).length,
}));

/**
 * The routes whose template matches the path, keeping only the most literal ones: `…/snapshots/shardedClusters`
 * is that operation, not `…/snapshots/{snapshotId}` with an id that could never match its pattern.
 */
function routesOf(pathname: string) {
  const matches = ROUTES.map((r) => ({ ...r, match: r.pattern.exec(pathname) })).filter((r) => r.match);
  const most = Math.max(...matches.map((r) => r.literalSegments));
  return matches.filter((r) => r.literalSegments === most);
}

/** Why no operation takes `method` on `pathname`: 405 naming the methods its path takes, or 404. */
export function refusal(method: string, pathname: string): ApiError {
  const matches = routesOf(pathname);
  if (matches.length === 0) return resourceNotFound(pathname);
  const allow = matches.flatMap((r) =>
    r.operation.method === "GET" ? ["GET", "HEAD"] : [r.operation.method],
  );
  return methodNotAllowed(method, pathname, allow);
}

/** What Atlas sends with every authenticated answer when no `rateLimit` is set: its usual numbers, unspent. */
const UNLIMITED: Readonly<Record<string, string>> = {
  "RateLimit-Limit": "1200",
  "RateLimit-Remaining": "1199",
};

interface Answer {
  status: number;
  payload: unknown;
  headers: Record<string, string>;
}

/**
 * An error answer: the ApiError (with `X-Error-Code`), as `application/json`; with `envelope=true` wrapped
 * as `{status, content}` like any single resource (the `envelope` parameter: "Application adds the status
 * parameter to the response body"), indented with `pretty=true`.
 */
function errorAnswer(error: ApiError, url: URL, headers: Record<string, string> = {}): Answer {
  const body = error.toBody();
  const payload = isTrue(url.searchParams.get("envelope")) ? { status: error.status, content: body } : body;
  return {
    status: error.status,
    payload: prettyJson(payload, isTrue(url.searchParams.get("pretty"))),
    headers: { ...headers, ...error.headers, "Content-Type": "application/json" },
  };
}

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
  // HEAD is GET without the body (RFC 9110 §9.3.2), so every GET route answers it.
  const route = routesOf(url.pathname).find(
    (r) => r.operation.method === (method === "HEAD" ? "GET" : method),
  );
  const log = (status: LoggedRequest["status"]) =>
    emulator.log({
      method,
      path: url.pathname,
      status,
      ...(route ? { operationId: route.operation.operationId } : {}),
      ...(url.searchParams.has("pageNum") ? { pageNum: Number(url.searchParams.get("pageNum")) } : {}),
      time: new Date(emulator.clock.now()).toISOString(),
    });
  const reply = (answer: Answer): void => {
    log(answer.status);
    send(res, answer.status, answer.payload, answer.headers);
  };
  if (!route) return reply(errorAnswer(refusal(method, url.pathname), url));
  const operation = route.operation;
  const now = emulator.clock.now();
  let caller: Caller;
  try {
    caller = authenticate(emulator, req, url, now);
  } catch (error) {
    // A digest challenge is part of the handshake, not a use of the operation: it is logged but neither
    // counted nor subject to faults, so "exactly one POST" holds whichever auth a client uses.
    return reply(errorAnswer(emulator.asApiError(error), url));
  }
  emulator.count(operation.operationId, method);

  const fault = emulator.faults.decide(operation.operationId, method);
  // On the emulator's clock, so a test on a manual clock decides when the delay is over.
  if (fault.latencyMs > 0) await emulator.clock.sleep(fault.latencyMs);
  const held = { operationId: operation.operationId, method, path: url.pathname };
  // Dropped before it is carried out, a held request is a reset: nothing was done.
  const heldBefore = fault.action === "hold" ? await emulator.hold({ ...held, committed: false }) : "answer";
  if (fault.action === "reset" || heldBefore === "drop") {
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
    return reply(errorAnswer(error, url, UNLIMITED));
  }

  const carriedOut = answer(emulator, operation, caller, route.match!.groups ?? {}, url, req, body);
  const heldAfter =
    fault.action === "hold-response-after-commit"
      ? await emulator.hold({ ...held, committed: true })
      : "answer";
  if (fault.action === "drop-response-after-commit" || heldAfter === "drop") {
    // The request was carried out (a job may now exist) but its answer never arrives: the case that
    // makes naive clients create duplicates.
    log("dropped");
    req.socket.destroy();
    return;
  }
  reply(carriedOut);
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
): Answer {
  const now = emulator.clock.now();
  let headers: Record<string, string> = { ...UNLIMITED };
  try {
    if (emulator.options.rateLimit) {
      const decision = emulator.limiter.check(caller.id, now, emulator.options.rateLimit);
      headers = decision.headers;
      if (!decision.allowed) throw rateLimited(decision.headers);
    }
    const offered = [...(operation.olderVersions ?? []), operation.version];
    const version = negotiateVersion(req.headers.accept, offered);
    const flags = parseQueryFlags(url.searchParams, operation.lenientQuery);
    if (!operation.lenientQuery) validatePathParams(params);
    const gone = sunsetError(operation, { options: emulator.options, store: emulator.store, params, now });
    if (gone) throw gone;
    checkProject(emulator.store, caller, params.groupId!);
    let body: unknown;
    if (operation.method === "POST") {
      checkContentType(req.headers["content-type"], version, offered);
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
      version,
      caller,
      params,
      flags,
      url,
      body,
    });
    const status = operation.status ?? 200;
    const payload = !flags.envelope
      ? result
      : operation.paged
        ? { ...(result as object), status }
        : { status, content: result };
    return {
      status,
      payload: status === 204 ? "" : prettyJson(payload, flags.pretty),
      headers: { ...headers, "Content-Type": answerMediaType(version) },
    };
  } catch (error) {
    return errorAnswer(emulator.asApiError(error), url, headers);
  }
}
