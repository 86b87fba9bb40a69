import type { IncomingMessage } from "http";

import { unauthorized } from "../atlas/api-errors";
import type { Caller } from "../atlas/operation-context";
import type { Emulator } from "../emulator-state";
import { digestChallenge, verifyDigest } from "./digest";
import { hashToken } from "./oauth";

/** Digest (API keys) or Bearer (service accounts); a 401 with a fresh challenge otherwise. */
export function authenticate(emulator: Emulator, req: IncomingMessage, url: URL, now: number): Caller {
  const header = req.headers.authorization ?? "";
  const challenge = (stale: boolean) => ({
    "WWW-Authenticate": digestChallenge(emulator.nonces.issue(now, emulator.options.nonceTtlMs), stale),
  });
  if (/^Bearer\s+/i.test(header)) {
    const token = emulator.store.token(hashToken(header.replace(/^Bearer\s+/i, "").trim()));
    const account = token && emulator.store.seed.serviceAccounts.find((a) => a.clientId === token.clientId);
    if (!token || !account || token.expiresAt <= now)
      throw unauthorized(challenge(false), "Invalid or expired access token.");
    return { id: account.clientId, projects: account.projects };
  }
  if (/^Digest\s+/i.test(header)) {
    const keys = emulator.store.seed.apiKeys;
    const verdict = verifyDigest(
      header,
      req.method ?? "GET",
      // RFC 7616 §3.4.6: the digest covers the request target exactly as sent on the request line.
      req.url ?? url.pathname + url.search,
      (user) => keys.find((k) => k.publicKey === user)?.privateKey,
      emulator.nonces,
      now,
      emulator.options.nonceTtlMs,
    );
    if (verdict.ok) {
      const key = keys.find((k) => k.publicKey === verdict.username)!;
      return { id: key.publicKey, projects: key.projects };
    }
    throw unauthorized(challenge(verdict.stale));
  }
  throw unauthorized(challenge(false));
}
