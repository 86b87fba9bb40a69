import { createHash, randomBytes } from "crypto";

// HTTP Digest as Atlas serves it (RFC 7616, qop "auth"): Atlas challenges with MD5 only, and clients may
// answer with MD5 or SHA-256 (and their -sess variants), which this module verifies.

/** The realm Atlas puts in its challenges. */
export const DIGEST_REALM = "MMS Public API";

/** Digest algorithms accepted in a client's answer. */
export type DigestAlgorithm = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess";

const ALGORITHMS: readonly string[] = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"];

/** The `WWW-Authenticate` value of a challenge, formatted exactly like Atlas's. */
export function digestChallenge(nonce: string, stale: boolean): string {
  return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
}

/** Parses the parameters of an `Authorization: Digest …` value (quoted or token values). */
export function parseDigestParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = (m[1] as string).toLowerCase();
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] as string);
  }
  return params;
}

/** What the answer to a challenge must contain, per RFC 7616 §3.4.1. */
export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
  qop: string;
}

/** Computes the `response` a client with the right password sends. */
export function expectedDigestResponse(i: DigestInputs): string {
  const h = (s: string): string =>
    createHash(i.algorithm.startsWith("SHA-256") ? "sha256" : "md5")
      .update(s)
      .digest("hex");
  let ha1 = h(`${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith("-sess")) ha1 = h(`${ha1}:${i.nonce}:${i.cnonce}`);
  const ha2 = h(`${i.method}:${i.uri}`);
  return h(`${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`);
}

/** Nonces the emulator issued, when, and the nonce counts already used with each. */
export class NonceBook {
  private readonly nonces = new Map<string, { issuedAt: number; usedCounts: Set<number> }>();

  /** Issues a fresh nonce at `now`, dropping those older than `ttlMs`. */
  issue(now: number, ttlMs: number): string {
    for (const [nonce, entry] of this.nonces) if (entry.issuedAt + ttlMs <= now) this.nonces.delete(nonce);
    const nonce = randomBytes(24).toString("base64");
    this.nonces.set(nonce, { issuedAt: now, usedCounts: new Set() });
    return nonce;
  }

  /** `fresh`, or `stale` when expired or unknown (e.g. issued before a restart). */
  status(nonce: string, now: number, ttlMs: number): "fresh" | "stale" {
    const entry = this.nonces.get(nonce);
    return entry && entry.issuedAt + ttlMs > now ? "fresh" : "stale";
  }

  /**
   * Records a nonce count; false when it was already used with this nonce (a replay). Counts may arrive out
   * of order, as parallel requests sharing one nonce do.
   */
  useCount(nonce: string, nc: number): boolean {
    const entry = this.nonces.get(nonce);
    if (!entry || entry.usedCounts.has(nc)) return false;
    entry.usedCounts.add(nc);
    return true;
  }

  /** Forgets every nonce. */
  clear(): void {
    this.nonces.clear();
  }
}

/** The outcome of checking a digest answer. `stale` tells the client to retry with a new nonce. */
export type DigestVerdict = { ok: true; username: string } | { ok: false; stale: boolean; reason: string };

/**
 * Verifies an `Authorization: Digest …` value for a request.
 * @param requestUri the request target as sent on the request line (path and query)
 * @param passwordOf the private key of a public key, if the key exists
 */
export function verifyDigest(
  header: string,
  method: string,
  requestUri: string,
  passwordOf: (username: string) => string | undefined,
  nonces: NonceBook,
  now: number,
  nonceTtlMs: number,
): DigestVerdict {
  const p = parseDigestParams(header.replace(/^Digest\s+/i, ""));
  const fail = (reason: string): DigestVerdict => ({ ok: false, stale: false, reason });
  for (const key of ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"]) {
    if (!p[key]) return fail(`digest answer lacks a parameter: ${key}`);
  }
  const algorithm = p["algorithm"] ?? "MD5";
  if (!ALGORITHMS.includes(algorithm)) return fail(`unsupported digest algorithm: ${algorithm}`);
  if (p["qop"] !== "auth") return fail(`unsupported qop: ${p["qop"]}`);
  if (p["realm"] !== DIGEST_REALM) return fail(`wrong realm: ${p["realm"]}`);
  if (!sameRequestTarget(p["uri"] as string, requestUri)) {
    return fail(`digest uri does not match the request: ${p["uri"]}`);
  }
  if (!/^[0-9a-fA-F]{8}$/.test(p["nc"] as string)) return fail(`malformed nonce count: ${p["nc"]}`);
  const username = p["username"] as string;
  const password = passwordOf(username);
  if (password === undefined) return fail(`unknown public key: ${username}`);
  const expected = expectedDigestResponse({
    algorithm: algorithm as DigestAlgorithm,
    username,
    realm: DIGEST_REALM,
    password,
    method,
    // The client hashed the uri it sent in the header; it was just checked to name this request's target.
    uri: p["uri"] as string,
    nonce: p["nonce"] as string,
    nc: p["nc"] as string,
    cnonce: p["cnonce"] as string,
    qop: "auth",
  });
  if (expected !== (p["response"] as string).toLowerCase())
    return fail(`wrong digest response for key: ${username}`);
  // Only a correct answer earns stale=true: the client knows the password and just needs a new nonce.
  if (nonces.status(p["nonce"] as string, now, nonceTtlMs) === "stale") {
    return { ok: false, stale: true, reason: "nonce expired or unknown" };
  }
  if (!nonces.useCount(p["nonce"] as string, parseInt(p["nc"] as string, 16))) {
    return fail(`nonce count reused: ${p["nc"]}`);
  }
  return { ok: true, username };
}

/**
 * Whether a digest `uri` names the request target: the same text, or the same path and query once
 * percent-encoding is normalised (clients differ in what they escape).
 */
export function sameRequestTarget(digestUri: string, requestTarget: string): boolean {
  if (digestUri === requestTarget) return true;
  const normal = (target: string): string | undefined => {
    try {
      const url = new URL(target, "http://emulator.invalid");
      return decodeURIComponent(url.pathname) + decodeURIComponent(url.search);
    } catch {
      return undefined;
    }
  };
  const a = normal(digestUri);
  return a !== undefined && a === normal(requestTarget);
}
