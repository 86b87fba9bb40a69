import axios, { type AxiosInstance, type AxiosResponse } from "axios";

import type { Clock } from "../waiting/clock";
import type { AtlasAuth, TokenRequester } from "./auth";
import { formatDecodeErrors } from "./decode-report";
import { AtlasApiError, AtlasDecodeError } from "./errors";
import { isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry-policy";
import { VERSION } from "./version";
import { ApiErrorBody, TokenResponse } from "./wire";

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

/** Transport settings. */
export interface HttpOptions {
  /** e.g. `https://cloud.mongodb.com` */
  readonly baseUrl: string;
  readonly auth: AtlasAuth;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** Ask Atlas to wrap bodies (`envelope=true`); we unwrap them. */
  readonly envelope?: boolean;
  /** Ask Atlas for indented JSON (`pretty=true`), handy when reading the request log. */
  readonly pretty?: boolean;
  /** Replaces axios's network adapter; tests use it to answer without a server. */
  readonly adapter?: AxiosInstance["defaults"]["adapter"];
  /** Called before each retry, e.g. to log it. */
  readonly onRetry?: (info: { request: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** The user agent sent with every request. */
export const USER_AGENT = `pulumi-atlas-restore/${VERSION}`;

/** Builds the {@link Send} function for one provider configuration. */
export function createHttp(options: HttpOptions): Send {
  const instance = newAxios(options.baseUrl, options.timeoutMs, options.adapter);

  return async function send(request) {
    const uri = requestUri(request, options);
    const idempotent = request.idempotent ?? request.method === "GET";
    const mediaType = `application/vnd.atlas.${request.version}+json`;
    const label = `${request.method} ${request.path}`;
    let authRetries = 0;
    let throttled = 0;

    for (let attempt = 1; ; attempt++) {
      const authorization = await options.auth.authorization({ method: request.method, uri });
      let response: AxiosResponse<string>;
      try {
        response = await instance.request<string>({
          method: request.method,
          url: uri,
          data: request.body === undefined ? undefined : JSON.stringify(request.body),
          headers: {
            Accept: mediaType,
            ...(request.body === undefined ? {} : { "Content-Type": mediaType }),
            ...(authorization ? { Authorization: authorization } : {}),
          },
        });
      } catch (error) {
        const networkCode = networkCodeOf(error);
        const failure = new AtlasApiError({
          method: request.method,
          path: request.path,
          networkCode,
          cause: redacted(error),
        });
        if (attempt < options.retry.maxAttempts && isRetryable({ networkCode }, idempotent)) {
          await pause(options, label, attempt, networkCode);
          continue;
        }
        throw failure;
      }

      if (response.status === 401 && authRetries < 2) {
        if (options.auth.unauthorized(header(response, "www-authenticate"), authorization)) {
          authRetries++;
          attempt--; // an auth handshake is not a failed attempt
          continue;
        }
      }
      if (response.status >= 200 && response.status < 300) {
        return unwrap(parseJson(response.data, label), options.envelope === true);
      }

      const retryAfterSeconds = parseRetryAfter(header(response, "retry-after"), options.clock.now());
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
      throw apiError(request, response, retryAfterSeconds, options.auth.describe());
    }
  };
}

/** Builds the OAuth client-credentials token request (`POST /api/oauth/token`). */
export function createTokenRequester(
  options: Pick<HttpOptions, "baseUrl" | "timeoutMs" | "adapter">,
): TokenRequester {
  const instance = newAxios(options.baseUrl, options.timeoutMs, options.adapter);
  const path = "/api/oauth/token";
  return async (clientId, clientSecret) => {
    let response: AxiosResponse<string>;
    try {
      response = await instance.request<string>({
        method: "POST",
        url: path,
        data: "grant_type=client_credentials",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        },
      });
    } catch (error) {
      throw new AtlasApiError({
        method: "POST",
        path,
        networkCode: networkCodeOf(error),
        cause: redacted(error),
      });
    }
    if (response.status !== 200) {
      throw apiError({ method: "POST", path }, response, undefined, "service account");
    }
    const decoded = TokenResponse.decode(parseJson(response.data, `POST ${path}`));
    if (decoded._tag === "Left") throw new AtlasDecodeError(`POST ${path}`, formatDecodeErrors(decoded.left));
    return decoded.right;
  };
}

function newAxios(baseUrl: string, timeoutMs: number, adapter: HttpOptions["adapter"]): AxiosInstance {
  return axios.create({
    baseURL: baseUrl.replace(/\/+$/, ""),
    timeout: timeoutMs,
    // Statuses and bodies are ours to judge: no throwing on 4xx/5xx, no silent JSON parsing.
    validateStatus: () => true,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    headers: { "User-Agent": USER_AGENT },
    maxRedirects: 0,
    ...(adapter ? { adapter } : {}),
  });
}

/** Path plus query, exactly as sent: digest signs this string. */
function requestUri(request: AtlasRequest, options: HttpOptions): string {
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

function apiError(
  request: Pick<AtlasRequest, "method" | "path">,
  response: AxiosResponse<string>,
  retryAfterSeconds: number | undefined,
  authKind: string,
): AtlasApiError {
  const body = ApiErrorBody.decode(safeJson(response.data));
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

function parseJson(text: string, where: string): unknown {
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

function header(response: AxiosResponse, name: string): string | undefined {
  const value = response.headers[name];
  return value === undefined || value === null ? undefined : String(value);
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
