import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

import { admin } from "../admin/admin-api";
import { unexpectedError } from "../atlas/api-errors";
import { oauth } from "../auth/oauth-endpoint";
import { download } from "../download/endpoint";
import type { Emulator } from "../emulator-state";
import type { RuntimeOptions } from "../options";
import { atlasRoute } from "./atlas-route";
import { readBody, send } from "./json-io";

/** Starts the HTTP server of an emulator on 127.0.0.1. */
export async function listen(emulator: Emulator, port: number): Promise<Server> {
  const initial = emulator.options;
  const server = createServer((req, res) => {
    void handle(emulator, initial, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, unexpectedError(String((error as Error).message)).toBody());
    });
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
  const url = new URL(req.url ?? "/", emulator.baseUrl);
  const method = req.method ?? "GET";
  const body = await readBody(req);
  if (url.pathname.startsWith("/__emulator/")) return admin(emulator, initial, method, url, body, res);
  if (url.pathname === "/api/oauth/token" || url.pathname === "/api/oauth/revoke") {
    return oauth(emulator, method, url.pathname, req, body, res);
  }
  if (url.pathname.startsWith("/download/") && (method === "GET" || method === "HEAD")) {
    return download(emulator, method, url.pathname, res);
  }
  return atlasRoute(emulator, method, url, req, body, res);
}
