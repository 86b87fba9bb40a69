import type { AtlasCredentials } from "../atlas/auth";
import { defaultRetryPolicy, type RetryPolicy } from "../atlas/retry-policy";
import { type CloneTarget, type DatabaseCredentials, readDatabaseCredentials } from "../verify/credentials";
import { pollDefaults } from "../waiting/poll";
import type { PollSettings } from "../waiting/schedule";

/** Everything the provider process needs to talk to Atlas, read from stack config or the environment. */
export interface ProviderConfig {
  readonly baseUrl: string;
  readonly credentials: AtlasCredentials;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** Polling: the planned schedule unless `pollMinDelayMs`/`pollMaxDelayMs` ask for a geometric one. */
  readonly poll: Required<PollSettings>;
  readonly envelope: boolean;
  readonly pretty: boolean;
  /**
   * The database user a clone check (`verify`) logs in with on a target: stack config (secrets,
   * decrypted for `configure`), then the environment. Read when a check runs, so a stack that checks
   * nothing needs none; throws a `DatabaseCredentialsError` naming the keys.
   */
  readonly databaseCredentials: (target: CloneTarget) => DatabaseCredentials;
}

/** Reads one stack config value by its full key, e.g. `mongodbatlas:clientId`. */
export type ConfigGetter = (key: string) => string | undefined;

/** Atlas's public endpoint. */
export const DEFAULT_BASE_URL = "https://cloud.mongodb.com";

/** Default per-request timeout: Atlas answers within seconds; a minute means the network is stuck. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Where each setting comes from: stack config keys (the official Pulumi Atlas provider's where they
 * exist) first, then environment variables in order. Documented in docs/configuration.md.
 */
export const SETTINGS = {
  clientId: { config: "mongodbatlas:clientId", env: ["MONGODB_ATLAS_CLIENT_ID"] },
  clientSecret: { config: "mongodbatlas:clientSecret", env: ["MONGODB_ATLAS_CLIENT_SECRET"] },
  publicKey: {
    config: "mongodbatlas:publicKey",
    env: ["MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PUBLIC_KEY"],
  },
  privateKey: {
    config: "mongodbatlas:privateKey",
    env: ["MONGODB_ATLAS_PRIVATE_API_KEY", "MONGODB_ATLAS_PRIVATE_KEY"],
  },
  baseUrl: { config: "mongodbatlas:baseUrl", env: ["MONGODB_ATLAS_BASE_URL"] },
  requestTimeoutMs: { config: "atlasRestore:requestTimeoutMs", env: ["ATLAS_RESTORE_REQUEST_TIMEOUT_MS"] },
  maxAttempts: { config: "atlasRestore:maxAttempts", env: ["ATLAS_RESTORE_MAX_ATTEMPTS"] },
  pollMinDelayMs: { config: "atlasRestore:pollMinDelayMs", env: ["ATLAS_RESTORE_POLL_MIN_DELAY_MS"] },
  pollMaxDelayMs: { config: "atlasRestore:pollMaxDelayMs", env: ["ATLAS_RESTORE_POLL_MAX_DELAY_MS"] },
  envelope: { config: "atlasRestore:envelope", env: ["ATLAS_RESTORE_ENVELOPE"] },
  pretty: { config: "atlasRestore:pretty", env: ["ATLAS_RESTORE_PRETTY"] },
} as const;

type Setting = keyof typeof SETTINGS;

/**
 * Builds the provider configuration. Pure: the caller passes the stack config and the environment.
 * Each setting prefers stack config to the environment; credentials are taken as a pair from one
 * source (see {@link readCredentials}). All problems are reported at once, naming keys, never values.
 */
export function readProviderConfig(
  get: ConfigGetter,
  env: Record<string, string | undefined>,
): ProviderConfig {
  const problems: string[] = [];
  const readFrom = (setting: Setting, from: CredentialSource): string | undefined => {
    const source = SETTINGS[setting];
    const values = from === "stack config" ? [get(source.config)] : source.env.map((name) => env[name]);
    return values.find((value) => value !== undefined && value !== "");
  };
  const read = (setting: Setting): string | undefined =>
    readFrom(setting, "stack config") ?? readFrom(setting, "environment");
  const names = (setting: Setting) => [SETTINGS[setting].config, ...SETTINGS[setting].env].join(" or ");
  const integer = (setting: Setting, fallback: number, min: number): number => {
    const text = read(setting);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${names(setting)} must be an integer of at least ${min}`);
      return fallback;
    }
    return value;
  };
  const flag = (setting: Setting): boolean => {
    const text = read(setting);
    if (text === undefined) return false;
    if (text !== "true" && text !== "false") problems.push(`${names(setting)} must be true or false`);
    return text === "true";
  };

  const credentials = readCredentials(readFrom, names, problems);
  const baseUrl = read("baseUrl") ?? DEFAULT_BASE_URL;
  const badBaseUrl = baseUrlProblem(baseUrl);
  if (badBaseUrl !== undefined) problems.push(`${names("baseUrl")} ${badBaseUrl}`);
  const minDelayMs = integer("pollMinDelayMs", pollDefaults.minDelayMs, 1);
  const maxDelayMs = integer("pollMaxDelayMs", Math.max(pollDefaults.maxDelayMs, minDelayMs), minDelayMs);
  const config = {
    baseUrl,
    requestTimeoutMs: integer("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 1),
    retry: { ...defaultRetryPolicy, maxAttempts: integer("maxAttempts", defaultRetryPolicy.maxAttempts, 1) },
    poll: {
      minDelayMs,
      maxDelayMs,
      mode:
        read("pollMinDelayMs") === undefined && read("pollMaxDelayMs") === undefined
          ? "planned"
          : "geometric",
    } as const,
    envelope: flag("envelope"),
    pretty: flag("pretty"),
  };
  if (problems.length > 0 || credentials === undefined) throw new ProviderConfigError(problems);
  return {
    ...config,
    credentials,
    databaseCredentials: (target) => readDatabaseCredentials(get, env, target),
  };
}

type CredentialSetting = "clientId" | "clientSecret" | "publicKey" | "privateKey";

/** The two places credentials come from, in the order they are consulted. */
type CredentialSource = "stack config" | "environment";

/**
 * Chooses the source first, then the kind: a complete pair in stack config wins over anything in the
 * environment (CI runners often export a service account that must not override a stack's API key),
 * and within one source a service account wins over an API key. Halves from different sources are
 * never combined: half a pair in stack config is an error, not something the environment completes.
 */
function readCredentials(
  read: (setting: Setting, from: CredentialSource) => string | undefined,
  names: (setting: Setting) => string,
  problems: string[],
): AtlasCredentials | undefined {
  const halves: [CredentialSetting, CredentialSetting][] = [
    ["clientId", "clientSecret"],
    ["clientSecret", "clientId"],
    ["publicKey", "privateKey"],
    ["privateKey", "publicKey"],
  ];
  for (const from of ["stack config", "environment"] as const) {
    const clientId = read("clientId", from);
    const clientSecret = read("clientSecret", from);
    const publicKey = read("publicKey", from);
    const privateKey = read("privateKey", from);
    if (clientId && clientSecret) return { kind: "serviceAccount", clientId, clientSecret };
    if (publicKey && privateKey) return { kind: "apiKey", publicKey, privateKey };

    const incomplete = halves.filter(([given]) => read(given, from) !== undefined);
    if (incomplete.length === 0) continue;
    for (const [given, missing] of incomplete) {
      problems.push(
        from === "stack config"
          ? `${SETTINGS[missing].config} is missing (${SETTINGS[given].config} is set in stack config, ` +
              "and a pair is never completed from the environment)"
          : `${names(missing)} is missing (${given} is set)`,
      );
    }
    return undefined;
  }
  problems.push(
    "no Atlas credentials: set a service account (" +
      `${names("clientId")}, and ${names("clientSecret")}) or an API key (` +
      `${names("publicKey")}, and ${names("privateKey")})`,
  );
  return undefined;
}

/** Hosts for which plain `http://` is allowed: nothing leaves the machine. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Why a base URL is refused, or undefined when it is fine. The URL itself is never echoed: it may
 * carry a password.
 */
function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL | undefined;
  try {
    url = /^https?:\/\/[^/\s]+/.test(baseUrl) ? new URL(baseUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === "") return "must be an http(s) URL";
  if (url.username !== "" || url.password !== "") {
    return "must not carry credentials (user:pass@); set a service account or API key instead";
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return `must use https unless it is a loopback address (the credentials would travel in clear): ${url.hostname}`;
  }
  return undefined;
}

/** The provider's configuration (stack config or environment) is missing or invalid. */
export class ProviderConfigError extends Error {
  override readonly name = "ProviderConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid provider configuration: ${problems.join("; ")}`);
  }
}
