import type { ServerResponse } from "http";

import type { Emulator } from "./emulator-state";
import { send } from "./http/json-io";

/**
 * Test hooks (admin, not Atlas): watch for requests of one operation, wait until they arrive, and
 * hold their answers until released. They let tests put a kill at an exact moment — a create POST
 * carried out but its answer not yet sent, a job being waited for — without sleeping.
 *
 * - `POST /__emulator/hooks/watches` `{"operationId": "…", "method"?: "POST", "hold"?: 1}` →
 *   `{"id"}`: counts matching authenticated requests from now on; the answers of the first `hold`
 *   of them (default 0) are held once the request has been carried out.
 * - `GET /__emulator/hooks/watches/{id}[?arrived=N&timeoutMs=T]` → `{"id", "operationId",
 *   "arrived", "held"}`; with `arrived`, answers once that many arrived, or after `timeoutMs`
 *   (default 30000) with what it saw.
 * - `POST /__emulator/hooks/watches/{id}/release` `{"mode"?: "answer" | "drop"}` → `{"released"}`:
 *   sends the held answers (or destroys their connections, like `drop-response-after-commit`) and
 *   ends the watch.
 * - `DELETE /__emulator/hooks` → `{"released"}`: answers everything held and ends every watch.
 */

interface Watch {
  readonly id: string;
  readonly operationId: string;
  readonly method?: string;
  hold: number;
  arrived: number;
  readonly held: ((mode: "answer" | "drop") => void)[];
  readonly waiters: (() => void)[];
}

const watches = new WeakMap<Emulator, Map<string, Watch>>();
let nextId = 1;

function of(emulator: Emulator): Map<string, Watch> {
  let map = watches.get(emulator);
  if (!map) watches.set(emulator, (map = new Map()));
  return map;
}

/**
 * Called once an authenticated request has been carried out, before its answer is sent: counts it
 * for every matching watch and, when a watch holds it, resolves only once the watch is released.
 */
export async function hookAnswer(
  emulator: Emulator,
  operationId: string,
  method: string,
): Promise<"answer" | "drop"> {
  let holding: Watch | undefined;
  for (const watch of of(emulator).values()) {
    if (watch.operationId !== operationId || (watch.method !== undefined && watch.method !== method))
      continue;
    watch.arrived++;
    if (!holding && watch.hold > 0) {
      watch.hold--;
      holding = watch;
    }
    for (const wake of watch.waiters.splice(0)) wake();
  }
  if (!holding) return "answer";
  const watch = holding;
  return new Promise((resolve) => watch.held.push(resolve));
}

/** The `/__emulator/hooks` admin endpoints. */
export async function hooksAdmin(
  emulator: Emulator,
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
): Promise<void> {
  const map = of(emulator);
  const path = url.pathname.slice("/__emulator/hooks".length);
  const [, , id, action] = path.split("/");
  const watch = id === undefined ? undefined : map.get(id);
  const view = (w: Watch) => ({
    id: w.id,
    operationId: w.operationId,
    arrived: w.arrived,
    held: w.held.length,
  });
  if (method === "DELETE" && path === "") {
    let released = 0;
    for (const w of map.values()) released += release(w, "answer");
    map.clear();
    return send(res, 200, { released });
  }
  if (method === "POST" && path === "/watches") {
    const request = (body === "" ? {} : JSON.parse(body)) as {
      operationId?: unknown;
      method?: unknown;
      hold?: unknown;
    };
    if (
      typeof request.operationId !== "string" ||
      (request.hold !== undefined && typeof request.hold !== "number")
    ) {
      return send(res, 400, {
        error: "bad admin request",
        problems: ["operationId (string) and hold (number) expected"],
      });
    }
    const created: Watch = {
      id: String(nextId++),
      operationId: request.operationId,
      ...(typeof request.method === "string" ? { method: request.method.toUpperCase() } : {}),
      hold: request.hold ?? 0,
      arrived: 0,
      held: [],
      waiters: [],
    };
    map.set(created.id, created);
    return send(res, 200, { id: created.id });
  }
  if (!watch) return send(res, 404, { error: `no watch: ${id ?? ""}` });
  if (method === "GET" && action === undefined) {
    const wanted = Number(url.searchParams.get("arrived") ?? 0);
    const timeoutMs = Number(url.searchParams.get("timeoutMs") ?? 30_000);
    const deadline = Date.now() + timeoutMs;
    while (watch.arrived < wanted && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        watch.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return send(res, 200, view(watch));
  }
  if (method === "POST" && action === "release") {
    const mode =
      ((body === "" ? {} : JSON.parse(body)) as { mode?: string }).mode === "drop" ? "drop" : "answer";
    map.delete(watch.id);
    return send(res, 200, { released: release(watch, mode) });
  }
  return send(res, 404, { error: `no hooks endpoint: ${method} ${url.pathname}` });
}

function release(watch: Watch, mode: "answer" | "drop"): number {
  watch.hold = 0;
  const held = watch.held.splice(0);
  for (const resolve of held) resolve(mode);
  for (const wake of watch.waiters.splice(0)) wake();
  return held.length;
}
