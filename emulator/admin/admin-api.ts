import type { ServerResponse } from "http";

import type { Emulator } from "../emulator-state";
import { send } from "../http/json-io";
import { mergeOptions, OptionsError, type RuntimeOptions } from "../options";
import { isBeingRestored, jobProgress, restoresInto } from "../state/restore-jobs";
import { jobChange } from "./job-change";

/**
 * The admin endpoints under `/__emulator/` (not part of Atlas, no auth): reset, options, the request
 * log and counters, jobs, a cluster's restored state, snapshot failures and the clock.
 */
export function admin(
  emulator: Emulator,
  initial: RuntimeOptions,
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
): void {
  const path = url.pathname.slice("/__emulator".length);
  const json = (): unknown => (body === "" ? {} : JSON.parse(body));
  const now = emulator.clock.now();
  // Paths with an id are reduced to a template, so one switch routes everything.
  const id = /^\/(?:jobs|snapshots)\/([^/]+)/.exec(path)?.[1];
  const route = `${method} ${id === undefined ? path : path.replace(id, "{id}")}`;
  try {
    switch (route) {
      case "POST /reset":
        emulator.reset(initial);
        return send(res, 200, { reset: true });
      case "GET /options":
        return send(res, 200, emulator.options);
      case "PATCH /options":
        emulator.setOptions(mergeOptions(emulator.options, json()));
        return send(res, 200, emulator.options);
      case "GET /requests":
        return send(res, 200, { requests: emulator.requests });
      case "GET /counters":
        return send(res, 200, emulator.counters);
      case "GET /jobs":
        return send(res, 200, {
          jobs: emulator.store.state.jobs.map((job) => ({ ...job, phase: jobProgress(job, now).phase })),
        });
      case "PATCH /jobs/{id}": {
        const change = jobChange(json());
        const updated = emulator.store.updateJob(id!, (job) => ({
          ...job,
          ...(change.expired === true ? { expiredAt: now } : {}),
          ...(change.cancelled === true ? { cancelledAt: now } : {}),
          ...(change.failed === true
            ? { fails: true, durationMs: Math.min(job.durationMs, now - job.createdAt) }
            : {}),
        }));
        if (!updated) return send(res, 404, { error: `no such job: ${id}` });
        return send(res, 200, { ...updated, phase: jobProgress(updated, now).phase });
      }
      case "POST /snapshots/{id}/fail-restores":
        emulator.store.setFailRestores(id!, (json() as { fail?: boolean }).fail ?? true);
        return send(res, 200, { failRestores: true });
      case "POST /clock": {
        const advanceMs = (json() as { advanceMs?: unknown }).advanceMs;
        // Only forward: jobs and tokens are computed from timestamps, and going back would un-finish them.
        if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs) || advanceMs < 0) {
          throw new OptionsError(["advanceMs must be a number of milliseconds >= 0"]);
        }
        emulator.clock.offsetMs += advanceMs;
        emulator.store.setClockOffset(emulator.clock.offsetMs);
        return send(res, 200, { now: new Date(emulator.clock.now()).toISOString() });
      }
      default:
        if (method === "GET" && path.startsWith("/clusters/"))
          return cluster(emulator, path, url.searchParams.get("kind"), now, res);
        return send(res, 404, { error: `no admin endpoint: ${method} ${path}` });
    }
  } catch (error) {
    const problems = error instanceof OptionsError ? error.problems : [(error as Error).message];
    send(res, 400, { error: "bad admin request", problems });
  }
}

/**
 * `GET /__emulator/clusters/{groupId}/{name}[?kind=serverless|flex]`: what a serverless instance or
 * flex cluster now holds (a name may exist as both; `kind` picks, serverless first).
 */
function cluster(
  emulator: Emulator,
  path: string,
  only: string | null,
  now: number,
  res: ServerResponse,
): void {
  const [, , groupId, name] = path.split("/");
  for (const kind of (["serverless", "flex"] as const).filter((k) => only === null || k === only)) {
    if (!emulator.store.cluster(kind, groupId!, name!)) continue;
    const restores = restoresInto(emulator.store.state.jobs, kind, groupId!, name!, now);
    const last = restores[restores.length - 1];
    return send(res, 200, {
      name,
      groupId,
      kind,
      stateName: isBeingRestored(emulator.store.state.jobs, kind, groupId!, name!, now) ? "UPDATING" : "IDLE",
      restores,
      restoredSnapshotId: last?.snapshotId ?? null,
      restoredFromJobId: last?.jobId ?? null,
      restoredAt: last?.restoredAt ?? null,
    });
  }
  send(res, 404, { error: `no cluster: ${groupId}/${name}` });
}
