import { createHash, randomBytes } from "crypto";

// OAuth 2.0 client credentials (RFC 6749 §4.4) and token revocation (RFC 7009), as Atlas service accounts use
// them. Tokens are opaque random strings; the store keeps only their SHA-256.

/** Credentials from an `Authorization: Basic` value. */
export interface BasicCredentials {
  id: string;
  secret: string;
}

/** Decodes `Authorization: Basic base64(id:secret)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  // RFC 6749 §2.3.1: client id and secret are form-urlencoded before the Basic encoding.
  const id = safeDecode(decoded.slice(0, colon));
  const secret = safeDecode(decoded.slice(colon + 1));
  return { id, secret };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) out[key] = value;
  return out;
}

/** A new random access token. */
export function newAccessToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The SHA-256 (hex) under which a token is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** An RFC 6749 §5.2 error body. */
export interface OAuthErrorBody {
  error: "invalid_request" | "invalid_client" | "unsupported_grant_type" | "invalid_grant";
  error_description: string;
}
