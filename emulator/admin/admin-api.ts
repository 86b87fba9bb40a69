import type { ServerResponse } from "http";

import { ApiError, invalidParameter } from "../atlas/api-errors";
import { OBJECT_ID_PATTERN } from "../atlas/ids";
import { MAX_DATE_MS } from "../clock";
import type { Emulator, ReleaseMode } from "../emulator-state";
import { send } from "../http/json-io";
import { mergeOptions, OptionsError, type RuntimeOptions } from "../options";
import { collectionJobProgress } from "../state/collection-restores";
import { isBeingRestored, jobProgress, restoresInto, type StoredJob } from "../state/restore-jobs";
import { type JobChange, jobChange } from "./job-change";

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
  const now = emulator.clock.now();
  // Paths with an id are reduced to a template, so one switch routes everything.
  const id = /^\/(?:jobs|snapshots|collection-jobs)\/([^/]+)/.exec(path)?.[1];
  const route = `${method} ${id === undefined ? path : path.replace(id, "{id}")}`;
  try {
    switch (route) {
      case "POST /reset":
        adminBody(body, []);
        emulator.reset(initial);
        return send(res, 200, { reset: true });
      case "GET /options":
        return send(res, 200, emulator.options);
      case "PATCH /options":
        emulator.setOptions(mergeOptions(emulator.options, parseJson(body)));
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
        checkId("jobId", id!);
        const change = jobChange(parseJson(body));
        const updated = emulator.store.updateJob(id!, (job) => applyJobChange(job, change, now));
        if (!updated)
          throw new ApiError(404, "RESTORE_JOB_NOT_FOUND", `No restore job with ID: ${id}`, [id!]);
        return send(res, 200, { ...updated, phase: jobProgress(updated, now).phase });
      }
      case "POST /snapshots/{id}/fail-restores": {
        checkId("snapshotId", id!);
        const { fail = true } = adminBody(body, ["fail"]);
        if (typeof fail !== "boolean") throw adminProblems(["fail must be true or false"]);
        if (!emulator.store.hasSnapshot(id!))
          throw new ApiError(404, "SNAPSHOT_NOT_FOUND", `No snapshot with ID: ${id}`, [id!]);
        emulator.store.setFailRestores(id!, fail);
        return send(res, 200, { snapshotId: id, failRestores: fail });
      }
      case "POST /clock": {
        const { advanceMs } = adminBody(body, ["advanceMs"]);
        // Only forward: jobs and tokens are computed from timestamps, and going back would un-finish them.
        // Checked before anything changes, so a refused advance leaves the clock and the state file as they were.
        if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs) || advanceMs < 0) {
          throw adminProblems(["advanceMs must be a number of milliseconds >= 0"]);
        }
        if (now + advanceMs > MAX_DATE_MS) {
          throw adminProblems([
            `advanceMs must keep the clock at or before ${new Date(MAX_DATE_MS).toISOString()}`,
          ]);
        }
        emulator.store.setClockOffset(emulator.clock.offsetMs + advanceMs);
        emulator.clock.offsetMs += advanceMs;
        return send(res, 200, { now: new Date(emulator.clock.now()).toISOString() });
      }
      case "GET /collection-jobs":
        return send(res, 200, {
          jobs: (emulator.store.state.collectionJobs ?? []).map((job) => ({
            ...job,
            state: collectionJobProgress(job, now).state,
          })),
        });
      case "PATCH /collection-jobs/{id}": {
        checkId("jobId", id!);
        const { cancelled, failed } = adminBody(body, ["cancelled", "failed"]);
        if ((cancelled !== undefined && cancelled !== true) || (failed !== undefined && failed !== true))
          throw adminProblems(["cancelled and failed can only be set to true"]);
        if (cancelled === undefined && failed === undefined)
          throw adminProblems(["a change needs cancelled or failed"]);
        const updated = emulator.store.updateCollectionJob(id!, (job) => ({
          ...job,
          ...(cancelled ? { cancelledAt: now } : {}),
          ...(failed ? { failedAt: now } : {}),
        }));
        if (!updated)
          throw new ApiError(404, "RESTORE_JOB_NOT_FOUND", `No collection restore job with ID: ${id}`, [id!]);
        return send(res, 200, { ...updated, state: collectionJobProgress(updated, now).state });
      }
      case "GET /held":
        return held(emulator, url, res);
      case "POST /held/release":
        return send(res, 200, { released: emulator.release(undefined, releaseMode(body)) });
      default:
        if (method === "POST" && /^\/held\/[^/]+\/release$/.test(path)) {
          const heldId = path.split("/")[2]!;
          const released = emulator.release(heldId, releaseMode(body));
          if (released.length === 0)
            throw new ApiError(404, "RESOURCE_NOT_FOUND", `No held request with ID: ${heldId}`, [heldId]);
          return send(res, 200, { released });
        }
        if (method === "GET" && path.startsWith("/arrivals/")) return arrivals(emulator, path, url, res);
        if (method === "PUT" && path.startsWith("/collection-outcomes/")) {
          const [, , groupId, clusterName, namespace, ...rest] = path.split("/");
          if (!groupId || !clusterName || !namespace || rest.length > 0 || !/^[^.]+\..+$/.test(namespace))
            throw adminProblems([
              "the path must be /collection-outcomes/{groupId}/{clusterName}/{db.collection}",
            ]);
          const { outcome } = adminBody(body, ["outcome"]);
          if (outcome !== null && outcome !== "NOT_FOUND" && outcome !== "INDEX_BUILD_FAILED")
            throw adminProblems(["outcome must be NOT_FOUND, INDEX_BUILD_FAILED or null"]);
          if (!emulator.store.cluster("cluster", groupId, clusterName))
            throw new ApiError(
              404,
              "CLUSTER_NOT_FOUND",
              `No cluster named ${clusterName} exists in group ${groupId}.`,
              [clusterName, groupId],
            );
          emulator.store.setCollectionOutcome(groupId, clusterName, namespace, outcome);
          return send(res, 200, { groupId, clusterName, namespace, outcome });
        }
        if (method === "GET" && path.startsWith("/clusters/"))
          return cluster(emulator, path, url.searchParams.get("kind"), now, res);
        throw new ApiError(404, "RESOURCE_NOT_FOUND", `No admin endpoint: ${method} ${path}`, [method, path]);
    }
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : error instanceof OptionsError
          ? adminProblems(error.problems)
          : adminProblems([(error as Error).message]);
    send(res, apiError.status, apiError.toBody());
  }
}

/** A stored job after an admin change, at `now`. */
function applyJobChange(job: StoredJob, change: JobChange, now: number): StoredJob {
  const next = { ...job };
  if (change.expired) next.expiredAt = now;
  if (change.cancelled) next.cancelledAt = now;
  if (change.held === true && next.heldAt === undefined) next.heldAt = now;
  if (change.held === false && next.heldAt !== undefined) {
    next.heldMs = (next.heldMs ?? 0) + (now - next.heldAt);
    delete next.heldAt;
  }
  if (change.failed || change.completed) {
    // Ends now (or keeps an earlier end): the held time so far counts as spent.
    if (next.heldAt !== undefined) {
      next.heldMs = (next.heldMs ?? 0) + (now - next.heldAt);
      delete next.heldAt;
    }
    next.durationMs = Math.max(0, Math.min(next.durationMs, now - next.createdAt - (next.heldMs ?? 0)));
    next.fails = change.failed === true;
  }
  return next;
}

/**
 * `GET /__emulator/arrivals/{operationId}?count=N&timeoutMs=T`: answers once the operation has been
 * requested N times (default 1) since the start or the last reset, or 408 after T real ms (default
 * 10000): tests wait for a client's request without polling.
 */
function arrivals(emulator: Emulator, path: string, url: URL, res: ServerResponse): void {
  const operationId = path.slice("/arrivals/".length);
  const { count, timeoutMs } = waitParams(url, operationId, "1");
  const answer = () => ({ operationId, count: emulator.counters.byOperation[operationId] ?? 0 });
  answerWhen(
    res,
    emulator.arrival(operationId, count),
    timeoutMs,
    `No ${count} requests arrived`,
    operationId,
    answer,
  );
}

/**
 * `GET /__emulator/held[?operationId=X&count=N&timeoutMs=T]`: the requests held now (of one operation
 * when given); with `count`, answers once that many are held at once, or 408 after T real ms.
 */
function held(emulator: Emulator, url: URL, res: ServerResponse): void {
  const operationId = url.searchParams.get("operationId") ?? undefined;
  const { count, timeoutMs } = waitParams(url, operationId, "0");
  const answer = () => ({ held: emulator.heldRequests(operationId) });
  if (count === 0) return send(res, 200, answer());
  const what = operationId ?? "any operation";
  answerWhen(res, emulator.holding(operationId, count), timeoutMs, `No ${count} requests held`, what, answer);
}

/** The `count` and `timeoutMs` of a waiting admin call, checked with its `operationId` (if any). */
function waitParams(
  url: URL,
  operationId: string | undefined,
  defaultCount: string,
): { count: number; timeoutMs: number } {
  const count = Number(url.searchParams.get("count") ?? defaultCount);
  const timeoutMs = Number(url.searchParams.get("timeoutMs") ?? "10000");
  const least = Number(defaultCount);
  const problems = [
    ...(operationId !== undefined && !/^[A-Za-z]+$/.test(operationId)
      ? ["operationId must be an operationId"]
      : []),
    ...(!Number.isInteger(count) || count < least ? [`count must be an integer >= ${least}`] : []),
    ...(!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 600_000
      ? ["timeoutMs must be an integer from 0 to 600000"]
      : []),
  ];
  if (problems.length > 0) throw adminProblems(problems);
  return { count, timeoutMs };
}

/**
 * Answers `answer()` once `ready` resolves, or a 408 TIMEOUT after `timeoutMs` real ms: a safety net
 * on the wall clock, so a test that waits for something that never comes ends.
 */
function answerWhen(
  res: ServerResponse,
  ready: Promise<void>,
  timeoutMs: number,
  message: string,
  subject: string,
  answer: () => unknown,
): void {
  const timer = setTimeout(() => {
    const error = new ApiError(408, "TIMEOUT", `${message}: ${subject}`, [subject]);
    send(res, 408, error.toBody());
  }, timeoutMs);
  void ready.then(() => {
    clearTimeout(timer);
    if (!res.headersSent) send(res, 200, answer());
  });
}

/** The `mode` of a release body: `answer` (the default) or `drop`. */
function releaseMode(body: string): ReleaseMode {
  const { mode = "answer" } = adminBody(body, ["mode"]);
  if (mode !== "answer" && mode !== "drop") throw adminProblems(["mode must be answer or drop"]);
  return mode;
}

/** A 400 listing every problem of an admin request in `parameters`. */
function adminProblems(problems: string[]): ApiError {
  return new ApiError(
    400,
    "INVALID_ADMIN_REQUEST",
    `Invalid admin request: ${problems.join("; ")}`,
    problems,
  );
}

function parseJson(body: string): unknown {
  if (body === "") return {};
  try {
    return JSON.parse(body);
  } catch {
    throw adminProblems(["the body must be JSON"]);
  }
}

/** An admin body: empty, or a JSON object with only the `allowed` keys. */
function adminBody(body: string, allowed: readonly string[]): Record<string, unknown> {
  const json = parseJson(body);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw adminProblems(["the body must be a JSON object"]);
  }
  const unknown = Object.keys(json).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw adminProblems(unknown.map((key) => `unknown field: ${key}`));
  return json as Record<string, unknown>;
}

function checkId(name: string, value: string): void {
  if (!OBJECT_ID_PATTERN.test(value)) throw invalidParameter(name, `must match ${OBJECT_ID_PATTERN.source}`);
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
  const [, , groupId, name, ...rest] = path.split("/");
  if (rest.length > 0 || !groupId || !name)
    throw new ApiError(404, "RESOURCE_NOT_FOUND", `No admin endpoint: GET ${path}`, ["GET", path]);
  if (only !== null && only !== "serverless" && only !== "flex" && only !== "cluster")
    throw invalidParameter("kind", "must be serverless, flex or cluster");
  for (const kind of (["serverless", "flex", "cluster"] as const).filter(
    (k) => only === null || k === only,
  )) {
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
      // The wire protocol's address for every kind (a serverless GET has only an SRV string).
      connectionString: emulator.store.data.connectionStrings(kind, groupId!, name!)?.standard ?? null,
    });
  }
  throw new ApiError(404, "CLUSTER_NOT_FOUND", `No cluster named ${name} exists in group ${groupId}.`, [
    name,
    groupId,
  ]);
}
