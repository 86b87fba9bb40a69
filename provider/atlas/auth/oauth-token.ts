import { formatDecodeErrors } from "../decode-report";
import { AtlasDecodeError } from "../errors";
import { apiErrorOf, type Exchange, parseJsonBody } from "../transport";
import { TokenResponse } from "../wire";
import type { TokenRequester } from ".";

/** Where Atlas issues service-account access tokens. */
const TOKEN_PATH = "/api/oauth/token";

/**
 * RFC 6749 §2.3.1: the client id and secret are each `application/x-www-form-urlencoded` before
 * they are joined with `:` and Base64-encoded, so a `:` or `%` in either survives the trip.
 */
export function basicClientCredentials(clientId: string, clientSecret: string): string {
  const form = (value: string) => new URLSearchParams([["", value]]).toString().slice(1);
  return `Basic ${Buffer.from(`${form(clientId)}:${form(clientSecret)}`).toString("base64")}`;
}

/**
 * The OAuth client-credentials token request (`POST /api/oauth/token`), sent once over the
 * provider's one {@link Exchange}. It is not retried here: the auth strategy shares one fetch between
 * concurrent requests, and a refusal is final.
 */
export function createTokenRequester(exchange: Exchange): TokenRequester {
  return async (clientId, clientSecret) => {
    const response = await exchange({
      method: "POST",
      path: TOKEN_PATH,
      uri: TOKEN_PATH,
      body: "grant_type=client_credentials",
      pacing: { budgeted: false },
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: basicClientCredentials(clientId, clientSecret),
      },
    });
    const where = `POST ${TOKEN_PATH}`;
    if (response.status !== 200) {
      throw apiErrorOf({ method: "POST", path: TOKEN_PATH }, response, "service account");
    }
    const decoded = TokenResponse.decode(parseJsonBody(response.body, where));
    if (decoded._tag === "Left") throw new AtlasDecodeError(where, formatDecodeErrors(decoded.left));
    return decoded.right;
  };
}
