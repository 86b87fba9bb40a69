import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "crypto";

// The server side of SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), what MongoDB drivers use by
// default. The server keeps only the salted keys; the proof a client sends shows it knows the
// password without sending it.

/** What the server keeps for one user: the salt, iteration count and the two derived keys. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** MongoDB's default iteration count for SCRAM-SHA-256 (`scramSHA256IterationCount`). */
export const ITERATIONS = 15_000;

const hmac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer): Buffer => createHash("sha256").update(data).digest();

/**
 * The credential for a password. The password must be printable ASCII (the seed checks it), which
 * SASLprep leaves as it is, so the client's SASLprep and this derivation agree.
 */
export function scramCredential(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = ITERATIONS,
): ScramCredential {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return { salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(salted, "Server Key") };
}

/** Why a conversation failed; the client is told only "Authentication failed." */
export class ScramError extends Error {
  override readonly name = "ScramError";
}

/** The attributes of a SCRAM message (`n=…,r=…`). */
function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

/** One authentication: `start` answers the client's first message, `finish` checks its proof. */
export class ScramConversation {
  private state:
    | { step: "start" }
    | { step: "proof"; user: string; credential: ScramCredential; nonce: string; authPrefix: string }
    | { step: "done" } = { step: "start" };

  /** @param serverNonce the server's part of the nonce (default: 24 random bytes, base64) */
  constructor(
    private readonly credentialOf: (user: string) => ScramCredential | undefined,
    private readonly serverNonce: () => string = () => randomBytes(24).toString("base64"),
  ) {}

  /** The server-first message for a client-first one; throws for an unknown user or a bad message. */
  start(clientFirst: string): { user: string; serverFirst: string } {
    if (this.state.step !== "start") throw new ScramError("conversation already started");
    // gs2 header: no channel binding ("n,," or "y,,"), no authorization identity.
    const match = /^[ny],,(.*)$/s.exec(clientFirst);
    if (!match) throw new ScramError("unsupported gs2 header");
    const bare = match[1]!;
    const attrs = attributes(bare);
    const user = (attrs.get("n") ?? "").replace(/=2C/g, ",").replace(/=3D/g, "=");
    const clientNonce = attrs.get("r");
    if (!user || !clientNonce) throw new ScramError("client-first message lacks n or r");
    const credential = this.credentialOf(user);
    if (!credential) throw new ScramError("unknown user");
    const nonce = `${clientNonce}${this.serverNonce()}`;
    const serverFirst = `r=${nonce},s=${credential.salt.toString("base64")},i=${credential.iterations}`;
    this.state = { step: "proof", user, credential, nonce, authPrefix: `${bare},${serverFirst}` };
    return { user, serverFirst };
  }

  /** Checks the client-final message's proof; answers the authenticated user and the server-final message. */
  finish(clientFinal: string): { user: string; serverFinal: string } {
    const state = this.state;
    if (state.step !== "proof") throw new ScramError("no conversation to finish");
    this.state = { step: "done" };
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw new ScramError("client-final message lacks a proof");
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get("c") !== "biws" || attrs.get("r") !== state.nonce)
      throw new ScramError("channel binding or nonce mismatch");
    const authMessage = `${state.authPrefix},${withoutProof}`;
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    const signature = hmac(state.credential.storedKey, authMessage);
    if (proof.length !== signature.length) throw new ScramError("proof of the wrong length");
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
    if (!timingSafeEqual(sha256(clientKey), state.credential.storedKey)) throw new ScramError("wrong proof");
    const serverSignature = hmac(state.credential.serverKey, authMessage).toString("base64");
    return { user: state.user, serverFinal: `v=${serverSignature}` };
  }
}
