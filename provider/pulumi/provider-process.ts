import { createAtlasAuth } from "../atlas/auth";
import { createTokenRequester } from "../atlas/auth/oauth-token";
import type { AtlasClient } from "../atlas/client";
import { createAtlasClient } from "../atlas/client";
import { processRateLimiter, type RequestLimiter } from "../atlas/rate-limiter";
import { createExchange, createHttp } from "../atlas/transport";
import { detectingSpec, noCancelFor } from "../detection/spec";
import { cancellableRestore } from "../kinds/cluster/destroy";
import { clusterSpec } from "../kinds/cluster/spec";
import { collectionCompletion, withCollectionWarning } from "../kinds/collection/lifecycle";
import { collectionSpec } from "../kinds/collection/spec";
import { flexSpec } from "../kinds/flex/spec";
import { serverlessSpec } from "../kinds/serverless/spec";
import { defaultJournalDir, fileJournal } from "../restore/journal";
import { createLifecycles } from "../restore/lifecycle";
import { type RecordCompletions, recordLifecycle } from "../restore/record";
import type {
  CommonInputs,
  Journal,
  Logger,
  RestoreJobSpec,
  RestoreLifecycles,
  Session,
} from "../restore/types";
import { systemClock } from "../waiting/clock";
import { type EngineWatch, processProbes, watchEngine } from "./engine-watch";
import { type ConfigGetter, type ProviderConfig, readProviderConfig } from "./provider-config";

/**
 * The provider's implementation as it runs inside the dynamic-provider process. The serialized
 * provider object loads this module by package name, so nothing here is ever serialized into state:
 * credentials and clients live only in this process.
 */

let stackConfig: ConfigGetter = () => undefined;
let session: Session | undefined;
/** The configuration {@link session} was built from, as text; unset where it could not be read. */
let sessionConfig: string | undefined;

/**
 * Receives the stack config (secrets decrypted) from the provider's `configure` hook. Each provider
 * module of the process (every kind's job, the record) is configured in turn, the record's only once
 * the first restore has been waited for: the same config keeps the session, its token and the
 * listings its starts share, so that restores still starting do not list and log in again.
 */
export function configure(get: ConfigGetter): void {
  stackConfig = get;
  if (configText(get) !== sessionConfig) session = undefined;
  watchOnce();
}

/** A configuration as text, to tell whether it changed; undefined if it cannot be read. */
function configText(get: ConfigGetter): string | undefined {
  try {
    return JSON.stringify(readProviderConfig(get, process.env));
  } catch {
    return undefined;
  }
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
  if (session === undefined) {
    const config = readProviderConfig(stackConfig, process.env);
    session = createSession(config);
    sessionConfig = JSON.stringify(config);
  }
  return guarded(session);
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
  return {
    client: createAtlasClient(send),
    clock,
    poll: config.poll,
    log: sessionLog,
    journal,
    databaseCredentials: config.databaseCredentials,
  };
}

/** Thrown instead of calling Atlas once the engine that would record the answer is gone. */
export class EngineGoneError extends Error {
  override readonly name = "EngineGoneError";
  constructor(reason: string) {
    super(`the Pulumi engine is gone; no further Atlas calls: ${reason}`);
  }
}

/** The engine's state as a process sees it, and the Atlas calls still in flight. */
export interface EngineState {
  gone: string | undefined;
  inFlight: number;
}

/** This process's: one engine per provider or program process. */
const processEngine: EngineState = { gone: undefined, inFlight: 0 };

/** Longest wait for calls in flight (a POST's answer worth journaling) once the engine is gone. */
const DRAIN_MS = 15_000;

/**
 * Once the engine is gone: no new Atlas call, no journal deletion (the journal may be all that knows
 * of a job), and the process exits as soon as the calls in flight have settled.
 */
export function engineGone(
  reason: string,
  exit: () => void = () => process.exit(0),
  engine: EngineState = processEngine,
): void {
  if (engine.gone !== undefined) return;
  engine.gone = reason;
  const leave = () => exit();
  if (engine.inFlight === 0) return leave();
  const poll = setInterval(() => {
    if (engine.inFlight === 0) {
      clearInterval(poll);
      leave();
    }
  }, 50);
  setTimeout(() => (clearInterval(poll), leave()), DRAIN_MS).unref();
}

/** The session as the lifecycles see it: every call and journal deletion checked against the engine. */
export function guarded(s: Session, engine: EngineState = processEngine): Session {
  const client = new Proxy(s.client, {
    get(target, key: keyof AtlasClient) {
      const method = target[key] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        // Polls may be shorter than the watch's period: look right before each call as well.
        watch?.checkNow();
        if (engine.gone !== undefined) throw new EngineGoneError(engine.gone);
        engine.inFlight++;
        try {
          return await method.apply(target, args);
        } finally {
          engine.inFlight--;
        }
      };
    },
  });
  const journal: Journal = {
    get: (key) => s.journal.get(key),
    put: (key, intent) => s.journal.put(key, intent),
    delete: (key) => {
      if (engine.gone === undefined) s.journal.delete(key);
    },
  };
  return { ...s, client, journal };
}

let watch: EngineWatch | undefined;

/**
 * Starts the engine watch once: inside Pulumi's dynamic-provider process (the engine's address is its
 * argument), or in a program the CLI runs (Pulumi's runner puts the address in the environment). An
 * Automation API inline program runs in the user's own process, has neither, and is not watched.
 */
export function watchOnce(): void {
  if (watch) return;
  const address = /dynamic-provider/.test(require.main?.filename ?? "")
    ? process.argv[2]
    : process.env.PULUMI_NODEJS_ENGINE;
  if (!address) return;
  watch = watchEngine(processProbes(address), (reason) => engineGone(reason));
}

/**
 * What each kind's record completes itself, by kind (see `RecordCompletion`): a collection restore's
 * outcome by collection, read once per job by the record rather than on every read of the job.
 */
export const RECORD_COMPLETIONS: RecordCompletions = { collection: collectionCompletion };

/**
 * The lifecycles of every kind of restore over one session: the provider process runs their starters,
 * the program their waits (and looks at preview). A new kind is one line here and one resource class.
 */
export function restoreLifecycles(
  session: () => Session,
  messages: Logger,
): Record<string, RestoreLifecycles> {
  const build = <I extends CommonInputs>(spec: RestoreJobSpec<I>) =>
    createLifecycles(spec, session, systemClock, RECORD_COMPLETIONS);
  return {
    serverless: build(serverlessSpec),
    flex: build(flexSpec),
    // Their starters' destroy follows `onDestroy`: cancel a running job, or forget it.
    cluster: cancellableRestore(build(clusterSpec), session),
    detecting: cancellableRestore(build(detectingSpec), session, noCancelFor),
    // Its destroy only forgets: Atlas has no cancel for collection restore jobs.
    collection: withCollectionWarning(build(collectionSpec), messages),
  };
}

/** The lifecycles as the provider process runs them, over the session `configure` set up. */
export const lifecycles = restoreLifecycles(currentSession, log);

/** The provider of every restore's record, over the same session; each kind completes its own outputs. */
export const record = recordLifecycle(
  currentSession,
  (source) => {
    const lifecycle = lifecycles[source.kind];
    if (!lifecycle) throw new Error(`pulumi-atlas-restore has no restore kind: ${source.kind}`);
    return lifecycle.fetch(source.raw);
  },
  RECORD_COMPLETIONS,
);

/**
 * The starters under the names version 0.1's serialized provider calls (`serverless`, `flex`), so
 * that a stack written by 0.1 refreshes, upgrades and destroys with this code.
 */
export const serverless = lifecycles.serverless!.start;
/** See {@link serverless}. */
export const flex = lifecycles.flex!.start;
