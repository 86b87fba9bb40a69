import { createHash, randomBytes } from "node:crypto";

/**
 * HTTP Digest access authentication (RFC 7616), as Atlas uses it for API keys: the public key is the
 * user name and the private key the password. No well-kept axios digest library exists, so this is
 * our own, pure except for the cnonce.
 */

/** A parsed `WWW-Authenticate: Digest …` challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly qop?: string;
  readonly algorithm: string;
  readonly opaque?: string;
  readonly stale: boolean;
}

/** Parses a Digest challenge; undefined when the header is absent or another scheme. */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^\s*digest\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi;
  const rest = header.replace(/^\s*digest\s/i, "");
  let end = 0;
  for (const match of rest.matchAll(pattern)) {
    // Several challenges may share the header (`Digest …, Basic realm="…"`); the next one starts where
    // something other than a comma separates two parameters, and its parameters are not ours.
    if (/[^\s,]/.test(rest.slice(end, match.index))) break;
    end = match.index + match[0].length;
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!;
  }
  if (params.realm === undefined || params.nonce === undefined) return undefined;
  return {
    realm: params.realm,
    nonce: params.nonce,
    qop: params.qop,
    algorithm: params.algorithm ?? "MD5",
    opaque: params.opaque,
    stale: params.stale?.toLowerCase() === "true",
  };
}

/** Everything that goes into one digest response. */
export interface DigestInput {
  readonly challenge: DigestChallenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The request target exactly as sent: path and query. */
  readonly uri: string;
  /** Requests made with this nonce so far, this one included (1 for the first). */
  readonly nonceCount: number;
  readonly cnonce: string;
}

const HASHES: Record<string, string> = { MD5: "md5", "SHA-256": "sha256", "SHA-512-256": "sha512-256" };

/** The value of the `Authorization` header for one request. */
export function digestAuthorization(input: DigestInput): string {
  const { challenge, username, password, method, uri, cnonce } = input;
  const sess = /-sess$/i.test(challenge.algorithm);
  const baseAlgorithm = challenge.algorithm.replace(/-sess$/i, "").toUpperCase();
  const hashName = HASHES[baseAlgorithm];
  if (!hashName) throw new Error(`unsupported digest algorithm: ${challenge.algorithm}`);
  const h = (text: string) => createHash(hashName).update(text, "utf8").digest("hex");

  const nc = input.nonceCount.toString(16).padStart(8, "0");
  let ha1 = h(`${username}:${challenge.realm}:${password}`);
  if (sess) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const useQop = challenge.qop !== undefined;
  if (
    useQop &&
    !challenge
      .qop!.split(",")
      .map((q) => q.trim())
      .includes("auth")
  ) {
    throw new Error(`unsupported digest qop: ${challenge.qop}`);
  }
  const response = useQop
    ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);

  const fields = [
    `username="${quote(username)}"`,
    `realm="${quote(challenge.realm)}"`,
    `nonce="${quote(challenge.nonce)}"`,
    `uri="${quote(uri)}"`,
    `algorithm=${challenge.algorithm}`,
    ...(useQop ? [`qop=auth`, `nc=${nc}`, `cnonce="${quote(cnonce)}"`] : []),
    `response="${response}"`,
    ...(challenge.opaque !== undefined ? [`opaque="${quote(challenge.opaque)}"`] : []),
  ];
  return `Digest ${fields.join(", ")}`;
}

/** A fresh client nonce. */
export function newCnonce(): string {
  return randomBytes(16).toString("hex");
}

function quote(value: string): string {
  return value.replace(/(["\\])/g, "\\$1");
}
