import type { IncomingMessage, ServerResponse } from "http";

// The HTTP edge shared by every route: JSON answers and request bodies.

/**
 * Writes a JSON answer; a string payload is sent as it is (already formatted). The answer to a `HEAD`
 * has the same headers, `Content-Length` included, and no body (RFC 9110 §9.3.2).
 */
export function send(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    "Content-Type": "application/json",
    ...headers,
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(res.req?.method === "HEAD" ? undefined : text);
}

/** JSON text, indented when `pretty=true` was asked. */
export function prettyJson(payload: unknown, pretty: boolean): string {
  return JSON.stringify(payload, null, pretty ? 2 : undefined);
}

/** A client that went away before its request was read whole: nothing to answer, nothing gone wrong here. */
export class ClientGone extends Error {
  override readonly name = "ClientGone";
}

/** Reads a request body as UTF-8 text; rejects with {@link ClientGone} when the client disconnects first. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    // A request stream fails only when its connection does (Node reports "aborted" / ECONNRESET).
    req.on("error", (error) => reject(new ClientGone(error.message)));
  });
}
