import assert from "node:assert";

import axios, { type AxiosAdapter } from "axios";

import { defaultSeed } from "../../emulator";
import { createAtlasAuth } from "../../provider/atlas/auth";
import { createTokenRequester } from "../../provider/atlas/auth/oauth-token";
import { createAtlasClient } from "../../provider/atlas/client";
import { createExchange, createHttp } from "../../provider/atlas/transport";
import { readProviderConfig } from "../../provider/pulumi/provider-config";
import { memoryJournal } from "../../provider/restore/journal";
import type { Logger, Session } from "../../provider/restore/types";
import { systemClock } from "../../provider/waiting/clock";
import { assertContract, operationOf } from "../emulator/contract";

/** Wraps axios's own HTTP adapter: each Atlas answer is checked against the contract, its operation recorded. */
export function contractChecking(operations: string[]): AxiosAdapter {
  const http = axios.getAdapter("http");
  return async (config) => {
    const response = await http(config);
    const url = new URL(config.url!, config.baseURL);
    const operation = operationOf(String(config.method).toUpperCase(), url.pathname);
    if (operation) {
      operations.push(operation);
      const text = String(response.data ?? "");
      const type = String(response.headers["content-type"] ?? "");
      if (response.status === 204) assert.strictEqual(text, "", "a 204 has no body");
      else assertContract(operation, response.status, JSON.parse(text), type || undefined);
    }
    return response;
  };
}

/**
 * A provider session against an emulator over real HTTP, as the seed's first service account, with
 * fast polling; every answer is checked against the contract and its operation recorded.
 */
export function contractCheckedSession(
  baseUrl: string,
  operations: string[],
  log: Logger,
  pollEnv: Record<string, string> = { ATLAS_RESTORE_POLL_MIN_DELAY_MS: "100" },
): Session {
  const account = defaultSeed().serviceAccounts[0]!;
  const config = readProviderConfig(() => undefined, {
    MONGODB_ATLAS_BASE_URL: baseUrl,
    MONGODB_ATLAS_CLIENT_ID: account.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
    ...pollEnv,
  });
  const exchange = createExchange({
    baseUrl: config.baseUrl,
    timeoutMs: config.requestTimeoutMs,
    adapter: contractChecking(operations),
  });
  const auth = createAtlasAuth(config.credentials, {
    requestToken: createTokenRequester(exchange),
    clock: systemClock,
  });
  return {
    client: createAtlasClient(createHttp({ exchange, auth, retry: config.retry, clock: systemClock })),
    clock: systemClock,
    poll: config.poll,
    log,
    journal: memoryJournal(),
  };
}
