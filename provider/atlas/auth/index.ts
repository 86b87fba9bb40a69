import type { Clock } from "../../waiting/clock";
import type { TokenResponse } from "../wire";
import { digestAuthorization, type DigestChallenge, newCnonce, parseDigestChallenge } from "./digest";

/** Atlas credentials: a service account (recommended) or a legacy API key pair. */
export type AtlasCredentials =
  | { readonly kind: "serviceAccount"; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: "apiKey"; readonly publicKey: string; readonly privateKey: string };

/** One request, as far as signing it cares. */
export interface SignableRequest {
  readonly method: string;
  /** Path and query, exactly as sent. */
  readonly uri: string;
}

/**
 * An authentication strategy. The transport asks it for a header before each attempt and tells it
 * about each 401; it never learns how the header was made.
 */
export interface AtlasAuth {
  /** Which kind of credentials, for messages; never a secret. */
  describe(): string;
  /** The `Authorization` header for a request, or undefined when none can be made yet. */
  authorization(request: SignableRequest): Promise<string | undefined>;
  /**
   * Called with a 401's `WWW-Authenticate` and the `Authorization` the refused request carried
   * (undefined when it went out bare); true when one more attempt may succeed.
   */
  unauthorized(wwwAuthenticate: string | undefined, sentAuthorization: string | undefined): boolean;
  /** Called with the `Authorization` of a request that was answered with anything but 401. */
  accepted?(sentAuthorization: string | undefined): void;
}

/** Fetches an OAuth access token with client credentials. */
export type TokenRequester = (clientId: string, clientSecret: string) => Promise<TokenResponse>;

/** What the strategies need from outside. */
export interface AuthDeps {
  readonly requestToken: TokenRequester;
  readonly clock: Clock;
  /** Client nonce source for digest (default: random bytes). */
  readonly cnonce?: () => string;
}

/** Refresh a token this long before Atlas says it expires, to absorb clock skew and slow requests. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

/** Builds the strategy for the given credentials, after checking them. */
export function createAtlasAuth(credentials: AtlasCredentials, deps: AuthDeps): AtlasAuth {
  return credentials.kind === "serviceAccount"
    ? serviceAccountAuth(credentials.clientId, credentials.clientSecret, deps)
    : digestAuth(credentials.publicKey, credentials.privateKey, deps.cnonce ?? newCnonce);
}

function serviceAccountAuth(clientId: string, clientSecret: string, deps: AuthDeps): AtlasAuth {
  let token: { header: string; expiresAt: number; accepted: boolean } | undefined;
  let pending: Promise<string> | undefined;

  // Concurrent requests share one token request instead of each fetching their own.
  const fetchToken = async (): Promise<string> => {
    const answer = await deps.requestToken(clientId, clientSecret);
    const lifetimeMs = (answer.expires_in ?? 3600) * 1000;
    token = {
      header: `Bearer ${answer.access_token}`,
      expiresAt: deps.clock.now() + Math.max(0, lifetimeMs - TOKEN_EXPIRY_MARGIN_MS),
      accepted: false,
    };
    return token.header;
  };

  return {
    describe: () => "service account",
    async authorization() {
      if (token && deps.clock.now() < token.expiresAt) return token.header;
      pending ??= fetchToken().finally(() => (pending = undefined));
      return await pending;
    },
    accepted(sent) {
      if (token && sent === token.header) token.accepted = true;
    },
    unauthorized(_wwwAuthenticate, sent) {
      // Refused with a token that is no longer current: another request has already replaced it (or
      // is fetching its replacement), so retry with that one and keep it.
      if (token === undefined) return pending !== undefined;
      if (sent !== token.header) return true;
      // A token Atlas never accepted means the account itself is refused: another fetch would cost
      // a token request and get the same answer.
      if (!token.accepted) return false;
      // A token that worked before was revoked or expired early: fetch a new one once.
      token = undefined;
      return true;
    },
  };
}

function digestAuth(publicKey: string, privateKey: string, cnonce: () => string): AtlasAuth {
  let challenge: DigestChallenge | undefined;
  let nonceCount = 0;

  return {
    describe: () => "API key",
    async authorization(request) {
      // Without a challenge there is nothing to sign: the first request goes out bare and its 401 brings one.
      if (!challenge) return undefined;
      nonceCount += 1;
      return digestAuthorization({
        challenge,
        username: publicKey,
        password: privateKey,
        method: request.method,
        uri: request.uri,
        nonceCount,
        cnonce: cnonce(),
      });
    },
    unauthorized(wwwAuthenticate, sentAuthorization) {
      const next = parseDigestChallenge(wwwAuthenticate);
      if (!next) return false;
      // Judge the refused request itself, not the last one signed: requests sent bare at the same time
      // come back after another has already signed. A signed request refused without `stale`, or with
      // the nonce it used, means the key itself is wrong.
      const sentNonce =
        sentAuthorization === undefined ? undefined : (parseDigestChallenge(sentAuthorization)?.nonce ?? "");
      const refused = sentNonce !== undefined && (sentNonce === next.nonce || !next.stale);
      challenge = next;
      nonceCount = 0;
      return !refused;
    },
  };
}
