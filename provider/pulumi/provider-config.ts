import type { AtlasCredentials } from "../atlas/auth";
import { defaultRetryPolicy, type RetryPolicy } from "../atlas/retry-policy";
import { pollDefaults } from "../waiting/poll";

/** Everything the provider process needs to talk to Atlas, read from stack config or the environment. */
export interface ProviderConfig {
  readonly baseUrl: string;
  readonly credentials: AtlasCredentials;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly poll: { readonly minDelayMs: number; readonly maxDelayMs: number };
  readonly envelope: boolean;
  readonly pretty: boolean;
}

/** Reads one stack config value by its full key, e.g. `mongodbatlas:clientId`. */
export type ConfigGetter = (key: string) => string | undefined;

/** Atlas's public endpoint. */
export const DEFAULT_BASE_URL = "https://cloud.mongodb.com";

/** Default per-request timeout: Atlas answers within seconds; a minute means the network is stuck. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Where each setting comes from: stack config keys (the official Pulumi Atlas provider's where they
 * exist) first, then environment variables in order. Documented in the README's "Configuration".
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
 * Service accounts win when both kinds of credentials are set. All problems are reported at once,
 * naming keys, never values.
 */
export function readProviderConfig(
  get: ConfigGetter,
  env: Record<string, string | undefined>,
): ProviderConfig {
  const problems: string[] = [];
  const read = (setting: Setting): string | undefined => {
    const source = SETTINGS[setting];
    const fromConfig = get(source.config);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    for (const name of source.env) {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
    }
    return undefined;
  };
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

  const credentials = readCredentials(read, names, problems);
  const baseUrl = read("baseUrl") ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl)) problems.push(`${names("baseUrl")} must be an http(s) URL`);
  const minDelayMs = integer("pollMinDelayMs", pollDefaults.minDelayMs, 1);
  const maxDelayMs = integer("pollMaxDelayMs", Math.max(pollDefaults.maxDelayMs, minDelayMs), minDelayMs);
  const config = {
    baseUrl,
    requestTimeoutMs: integer("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 1),
    retry: { ...defaultRetryPolicy, maxAttempts: integer("maxAttempts", defaultRetryPolicy.maxAttempts, 1) },
    poll: { minDelayMs, maxDelayMs },
    envelope: flag("envelope"),
    pretty: flag("pretty"),
  };
  if (problems.length > 0 || credentials === undefined) throw new ProviderConfigError(problems);
  return { ...config, credentials };
}

function readCredentials(
  read: (setting: Setting) => string | undefined,
  names: (setting: Setting) => string,
  problems: string[],
): AtlasCredentials | undefined {
  const clientId = read("clientId");
  const clientSecret = read("clientSecret");
  const publicKey = read("publicKey");
  const privateKey = read("privateKey");
  if (clientId && clientSecret) return { kind: "serviceAccount", clientId, clientSecret };
  if (publicKey && privateKey) return { kind: "apiKey", publicKey, privateKey };

  const halves: [Setting, string | undefined, Setting][] = [
    ["clientId", clientId, "clientSecret"],
    ["clientSecret", clientSecret, "clientId"],
    ["publicKey", publicKey, "privateKey"],
    ["privateKey", privateKey, "publicKey"],
  ];
  const incomplete = halves.filter(([, value]) => value !== undefined);
  if (incomplete.length > 0) {
    for (const [given, , missing] of incomplete)
      problems.push(`${names(missing)} is missing (${given} is set)`);
  } else {
    problems.push(
      "no Atlas credentials: set a service account (" +
        `${names("clientId")}, and ${names("clientSecret")}) or an API key (` +
        `${names("publicKey")}, and ${names("privateKey")})`,
    );
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
