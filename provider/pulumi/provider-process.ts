import { createAtlasAuth } from "../atlas/auth";
import { createTokenRequester } from "../atlas/auth/oauth-token";
import { createAtlasClient } from "../atlas/client";
import { processRateLimiter, type RequestLimiter } from "../atlas/rate-limiter";
import { createExchange, createHttp } from "../atlas/transport";
import { detectingSpec, noCancelFor } from "../detection/spec";
import { withCancelOnDestroy } from "../kinds/cluster/destroy";
import { clusterSpec } from "../kinds/cluster/spec";
import { withCollectionOutcome } from "../kinds/collection/lifecycle";
import { collectionSpec } from "../kinds/collection/spec";
import { flexSpec } from "../kinds/flex/spec";
import { serverlessSpec } from "../kinds/serverless/spec";
import { defaultJournalDir, fileJournal } from "../restore/journal";
import { createLifecycle } from "../restore/lifecycle";
import type { Logger, Session } from "../restore/types";
import { systemClock } from "../waiting/clock";
import { type ConfigGetter, type ProviderConfig, readProviderConfig } from "./provider-config";

/**
 * The provider's implementation as it runs inside the dynamic-provider process. The serialized
 * provider object loads this module by package name, so nothing here is ever serialized into state:
 * credentials and clients live only in this process.
 */

let stackConfig: ConfigGetter = () => undefined;
let session: Session | undefined;

/** Receives the stack config (secrets decrypted) from the provider's `configure` hook. */
export function configure(get: ConfigGetter): void {
  stackConfig = get;
  session = undefined;
}

/**
 * The engine shows what the provider process prints as the stack's messages; a plain prefix makes
 * ours recognisable (Pulumi's own log adds a confusing `[runtime]` outside the program process).
 */
const log: Logger = {
  info: (message) => console.log(`atlas-restore: ${message}`),
  warn: (message) => console.warn(`warning: atlas-restore: ${message}`),
};

/** Builds the HTTP stack from config and the environment on first use, after `configure`. */
function currentSession(): Session {
  session ??= createSession(readProviderConfig(stackConfig, process.env));
  return session;
}

/** Wires one provider configuration into a session: auth, transport and client. */
export function createSession(
  config: ProviderConfig,
  overrides: Partial<Pick<Session, "clock" | "log" | "journal"> & { limiter: RequestLimiter }> = {},
): Session {
  const clock = overrides.clock ?? systemClock;
  const sessionLog = overrides.log ?? log;
  // One HTTP client and one rate limiter for the whole process: every resource of a stack shares them.
  const who =
    config.credentials.kind === "serviceAccount" ? config.credentials.clientId : config.credentials.publicKey;
  const limiter = overrides.limiter ?? processRateLimiter(`${config.baseUrl} ${who}`);
  const exchange = createExchange({ baseUrl: config.baseUrl, timeoutMs: config.requestTimeoutMs, limiter });
  const auth = createAtlasAuth(config.credentials, { requestToken: createTokenRequester(exchange), clock });
  const send = createHttp({
    exchange,
    auth,
    retry: config.retry,
    clock,
    envelope: config.envelope,
    pretty: config.pretty,
    onRetry: ({ request, attempt, delayMs, reason }) =>
      sessionLog.info(
        `retrying ${request} in ${Math.round(delayMs / 100) / 10} s after ${reason} (attempt ${attempt})`,
      ),
  });
  const journal = overrides.journal ?? fileJournal(defaultJournalDir(process.env));
  return { client: createAtlasClient(send), clock, poll: config.poll, log: sessionLog, journal };
}

/** The lifecycle of `ServerlessRestoreJob`. */
export const serverless = createLifecycle(serverlessSpec, currentSession, systemClock);

/** The lifecycle of `FlexRestoreJob`. */
export const flex = createLifecycle(flexSpec, currentSession, systemClock);

/** The lifecycle of `ClusterRestoreJob`, whose destroy can cancel (`onDestroy`). */
export const cluster = withCancelOnDestroy(
  createLifecycle(clusterSpec, currentSession, systemClock),
  currentSession,
);

/** The lifecycle of `RestoreJob`, which reads the source to pick the kind. */
export const detecting = withCancelOnDestroy(
  createLifecycle(detectingSpec, currentSession, systemClock),
  currentSession,
  noCancelFor,
);

/** The lifecycle of `CollectionRestoreJob`; destroy only forgets (Atlas has no cancel for these jobs). */
export const collection = withCollectionOutcome(
  createLifecycle(collectionSpec, currentSession, systemClock),
  log,
);
