import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";
import type { Socket } from "net";

import { admin } from "../admin/admin-api";
import { type ApiError, invalidRequestTarget, unparsableRequest } from "../atlas/api-errors";
import { oauth } from "../auth/oauth-endpoint";
import { download } from "../download/endpoint";
import type { Emulator } from "../emulator-state";
import type { RuntimeOptions } from "../options";
import { atlasRoute, refusal } from "./atlas-route";
import { ClientGone, readBody, send } from "./json-io";

/** Starts the HTTP server of an emulator on 127.0.0.1. */
export async function listen(emulator: Emulator, port: number): Promise<Server> {
  const initial = emulator.options;
  const server = createServer((req, res) => {
    void handle(emulator, initial, req, res).catch((error: unknown) => {
      if (error instanceof ClientGone) {
        req.socket.destroy();
        return;
      }
      const apiError = emulator.asApiError(error);
      if (!res.headersSent) send(res, apiError.status, apiError.toBody(), apiError.headers);
      else res.destroy();
    });
  });
  server.on("clientError", refuseUnparsable);
  // Clients decide when an idle connection ends: a server closing it first races a client reusing it
  // (ECONNRESET on a busy machine), as a load balancer's idle timeout above its clients' avoids.
  server.keepAliveTimeout = 120_000;
  // Node hands a CONNECT over as a tunnel, unanswered unless someone listens: the emulator is no proxy.
  server.on("connect", (req: IncomingMessage, socket: Socket) => {
    const url = requestUrl(req.url ?? "", emulator.baseUrl);
    answerRaw(socket, url ? refusal("CONNECT", url.pathname) : invalidRequestTarget());
  });
  await new Promise<void>((resolve, reject) => {
    // Without this, a port already in use would leave the caller waiting forever.
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`emulator cannot listen on 127.0.0.1 (${error.code ?? error.message}): port ${port}`)),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  emulator.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}

/** Sends a request to the admin API, the OAuth endpoints, a download link or the Atlas API. */
async function handle(
  emulator: Emulator,
  initial: RuntimeOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? "GET";
  const url = requestUrl(req.url ?? "/", emulator.baseUrl);
  if (!url) {
    const error = invalidRequestTarget();
    await readBody(req);
    return send(res, error.status, error.toBody(), error.headers);
  }
  let body: string;
  try {
    body = await readBody(req);
  } catch (error) {
    if (!(error instanceof ClientGone)) throw error;
    // Not an emulator failure: the request log shows it went unanswered (admin calls are never logged).
    if (!url.pathname.startsWith("/__emulator/"))
      emulator.log({
        method,
        path: url.pathname,
        status: "reset",
        time: new Date(emulator.clock.now()).toISOString(),
      });
    req.socket.destroy();
    return;
  }
  if (url.pathname.startsWith("/__emulator/")) return admin(emulator, initial, method, url, body, res);
  if (url.pathname === "/api/oauth/token" || url.pathname === "/api/oauth/revoke") {
    return oauth(emulator, method, url.pathname, req, body, res);
  }
  if (url.pathname.startsWith("/download/") && (method === "GET" || method === "HEAD")) {
    return download(emulator, method, url.pathname, res);
  }
  return atlasRoute(emulator, method, url, req, body, res);
}

/** The request's URL, or undefined when the target is not one (`//`, `http://[::1`, a port over 65535). */
function requestUrl(target: string, baseUrl: string): URL | undefined {
  // An origin-form target must start with one "/": "//x" would be read as a host.
  if (!target.startsWith("/") ? !/^https?:\/\//i.test(target) : target.startsWith("//")) return undefined;
  try {
    return new URL(target, baseUrl);
  } catch {
    return undefined;
  }
}

/**
 * What Node's HTTP parser refuses (headers or URL over its 16 KiB limit, bytes that are not HTTP) is
 * answered in Atlas's error shape instead of Node's bare status line; the connection then closes.
 */
function refuseUnparsable(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  answerRaw(
    socket,
    error.code === "HPE_HEADER_OVERFLOW"
      ? unparsableRequest(431, "The request line and headers exceed 16 KiB.")
      : unparsableRequest(400, "The request is not valid HTTP/1.1."),
  );
}

/** Answers on a socket no `ServerResponse` owns, in Atlas's error shape, then closes the connection. */
function answerRaw(socket: Socket, apiError: ApiError): void {
  // A socket Node no longer owns (CONNECT) has no error listener: a client's reset must not end the process.
  socket.on("error", () => socket.destroy());
  const text = JSON.stringify(apiError.toBody());
  const headers = { ...apiError.headers, "Content-Type": "application/json" };
  socket.end(
    `HTTP/1.1 ${apiError.status} ${apiError.toBody().reason}\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("") +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
  // Reading on until the client closes avoids a reset that would discard the answer in flight.
  socket.resume();
  socket.setTimeout(5000, () => socket.destroy());
}
