import * as pulumi from "@pulumi/pulumi";

import type { Logger, RestoreLifecycles, Session } from "../restore/types";
import { readProviderConfig } from "./provider-config";
import { createSession, guarded, restoreLifecycles } from "./provider-process";

/**
 * Atlas as the program's own process reaches it: for the snapshot look-ups and for the wait of every
 * restore. Credentials follow the provider's rules (stack config first, then the environment), so the
 * program needs the same ones its provider does.
 */

/** Messages of the program's waits, in the same words as the provider's. */
const log: Logger = {
  info: (message) => void pulumi.log.info(`atlas-restore: ${message}`),
  warn: (message) => void pulumi.log.warn(`atlas-restore: ${message}`),
};

/**
 * One session per configuration, so that a stack's restores share one OAuth token and one rate
 * limiter; an Automation API process running several stacks gets one for each configuration.
 */
const sessions = new Map<string, Session>();

/**
 * The session for the current stack's config and the environment. As in the provider, every call is
 * checked against the engine (the restore resources start the watch): once it is gone, a wait makes no
 * further Atlas call and the program exits, since nothing it learns could be recorded.
 */
export function programSession(): Session {
  const config = readProviderConfig((key) => pulumi.runtime.getConfig(key), process.env);
  const key = JSON.stringify(config);
  let session = sessions.get(key);
  if (!session) {
    session = createSession(config, { log });
    sessions.set(key, session);
  }
  return guarded(session);
}

/**
 * Messages of one restore's wait, shown under its job's row (the one resource of the restore the
 * engine has while the job runs).
 */
export function programLog(job: pulumi.Resource): Logger {
  return {
    info: (message) => void pulumi.log.info(`atlas-restore: ${message}`, job),
    warn: (message) => void pulumi.log.warn(`atlas-restore: ${message}`, job),
  };
}

let lifecycles: Record<string, RestoreLifecycles> | undefined;

/** The waits of every kind, over {@link programSession}. */
export function programLifecycles(): Record<string, RestoreLifecycles> {
  lifecycles ??= restoreLifecycles(programSession, log);
  return lifecycles;
}
