import { existsSync, readFileSync, renameSync, writeFileSync } from "fs";

import { MAX_DATE_MS } from "../clock";
import { DataPlane } from "../data/plane";
import { resolveSeedTimes, type Seed, type SeedCluster, type SeedSnapshot } from "../seed";
import type { CollectionOutcome, StoredCollectionJob } from "./collection-restores";
import type { ClusterApi, StoredJob } from "./restore-jobs";

/** An issued OAuth access token; only its SHA-256 is kept, so a state file never holds a usable token. */
export interface StoredToken {
  tokenHash: string;
  clientId: string;
  /** Emulator-clock epoch ms. */
  expiresAt: number;
}

/** What the state file holds: everything that changes while the emulator runs, except logs and counters. */
export interface PersistedState {
  version: 1;
  /** Offset added to the clock by `POST /__emulator/clock`, kept so a restart does not move jobs back. */
  clockOffsetMs: number;
  jobs: StoredJob[];
  tokens: StoredToken[];
  /** Snapshot id → whether its restores fail, set through the admin endpoint (overrides the seed). */
  failRestores: Record<string, boolean>;
  /** Emulator time of the first start: the seed's relative times count back from it, across restarts. */
  seedStartMs?: number;
  /** On-demand snapshots of dedicated clusters, taken through the API. */
  takenSnapshots?: TakenSnapshot[];
  /** Collection-level restore jobs. */
  collectionJobs?: StoredCollectionJob[];
  /** `groupId/clusterName/db.collection` → forced outcome (admin API; overrides the seed). */
  collectionOutcomes?: Record<string, CollectionOutcome | null>;
}

/** An on-demand snapshot: its status walks queued → inProgress → completed on the emulator's clock. */
export interface TakenSnapshot {
  id: string;
  groupId: string;
  clusterName: string;
  /** Emulator ms when it was asked for. */
  takenAt: number;
  /** How long it takes, emulator ms. */
  durationMs: number;
  description?: string;
  retentionDays?: number;
}

/** A taken snapshot's status at `now`: queued for the first tenth of its duration, then in progress. */
export function takenSnapshotStatus(snapshot: TakenSnapshot, now: number): SeedSnapshot["status"] {
  const elapsed = now - snapshot.takenAt;
  if (elapsed >= snapshot.durationMs) return "completed";
  return elapsed * 10 < snapshot.durationMs ? "queued" : "inProgress";
}

/** A snapshot with the cluster and API it belongs to. */
export interface SnapshotRef {
  api: ClusterApi;
  cluster: SeedCluster;
  snapshot: SeedSnapshot;
}

/** Builds the empty state. */
export function emptyState(): PersistedState {
  return { version: 1, clockOffsetMs: 0, jobs: [], tokens: [], failRestores: {} };
}

/** Thrown when the state file cannot be read. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/** What makes a state unreadable (empty when it is sound); checked on reading and before every write. */
export function stateProblems(value: unknown): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["not a JSON object"];
  const state = value as Partial<Record<keyof PersistedState, unknown>>;
  const problems: string[] = [];
  const time = (ms: unknown): boolean =>
    typeof ms === "number" && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
  if (state.version !== 1) problems.push("version must be 1");
  if (!Array.isArray(state.jobs)) problems.push("jobs must be an array");
  if (!Array.isArray(state.tokens)) problems.push("tokens must be an array");
  if (state.clockOffsetMs !== undefined && !time(state.clockOffsetMs))
    problems.push("clockOffsetMs must be a number of milliseconds a date can hold");
  if (state.seedStartMs !== undefined && !time(state.seedStartMs))
    problems.push("seedStartMs must be an epoch in milliseconds");
  const fails = state.failRestores;
  if (fails !== undefined && (typeof fails !== "object" || fails === null || Array.isArray(fails)))
    problems.push("failRestores must be an object");
  if (state.takenSnapshots !== undefined && !Array.isArray(state.takenSnapshots))
    problems.push("takenSnapshots must be an array");
  if (state.collectionJobs !== undefined && !Array.isArray(state.collectionJobs))
    problems.push("collectionJobs must be an array");
  return problems;
}

/**
 * The emulator's data: the seed (read-only) and the mutable state, written to the state file (temp file then
 * rename, so a crash never leaves half a file) after every mutation.
 */
export class Store {
  state: PersistedState;
  /** The seed, its relative times resolved against the first start. */
  readonly seed: Seed;
  /** The deployments' documents through time (in memory: a restart rebuilds them from the seed and the jobs). */
  readonly data: DataPlane;
  private readonly snapshots = new Map<string, SnapshotRef>();

  /** @param baseNow the base clock's time now (before the state's clock offset) */
  constructor(
    seed: Seed,
    private readonly stateFile?: string,
    baseNow: number = Date.now(),
  ) {
    this.state = stateFile && existsSync(stateFile) ? readState(stateFile) : emptyState();
    const firstStart = this.state.seedStartMs === undefined;
    this.state.seedStartMs ??= baseNow + this.state.clockOffsetMs;
    this.seed = resolveSeedTimes(seed, this.state.seedStartMs);
    // The start is written at once, so a restart before any change resolves the seed to the same times.
    if (firstStart) this.persist();
    for (const [api, clusters] of [
      ["serverless", this.seed.serverlessInstances],
      ["flex", this.seed.flexClusters],
      ["cluster", this.seed.clusters],
    ] as const) {
      for (const cluster of clusters) {
        for (const snapshot of cluster.snapshots) this.snapshots.set(snapshot.id, { api, cluster, snapshot });
      }
    }
    this.data = new DataPlane({
      seed: this.seed,
      jobs: () => this.state.jobs,
      collectionJobs: () => this.state.collectionJobs ?? [],
      snapshotTakenAt: (id) => {
        const seeded = this.snapshots.get(id)?.snapshot.createdAt;
        if (seeded !== undefined) return Date.parse(seeded);
        return this.state.takenSnapshots?.find((t) => t.id === id)?.takenAt;
      },
    });
  }

  /** The project with this id, if seeded. */
  project(groupId: string): Seed["projects"][number] | undefined {
    return this.seed.projects.find((p) => p.id === groupId);
  }

  /** Serverless instances of a project, in seed order. */
  serverlessInstances(groupId: string): SeedCluster[] {
    return this.seed.serverlessInstances.filter((c) => c.groupId === groupId);
  }

  /** The serverless instance, flex cluster or dedicated cluster `name` in `groupId`. */
  cluster(api: ClusterApi, groupId: string, name: string): SeedCluster | undefined {
    const list = {
      serverless: this.seed.serverlessInstances,
      flex: this.seed.flexClusters,
      cluster: this.seed.clusters,
    }[api];
    return list.find((c) => c.groupId === groupId && c.name === name);
  }

  /** A cluster's snapshots at `now`: the seed's, then those taken on demand with their status then. */
  snapshotsOf(api: ClusterApi, cluster: SeedCluster, now: number): SeedSnapshot[] {
    if (api !== "cluster") return cluster.snapshots;
    const taken = (this.state.takenSnapshots ?? [])
      .filter((t) => t.groupId === cluster.groupId && t.clusterName === cluster.name && t.takenAt <= now)
      .map((t): SeedSnapshot => ({
        id: t.id,
        createdAt: new Date(t.takenAt).toISOString(),
        status: takenSnapshotStatus(t, now),
        snapshotType: "onDemand",
        ...(t.description !== undefined ? { description: t.description } : {}),
        ...(t.retentionDays !== undefined ? { retentionDays: t.retentionDays } : {}),
      }));
    return [...cluster.snapshots, ...taken];
  }

  /** Collection-level restore jobs of the cluster `groupId/clusterName`, oldest first. */
  collectionJobsOf(groupId: string, clusterName: string): StoredCollectionJob[] {
    return (this.state.collectionJobs ?? []).filter(
      (j) => j.groupId === groupId && j.clusterName === clusterName,
    );
  }

  /** Records a collection-level restore job and persists it before the caller answers. */
  addCollectionJob(job: StoredCollectionJob): void {
    this.state.collectionJobs = [...(this.state.collectionJobs ?? []), job];
    this.persist();
  }

  /** Replaces a collection job with `change(job)` and persists; undefined for an unknown id. */
  updateCollectionJob(
    jobId: string,
    change: (job: StoredCollectionJob) => StoredCollectionJob,
  ): StoredCollectionJob | undefined {
    const jobs = this.state.collectionJobs ?? [];
    const index = jobs.findIndex((j) => j.id === jobId);
    if (index < 0) return undefined;
    jobs[index] = change(jobs[index]!);
    this.persist();
    return jobs[index];
  }

  /** The forced outcome of a collection's restores (admin, else seed), or undefined. */
  collectionOutcome(groupId: string, clusterName: string, namespace: string): CollectionOutcome | undefined {
    const forced = this.state.collectionOutcomes?.[`${groupId}/${clusterName}/${namespace}`];
    if (forced !== undefined) return forced ?? undefined;
    const [db, ...rest] = namespace.split(".");
    const cluster = this.cluster("cluster", groupId, clusterName);
    return cluster?.databases?.find((d) => d.name === db)?.collections.find((c) => c.name === rest.join("."))
      ?.restoreOutcome;
  }

  /** Forces (or with null, clears) how restores of a collection end, for jobs created from now on. */
  setCollectionOutcome(
    groupId: string,
    clusterName: string,
    namespace: string,
    outcome: CollectionOutcome | null,
  ): void {
    this.state.collectionOutcomes = {
      ...this.state.collectionOutcomes,
      [`${groupId}/${clusterName}/${namespace}`]: outcome,
    };
    this.persist();
  }

  /** Records an on-demand snapshot and persists it before the caller answers. */
  addTakenSnapshot(snapshot: TakenSnapshot): void {
    this.state.takenSnapshots = [...(this.state.takenSnapshots ?? []), snapshot];
    this.persist();
  }

  /** The snapshot with this id, wherever it lives. */
  snapshot(snapshotId: string): SnapshotRef | undefined {
    return this.snapshots.get(snapshotId);
  }

  /** Whether restores of this snapshot fail (admin override, else the seed flag). */
  failsRestores(snapshotId: string): boolean {
    return (
      this.state.failRestores[snapshotId] ?? this.snapshots.get(snapshotId)?.snapshot.failRestores ?? false
    );
  }

  /** Whether a snapshot with this id exists, seeded or taken. */
  hasSnapshot(snapshotId: string): boolean {
    return (
      this.snapshots.has(snapshotId) || (this.state.takenSnapshots ?? []).some((t) => t.id === snapshotId)
    );
  }

  /** Marks a snapshot's future restores as failing (or not). */
  setFailRestores(snapshotId: string, fail: boolean): void {
    this.state.failRestores[snapshotId] = fail;
    this.persist();
  }

  /** Jobs whose source is `api`'s cluster `groupId/name`, oldest first. */
  jobsOf(api: StoredJob["api"], groupId: string, clusterName: string): StoredJob[] {
    return this.state.jobs.filter(
      (j) => j.api === api && j.groupId === groupId && j.clusterName === clusterName,
    );
  }

  /** The job with this id. */
  job(jobId: string): StoredJob | undefined {
    return this.state.jobs.find((j) => j.id === jobId);
  }

  /** Records a new job and persists it before the caller answers (the "commit"). */
  addJob(job: StoredJob): void {
    this.state.jobs.push(job);
    this.persist();
  }

  /** Replaces a job with `change(job)` and persists. */
  updateJob(jobId: string, change: (job: StoredJob) => StoredJob): StoredJob | undefined {
    const index = this.state.jobs.findIndex((j) => j.id === jobId);
    if (index < 0) return undefined;
    const updated = change(this.state.jobs[index] as StoredJob);
    this.state.jobs[index] = updated;
    this.persist();
    return updated;
  }

  /** Records an issued token (hash only). */
  addToken(token: StoredToken, now: number): void {
    // Expired tokens are dropped here so the state file does not grow without bound.
    this.state.tokens = this.state.tokens.filter((t) => t.expiresAt > now);
    this.state.tokens.push(token);
    this.persist();
  }

  /** The token with this hash, expired or not. */
  token(tokenHash: string): StoredToken | undefined {
    return this.state.tokens.find((t) => t.tokenHash === tokenHash);
  }

  /** Forgets a token; returns whether it existed. */
  revokeToken(tokenHash: string): boolean {
    const before = this.state.tokens.length;
    this.state.tokens = this.state.tokens.filter((t) => t.tokenHash !== tokenHash);
    if (this.state.tokens.length === before) return false;
    this.persist();
    return true;
  }

  /** Sets the clock offset and persists it. */
  setClockOffset(offsetMs: number): void {
    const before = this.state.clockOffsetMs;
    this.state.clockOffsetMs = offsetMs;
    try {
      this.persist();
    } catch (error) {
      this.state.clockOffsetMs = before;
      throw error;
    }
  }

  /** Drops jobs, failure marks, the clock offset and the documents written; keeps issued tokens (they are sessions, not data). */
  reset(): void {
    this.state = { ...emptyState(), tokens: this.state.tokens, seedStartMs: this.state.seedStartMs };
    this.data.reset();
    this.persist();
  }

  /** Writes the state file, if there is one. */
  persist(): void {
    if (!this.stateFile) return;
    // A state that could not be read back would break every later start: refuse it before writing.
    const problems = stateProblems(this.state);
    if (problems.length > 0)
      throw new StateFileError(`refusing to write an unreadable state: ${problems.join("; ")}`);
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2));
    renameSync(tmp, this.stateFile);
  }
}

function readState(file: string): PersistedState {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new StateFileError(`cannot read emulator state file: ${file} (${(err as Error).message})`);
  }
  const problems = stateProblems(json);
  if (problems.length > 0) {
    throw new StateFileError(`not an emulator state file (version 1: ${problems.join("; ")}): ${file}`);
  }
  return { ...emptyState(), ...(json as Partial<PersistedState>) } as PersistedState;
}
