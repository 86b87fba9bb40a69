import type { IncomingMessage, ServerResponse } from "http";

import type { Emulator } from "../emulator-state";
import { send } from "../http/json-io";
import { hashToken, newAccessToken, parseBasicAuth, parseForm } from "./oauth";

// The token endpoints Atlas serves beside its API, for service accounts.

/** `POST /api/oauth/token` (client credentials) and `POST /api/oauth/revoke`. */
export function oauth(
  emulator: Emulator,
  method: string,
  path: string,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): void {
  const operationId = path.endsWith("token") ? "oauthToken" : "oauthRevoke";
  emulator.count(operationId, undefined);
  const now = emulator.clock.now();
  const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
    emulator.log({ method, path, status, operationId, time: new Date(now).toISOString() });
    // RFC 6749 §5.1: token answers must not be cached.
    send(res, status, payload, { "Cache-Control": "no-store", ...headers });
  };
  const fail = (status: number, error: string, description: string) =>
    reply(
      status,
      { error, error_description: description },
      status === 401 ? { "WWW-Authenticate": 'Basic realm="MongoDB Atlas"' } : {},
    );
  if (method !== "POST") return fail(405, "invalid_request", "use POST");
  const form = parseForm(body);
  // RFC 6749 §2.3.1: Basic auth, or (less recommended, still accepted) the form's client_id/client_secret.
  const basic =
    parseBasicAuth(req.headers.authorization) ??
    (form.client_id !== undefined && form.client_secret !== undefined
      ? { id: form.client_id, secret: form.client_secret }
      : undefined);
  const account =
    basic &&
    emulator.store.seed.serviceAccounts.find(
      (a) => a.clientId === basic.id && a.clientSecret === basic.secret,
    );
  if (!account) return fail(401, "invalid_client", "unknown client or wrong secret");
  if (operationId === "oauthRevoke") {
    if (!form.token) return fail(400, "invalid_request", "token is required");
    // RFC 7009 §2.1-2.2: only the client a token was issued to may revoke it, and an unknown, foreign or
    // already revoked token is answered 200 all the same.
    const tokenHash = hashToken(form.token);
    if (emulator.store.token(tokenHash)?.clientId === account.clientId) emulator.store.revokeToken(tokenHash);
    return reply(200, {});
  }
  if (form.grant_type !== "client_credentials")
    return fail(400, "unsupported_grant_type", "only client_credentials");
  const token = newAccessToken();
  const ttl = emulator.options.tokenTtlSeconds;
  emulator.store.addToken(
    { tokenHash: hashToken(token), clientId: account.clientId, expiresAt: now + ttl * 1000 },
    now,
  );
  reply(200, { access_token: token, expires_in: ttl, token_type: "Bearer" });
}
