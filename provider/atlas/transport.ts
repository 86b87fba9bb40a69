import axios, { type AxiosInstance, type AxiosResponse } from "axios";

import type { Clock } from "../waiting/clock";
import type { AtlasAuth } from "./auth";
import { AtlasApiError, AtlasDecodeError } from "./errors";
import type { AcquireOptions, RequestLimiter } from "./rate-limiter";
import { isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry-policy";
import { VERSION } from "./version";
import { ApiErrorBody } from "./wire";

/**
 * The transport: the only module that imports axios. It adds the versioned media type, the user
 * agent, auth, retries and the envelope flag, and turns every failure into an {@link AtlasApiError}
 * built from a redacted description of the request, never from axios's request config.
 */

/** One Atlas Admin API call. */
export interface AtlasRequest {
  readonly method: "GET" | "POST" | "DELETE";
  /** Path under the base URL, starting with `/api/`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly body?: unknown;
  /** The API version date of the operation, e.g. `2023-01-01`. */
  readonly version: string;
  /** Whether repeating the call is harmless (default: true for GET, false for POST). */
  readonly idempotent?: boolean;
}

/** Sends one request and resolves with the parsed, unwrapped body. */
export type Send = (request: AtlasRequest) => Promise<unknown>;

/** One HTTP exchange as the transport sees it: no axios types leave this module. */
export interface RawRequest {
  readonly method: AtlasRequest["method"];
  /** Path without the query, for errors. */
  readonly path: string;
  /** Path and query, exactly as sent. */
  readonly uri: string;
  readonly body?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** How the rate limiter paces it (see {@link AcquireOptions}). */
  readonly pacing?: AcquireOptions;
}

/** An answer of any status. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
  /** A response header by its lower-case name. */
  header(name: string): string | undefined;
}

/**
 * Sends one request once, over the provider's single HTTP client, and resolves with any answer; a
 * request that got no answer rejects with an {@link AtlasApiError} carrying the network code. API
 * calls and the OAuth token request both go through it, so they share one connection pool and one
 * rate limiter.
 */
export type Exchange = (request: RawRequest) => Promise<RawResponse>;

/** Settings of the one HTTP client. */
export interface ExchangeOptions {
  /** e.g. `https://cloud.mongodb.com` */
  readonly baseUrl: string;
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** Replaces axios's network adapter; tests use it to answer without a server. */
  readonly adapter?: AxiosInstance["defaults"]["adapter"];
  /** Paces every request of the process (see {@link RequestLimiter}); none by default. */
  readonly limiter?: RequestLimiter;
}

/** Builds the provider's one HTTP client. */
export function createExchange(options: ExchangeOptions): Exchange {
  const instance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ""),
    timeout: options.timeoutMs,
    // Statuses and bodies are ours to judge: no throwing on 4xx/5xx, no silent JSON parsing.
    validateStatus: () => true,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    headers: { "User-Agent": USER_AGENT },
    maxRedirects: 0,
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  return async (request) => {
    const release = await options.limiter?.acquire(request.pacing);
    let response: AxiosResponse<string>;
    try {
      response = await instance.request<string>({
        method: request.method,
        url: request.uri,
        data: request.body,
        headers: { ...request.headers },
      });
    } catch (error) {
      release?.({ status: undefined, header: () => undefined });
      throw new AtlasApiError({
        method: request.method,
        path: request.path,
        networkCode: networkCodeOf(error),
        cause: redacted(error),
      });
    }
    const answer: RawResponse = {
      status: response.status,
      body: response.data,
      header: (name) => {
        const value = response.headers[name];
        return value === undefined || value === null ? undefined : String(value);
      },
    };
    release?.(answer);
    return answer;
  };
}

/** API-call settings on top of the {@link Exchange}. */
export interface HttpOptions {
  readonly exchange: Exchange;
  readonly auth: AtlasAuth;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  /** Ask Atlas to wrap bodies (`envelope=true`); we unwrap them. */
  readonly envelope?: boolean;
  /** Ask Atlas for indented JSON (`pretty=true`), handy when reading the request log. */
  readonly pretty?: boolean;
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (info: { request: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** The user agent sent with every request. */
export const USER_AGENT = `pulumi-atlas-restore/${VERSION}`;

/** Builds the {@link Send} function for one provider configuration. */
export function createHttp(options: HttpOptions): Send {
  return async function send(request) {
    const uri = requestUri(request, options);
    const idempotent = request.idempotent ?? request.method === "GET";
    const mediaType = `application/vnd.atlas.${request.version}+json`;
    const label = `${request.method} ${request.path}`;
    let authRetries = 0;
    let throttled = 0;

    for (let attempt = 1; ; attempt++) {
      const authorization = await options.auth.authorization({ method: request.method, uri });
      let response: RawResponse;
      try {
        response = await options.exchange({
          method: request.method,
          path: request.path,
          uri,
          pacing: { urgent: !idempotent },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          headers: {
            Accept: mediaType,
            ...(request.body === undefined ? {} : { "Content-Type": mediaType }),
            ...(authorization ? { Authorization: authorization } : {}),
          },
        });
      } catch (error) {
        const networkCode = error instanceof AtlasApiError ? error.networkCode : undefined;
        if (attempt < options.retry.maxAttempts && isRetryable({ networkCode }, idempotent)) {
          await pause(options, label, attempt, networkCode);
          continue;
        }
        throw error;
      }

      if (response.status === 401 && authRetries < 2) {
        if (options.auth.unauthorized(response.header("www-authenticate"), authorization)) {
          authRetries++;
          attempt--; // an auth handshake is not a failed attempt
          continue;
        }
      }
      if (response.status !== 401) options.auth.accepted?.(authorization);
      if (response.status >= 200 && response.status < 300) {
        checkServedVersion(response.header("content-type"), request.version, label);
        return unwrap(parseJsonBody(response.body, label), options.envelope === true);
      }

      const retryAfterSeconds = parseRetryAfter(response.header("retry-after"), options.clock.now());
      // Throttling says "later", not "broken": it has its own, larger budget, so a burst of parallel
      // restores waits its turn instead of failing.
      if (response.status === 429 && throttled < options.retry.maxThrottledRetries) {
        throttled++;
        attempt--;
        await pause(options, label, Math.min(throttled, 6), "429", retryAfterSeconds);
        continue;
      }
      if (attempt < options.retry.maxAttempts && isRetryable({ status: response.status }, idempotent)) {
        await pause(options, label, attempt, String(response.status), retryAfterSeconds);
        continue;
      }
      throw apiErrorOf(request, response, options.auth.describe(), retryAfterSeconds);
    }
  };
}

/**
 * Atlas serves a resource's newest version dated on or before the one asked, and names it in the
 * answer's `Content-Type`. We ask for exactly the version each codec was written against (as the Go SDK
 * does), so any other version means a shape the codec does not know: refused before decoding.
 */
function checkServedVersion(contentType: string | undefined, asked: string, where: string): void {
  const served = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/.exec(contentType ?? "")?.[1];
  if (served !== undefined && served !== asked)
    throw new AtlasDecodeError(where, [`Content-Type: expected API version ${asked}, got ${served}`]);
}

/** Path plus query, exactly as sent: digest signs this string. */
function requestUri(request: AtlasRequest, options: Pick<HttpOptions, "envelope" | "pretty">): string {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) query[key] = String(value);
  if (options.envelope) query.envelope = "true";
  if (options.pretty) query.pretty = "true";
  const search = new URLSearchParams(query).toString();
  return search ? `${request.path}?${search}` : request.path;
}

async function pause(
  options: HttpOptions,
  label: string,
  attempt: number,
  reason: string | undefined,
  retryAfterSeconds?: number,
): Promise<void> {
  const delayMs = retryDelayMs(options.retry, attempt, options.clock.random(), retryAfterSeconds);
  options.onRetry?.({ request: label, attempt, delayMs, reason: reason ?? "network error" });
  await options.clock.sleep(delayMs);
}

/** The {@link AtlasApiError} of an error answer, with Atlas's code and detail when the body has them. */
export function apiErrorOf(
  request: Pick<AtlasRequest, "method" | "path">,
  response: RawResponse,
  authKind: string,
  retryAfterSeconds?: number,
): AtlasApiError {
  // With `envelope=true` an error comes wrapped like any single resource: `{status, content}`.
  const body = ApiErrorBody.decode(unwrap(safeJson(response.body), true));
  const error = body._tag === "Right" ? body.right : {};
  const detail =
    error.detail ??
    error.reason ??
    (response.status === 401 ? `the ${authKind} credentials were refused` : undefined) ??
    undefined;
  return new AtlasApiError({
    status: response.status,
    method: request.method,
    path: request.path,
    errorCode: error.errorCode,
    detail: detail ?? undefined,
    retryAfterSeconds,
  });
}

/** An `{status, content}` envelope holds one resource; a page keeps its shape with `status` added. */
function unwrap(body: unknown, envelope: boolean): unknown {
  if (envelope && isRecord(body) && "content" in body && "status" in body) return body.content;
  return body;
}

/** Parses an answer's JSON body; an empty body is undefined. */
export function parseJsonBody(text: string, where: string): unknown {
  if (text === "" || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AtlasDecodeError(where, ["body: expected JSON"]);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkCodeOf(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === "string" ? error.code : undefined;
}

/** Keeps only the message: an AxiosError's `config.headers` holds the Authorization header. */
function redacted(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
