import { AtlasApiError } from "../../provider/atlas/errors";
import type { Exchange, RawRequest, RawResponse } from "../../provider/atlas/transport";
import type { World } from "./world";

/**
 * A simulated Atlas behind the provider's real transport, client and codecs: restore jobs of the four
 * kinds (serverless, Flex, dedicated and collection-level), snapshots, targets, the serverless sunset,
 * listings that lag, ObjectId job ids stamped by Atlas's clock, and faults drawn from a seeded
 * generator. It records who started and who cancelled each job, which the invariants read.
 */

/** Which API a job belongs to. */
export type Api = "serverless" | "flex" | "cluster" | "collection";

/** The resource instance a request was sent for: the simulator's ground truth of ownership. */
export interface Actor {
  readonly stack: string;
  readonly name: string;
  readonly epoch: number;
}

/** One restore job (or on-demand snapshot) as the simulated Atlas keeps it. */
export interface SimJob {
  readonly id: string;
  readonly api: Api;
  readonly groupId: string;
  readonly source: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly finishAt: number;
  /** When the job first shows in listings. */
  readonly visibleAt: number;
  readonly createdBy: Actor | undefined;
  cancelledBy?: Actor;
}

/** A snapshot of a source (served by whichever API serves the source). */
export interface SimSnapshot {
  readonly id: string;
  readonly at: number;
  /** An on-demand snapshot's description; scheduled ones have none. */
  readonly description?: string;
  readonly doneAt: number;
}

/** How a request goes wrong. "after" faults happen once Atlas has carried the request out. */
export type Fault =
  "500" | "503" | "429" | "reset" | "refused" | "500-after" | "reset-after" | "nulls" | "garbled";

/** The world's Atlas: its settings for one schedule. */
export interface AtlasSettings {
  /** Chance that a create POST (or cancel) fails, and that a read fails. */
  readonly postFaults: number;
  readonly readFaults: number;
  /** The most a listing lags a new job (ms); below the at-most-once floor. */
  readonly maxLagMs: number;
  /** The least it lags (default: none). */
  readonly minLagMs?: number;
  /** How long a restore runs (ms). */
  readonly restoreMs: number;
}

/** The serverless API around its sunset: serving, answering 404 for migrated instances, or 410. */
export type Sunset = "serving" | "migrated" | "gone";

const POST_FAULTS: Fault[] = [
  "500",
  "503",
  "429",
  "reset",
  "refused",
  "500-after",
  "reset-after",
  "nulls",
  "garbled",
];
const READ_FAULTS: Fault[] = ["500", "503", "429", "reset"];

/** The default projects and names of the simulated organisation. */
export const PROD = "aaaaaaaaaaaaaaaaaaaaaaaa";
export const STAGE = "bbbbbbbbbbbbbbbbbbbbbbbb";

/** An ObjectId stamped with Atlas's clock, as Atlas's ids are. */
export function objectId(world: World): string {
  const seconds = Math.floor(world.now / 1000) >>> 0;
  let rest = "";
  while (rest.length < 16) rest += Math.floor(world.random() * 16).toString(16);
  return seconds.toString(16).padStart(8, "0") + rest;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The simulated Atlas. */
export class SimAtlas {
  readonly jobs: SimJob[] = [];
  readonly snapshots = new Map<string, SimSnapshot[]>();
  /** Every request answered, for the invariants and the failure report. */
  readonly requests: string[] = [];
  sunset: Sunset = "serving";
  faultsOn = true;
  /** Who the requests being sent now are for (the engine sets it around each step). */
  actor: Actor | undefined;
  /** Faults a schedule asks for by name: the next request whose method and path match gets it. */
  private readonly injected: { match: RegExp; fault: Fault }[] = [];

  constructor(
    private readonly world: World,
    readonly settings: AtlasSettings,
  ) {
    for (const source of ["prod-orders", "prod-flex", "prod-cluster"]) this.addSnapshot(source, -86_400_000);
  }

  /** A new completed scheduled snapshot of a source, `ago` ms before now (the newest by default). */
  addSnapshot(source: string, ago = 0): SimSnapshot {
    const at = this.world.now + ago;
    const snapshot = { id: objectIdAt(this.world, at), at, doneAt: at };
    this.snapshots.set(source, [...(this.snapshots.get(source) ?? []), snapshot]);
    return snapshot;
  }

  /** The transport's exchange: one request, faults included. */
  readonly exchange: Exchange = async (request) => {
    await this.world.point(`before ${request.method} ${request.path}`);
    this.world.advance(100);
    const fault = this.fault(request);
    const network = (code: string) =>
      new AtlasApiError({ method: request.method, path: request.path, networkCode: code });
    if (fault === "refused") throw network("ECONNREFUSED");
    if (fault === "reset") throw network("ECONNRESET");
    if (fault === "500" || fault === "503")
      return answer(Number(fault), apiError(Number(fault), "UNEXPECTED_ERROR"));
    if (fault === "429") return answer(429, apiError(429, "RATE_LIMITED"), { "retry-after": "2" });
    const result = this.route(request);
    this.requests.push(`${request.method} ${request.path} ${result.status}${fault ? ` (${fault})` : ""}`);
    await this.world.point(`after ${request.method} ${request.path}`);
    if (fault === "reset-after") throw network("ECONNRESET");
    if (fault === "500-after") return answer(500, apiError(500, "UNEXPECTED_ERROR"));
    if (result.status < 300 && fault === "nulls") return answer(result.status, withNulls(result.body));
    if (result.status < 300 && fault === "garbled")
      return { status: result.status, body: "<html>", header: () => undefined };
    return answer(result.status, result.body);
  };

  /** The next request matching `match` (e.g. `/^POST .*restoreJobs$/`) fails with `fault`. */
  inject(match: RegExp, fault: Fault): void {
    this.injected.push({ match, fault });
  }

  private fault(request: RawRequest): Fault | undefined {
    const injected = this.injected.findIndex((i) => i.match.test(`${request.method} ${request.path}`));
    if (injected >= 0) return this.injected.splice(injected, 1)[0]!.fault;
    if (!this.faultsOn) return undefined;
    const creates = request.method !== "GET";
    const rate = creates ? this.settings.postFaults : this.settings.readFaults;
    if (this.world.random() >= rate) return undefined;
    const choices = creates ? POST_FAULTS : READ_FAULTS;
    return choices[Math.floor(this.world.random() * choices.length)];
  }

  /** Whether a job is still running at `now`. */
  running(job: SimJob): boolean {
    return job.cancelledBy === undefined && this.world.now < job.finishAt;
  }

  private route(request: RawRequest): { status: number; body: unknown } {
    const [, groupId = "", path = ""] = /^\/api\/atlas\/v2\/groups\/([^/]+)\/(.*)$/.exec(request.path) ?? [];
    const body = request.body === undefined ? {} : (JSON.parse(request.body) as Record<string, unknown>);
    const parts = path.split("/").map(decodeURIComponent);
    const [family, name = ""] = parts;
    const id = parts.find((p, i) => i > 1 && /^[a-f0-9]{24}$/.test(p)) ?? "";
    const shape = parts.map((p, i) => (i === 1 ? "{name}" : p === id ? "{id}" : p)).join("/");
    if (family === "serverless") {
      const gone = this.sunsetError(name);
      if (gone) return gone;
    }
    const api: Api = family === "serverless" ? "serverless" : family === "flexClusters" ? "flex" : "cluster";
    switch (`${request.method} ${shape}`) {
      case "GET serverless/{name}":
      case "GET flexClusters/{name}":
        return this.deployment(api, name);
      case "GET clusters/{name}":
        if (name.endsWith("flex"))
          return { status: 400, body: apiError(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API") };
        if (!name.includes("cluster")) return notFound("CLUSTER_NOT_FOUND");
        return { status: 200, body: { name, stateName: "IDLE", groupId } };
      case "GET serverless/{name}/backup/snapshots":
      case "GET flexClusters/{name}/backup/snapshots":
      case "GET clusters/{name}/backup/snapshots":
        return page((this.snapshots.get(name) ?? []).map((s) => this.snapshotView(api, s)));
      case "GET clusters/{name}/backup/snapshots/{id}":
        return this.one(
          this.snapshots.get(name)?.find((s) => s.id === id),
          (s) => this.snapshotView(api, s),
        );
      case "POST clusters/{name}/backup/snapshots":
        return this.takeSnapshot(name, body);
      case "GET serverless/{name}/backup/restoreJobs":
      case "GET flexClusters/{name}/backup/restoreJobs":
      case "GET clusters/{name}/backup/restoreJobs":
        return page(this.listed(api, groupId, name).map((job) => this.view(job)));
      case "GET clusters/{name}/collectionRestoreJobs":
        return page(this.listed("collection", groupId, name).map((job) => this.view(job)));
      case "GET serverless/{name}/backup/restoreJobs/{id}":
      case "GET flexClusters/{name}/backup/restoreJobs/{id}":
      case "GET clusters/{name}/backup/restoreJobs/{id}":
        return this.one(this.find(api, name, id), (job) => this.view(job));
      case "GET clusters/{name}/collectionRestoreJobs/{id}":
        return this.one(this.find("collection", name, id), (job) => this.view(job));
      case "GET clusters/{name}/collectionRestoreJobs/{id}/collections":
        return this.one(this.find("collection", name, id), (job) => page(this.collectionStates(job)).body);
      case "POST serverless/{name}/backup/restoreJobs":
      case "POST flexClusters/{name}/backup/restoreJobs":
      case "POST clusters/{name}/backup/restoreJobs":
        return this.create(api, groupId, name, body);
      case "POST flexClusters/{name}/backup/download":
        return this.create("flex", groupId, name, { ...body, deliveryType: "DOWNLOAD" });
      case "POST clusters/{name}/collectionRestoreJobs":
        if (this.jobs.some((j) => j.api === "collection" && j.source === name && this.running(j)))
          return { status: 409, body: apiError(409, "COLLECTION_RESTORE_ALREADY_IN_PROGRESS") };
        return this.create("collection", groupId, name, body);
      case "DELETE clusters/{name}/backup/restoreJobs/{id}":
        return this.cancel(name, id);
      default:
        return { status: 404, body: apiError(404, "RESOURCE_NOT_FOUND") };
    }
  }

  private sunsetError(name: string) {
    if (this.sunset === "gone") return { status: 410, body: apiError(410, "VERSION_GONE") };
    if (this.sunset === "migrated" && name === "prod-orders")
      return notFound("SERVERLESS_INSTANCE_NOT_FOUND");
    return undefined;
  }

  private deployment(api: Api, name: string) {
    const known = api === "serverless" ? !name.endsWith("flex") : true;
    if (!known) return notFound(api === "serverless" ? "SERVERLESS_INSTANCE_NOT_FOUND" : "CLUSTER_NOT_FOUND");
    return { status: 200, body: { name, stateName: "IDLE" } };
  }

  private listed(api: Api, groupId: string, source: string): SimJob[] {
    return this.jobs.filter(
      (j) => j.api === api && j.groupId === groupId && j.source === source && this.world.now >= j.visibleAt,
    );
  }

  private find(api: Api, source: string, id: string): SimJob | undefined {
    return this.jobs.find((j) => j.api === api && j.source === source && j.id === id);
  }

  private one<T>(item: T | undefined, view: (item: T) => unknown) {
    return item === undefined ? notFound("RESOURCE_NOT_FOUND") : { status: 200, body: view(item) };
  }

  private create(api: Api, groupId: string, source: string, request: Record<string, unknown>) {
    const snapshotId = request.snapshotId;
    if (snapshotId !== undefined && !(this.snapshots.get(source) ?? []).some((s) => s.id === snapshotId))
      return { status: 400, body: apiError(400, "SNAPSHOT_NOT_FOUND") };
    const now = this.world.now;
    const job: SimJob = {
      id: objectId(this.world),
      api,
      groupId,
      source,
      request,
      createdAt: now,
      finishAt: now + this.settings.restoreMs,
      visibleAt: now + this.lag(),
      createdBy: this.actor,
    };
    this.jobs.push(job);
    return { status: api === "collection" ? 201 : 200, body: this.view(job) };
  }

  private lag(): number {
    const least = this.settings.minLagMs ?? 0;
    return least + Math.floor(this.world.random() * (this.settings.maxLagMs - least));
  }

  private cancel(source: string, id: string) {
    const job = this.find("cluster", source, id);
    if (!job) return notFound("RESOURCE_NOT_FOUND");
    if (this.running(job)) job.cancelledBy = this.actor ?? { stack: "?", name: "?", epoch: -1 };
    return { status: 204, body: undefined };
  }

  private takeSnapshot(source: string, request: Record<string, unknown>) {
    const at = this.world.now;
    const snapshot: SimSnapshot = {
      id: objectId(this.world),
      at,
      doneAt: at + 120_000,
      ...(typeof request.description === "string" ? { description: request.description } : {}),
    };
    this.snapshots.set(source, [...(this.snapshots.get(source) ?? []), snapshot]);
    return { status: 200, body: this.snapshotView("cluster", snapshot) };
  }

  private snapshotView(api: Api, s: SimSnapshot) {
    const done = this.world.now >= s.doneAt;
    if (api === "flex")
      return {
        id: s.id,
        status: done ? "COMPLETED" : "RUNNING",
        startTime: iso(s.at),
        ...(done ? { finishTime: iso(s.doneAt) } : {}),
      };
    return {
      id: s.id,
      createdAt: iso(s.at),
      status: done ? "completed" : "inProgress",
      type: "replicaSet",
      snapshotType: s.description === undefined ? "scheduled" : "onDemand",
      ...(s.description === undefined ? {} : { description: s.description }),
    };
  }

  /** A job as its API reports it. */
  view(job: SimJob): Record<string, unknown> {
    const done = !this.running(job) && job.cancelledBy === undefined;
    const r = job.request;
    switch (job.api) {
      case "serverless":
      case "cluster":
        return {
          id: job.id,
          deliveryType: r.deliveryType,
          ...(r.snapshotId === undefined ? {} : { snapshotId: r.snapshotId }),
          ...(r.deliveryType === "download"
            ? {}
            : { targetClusterName: r.targetClusterName, targetGroupId: r.targetGroupId }),
          cancelled: job.cancelledBy !== undefined,
          failed: false,
          expired: false,
          ...(done ? { finishedAt: iso(job.finishAt) } : {}),
          deliveryUrl: done && r.deliveryType === "download" ? [`https://restore.invalid/${job.id}`] : [],
          ...(job.api === "cluster" ? { desiredTimestamp: { date: null, increment: null, time: null } } : {}),
        };
      case "flex": {
        const download = r.deliveryType === "DOWNLOAD";
        return {
          id: job.id,
          status: done ? "COMPLETED" : this.world.now - job.createdAt < 10_000 ? "PENDING" : "RUNNING",
          deliveryType: download ? "DOWNLOAD" : "RESTORE",
          snapshotId: r.snapshotId,
          instanceName: job.source,
          projectId: job.groupId,
          ...(download
            ? {}
            : {
                targetDeploymentItemName: r.targetDeploymentItemName,
                targetProjectId: r.targetProjectId ?? job.groupId,
              }),
          restoreScheduledDate: iso(job.createdAt),
          ...(done ? { restoreFinishedDate: iso(job.finishAt) } : {}),
          ...(done && download ? { snapshotUrl: `https://restore.invalid/${job.id}` } : {}),
        };
      }
      case "collection": {
        const state = job.cancelledBy
          ? "CANCELED"
          : done
            ? "SUCCESSFUL"
            : this.world.now - job.createdAt < 10_000
              ? "INITIALIZING"
              : "IN_PROGRESS";
        return {
          id: job.id,
          state,
          createdAt: iso(job.createdAt),
          finishedAt: done ? iso(job.finishAt) : null,
          targetClusterName: r.targetClusterName,
          targetGroupId: r.targetGroupId,
          writeStrategy: r.writeStrategy,
          indexStrategy: r.indexStrategy,
          databases: r.databases ?? [],
          collections: r.collections ?? [],
          databaseSuffix: r.databaseSuffix ?? "",
          collectionSuffix: r.collectionSuffix ?? "",
          snapshotId: r.snapshotId ?? null,
          restoredDocuments: done ? 100 : 10,
          totalDocuments: 100,
        };
      }
    }
  }

  private collectionStates(job: SimJob) {
    const names = [...((job.request.collections as { sourceNamespace: string }[]) ?? [])];
    const done = !this.running(job);
    return names.map((n) => ({
      sourceNamespace: n.sourceNamespace,
      state: done ? "SUCCESSFUL" : "IN_PROGRESS",
      restoredDocuments: done ? 100 : 10,
      totalDocuments: 100,
    }));
  }
}

function objectIdAt(world: World, at: number): string {
  const saved = world.now;
  world.now = at;
  const id = objectId(world);
  world.now = saved;
  return id;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return { status, body: body === undefined ? "" : JSON.stringify(body), header: (name) => headers[name] };
}

function apiError(status: number, errorCode: string) {
  return { error: status, errorCode, detail: `simulated ${errorCode}` };
}

function notFound(errorCode: string) {
  return { status: 404, body: apiError(404, errorCode) };
}

function page(results: unknown[]) {
  return { status: 200, body: { results, totalCount: results.length } };
}

/** Atlas sends `null` for fields it has no value for; a create answer that does so. */
function withNulls(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return body;
  const nulls = [
    "finishedAt",
    "pointInTimeUTCSeconds",
    "oplogTs",
    "oplogInc",
    "restoreFinishedDate",
    "snapshotUrl",
    "errorMessage",
    "expiresAt",
  ];
  return { ...Object.fromEntries(nulls.map((k) => [k, null])), ...(body as Record<string, unknown>) };
}
