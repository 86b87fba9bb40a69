import { replicaSetNames, type Seed, type SeedCluster } from "../seed";
import { collectionJobProgress, type StoredCollectionJob } from "../state/collection-restores";
import { type ClusterApi, isDownload, jobProgress, type StoredJob } from "../state/restore-jobs";
import { type Databases, ID_INDEX } from "./collection";
import { ClusterHistory, type Effect, LAST_INC, type Moment } from "./history";
import { seedDatabases } from "./seed-data";

// The documents of every emulated deployment, and what restores do to them. Restores land lazily:
// before a deployment's data is read or written, every restore job into it that completed by then
// (on the emulator's clock, as state/ computes it) is applied, oldest first, at its finish time. So
// the data follows the jobs without timers, a manual clock moves documents as it moves jobs, and a
// restart with the same state file rebuilds the same data from the seed (writes made through the
// wire protocol are kept in memory only).

/** What the data plane reads from the store (an interface, so this folder never imports the store). */
export interface DataSources {
  readonly seed: Seed;
  jobs(): readonly StoredJob[];
  collectionJobs(): readonly StoredCollectionJob[];
  /** When a snapshot was taken (emulator ms), seeded or on demand. */
  snapshotTakenAt(snapshotId: string): number | undefined;
}

/**
 * One deployment that holds data: a dedicated cluster, or a serverless instance together with the
 * flex cluster of the same name (the deployment it became at the sunset; they share documents).
 */
export interface Deployment {
  /** `cluster:<groupId>/<name>` or `flex:<groupId>/<name>`. */
  readonly key: string;
  readonly groupId: string;
  readonly name: string;
  /** A sharded cluster answers as a `mongos`; everything else as a one-member replica set's primary. */
  readonly sharded: boolean;
  readonly replicaSetName: string;
  readonly mongoDBVersion: string;
}

/** The data key of `api`'s cluster `groupId/name`: serverless and flex of one name share one. */
export function dataKey(api: ClusterApi, groupId: string, name: string): string {
  return `${api === "cluster" ? "cluster" : "flex"}:${groupId}/${name}`;
}

/** The moment a restore job reads its source at: its point in time, oplog position or snapshot. */
export function jobMoment(job: StoredJob): Moment {
  if (job.deliveryType === "pointInTime") {
    if (job.oplogTs !== undefined) return { ts: { t: job.oplogTs, i: job.oplogInc ?? 0 } };
    if (job.pointInTimeUTCSeconds !== undefined) return { ts: { t: job.pointInTimeUTCSeconds, i: LAST_INC } };
  }
  return { ms: Date.parse(job.snapshotCreatedAt) };
}

/** The emulator time by which everything a moment includes has happened. */
function momentMs(moment: Moment): number {
  return "ms" in moment ? moment.ms : moment.ts.t * 1000 + 999;
}

/** A namespace `db.collection` split at its first dot. */
export function splitNamespace(namespace: string): [db: string, collection: string] {
  const dot = namespace.indexOf(".");
  return [namespace.slice(0, dot), namespace.slice(dot + 1)];
}

/** How clients reach a deployment: the `mongodb://` string that works here, and the SRV one Atlas also gives. */
export interface ConnectionStrings {
  /** `mongodb://127.0.0.1:<port>/?authSource=admin&replicaSet=<name>` (no replicaSet for a sharded cluster). */
  readonly standard: string;
  /**
   * `mongodb+srv://<name>.<project>.emulator.invalid`: SRV needs DNS records the emulator cannot
   * publish, and `.invalid` (RFC 6761) never resolves, so a program that uses it fails at once
   * instead of reaching some real host.
   */
  readonly standardSrv: string;
}

/** A restore that lands in a deployment: when, and what it does there. */
interface Landing {
  readonly id: string;
  readonly at: number;
  land(target: ClusterHistory): void;
}

/** The documents of every deployment, through time. */
export class DataPlane {
  private readonly histories = new Map<string, ClusterHistory>();
  private readonly landed = new Set<string>();
  private readonly byKey: Map<string, { deployment: Deployment; seeded: SeedCluster[] }>;
  private readonly hosts = new Map<string, string>();

  constructor(private readonly sources: DataSources) {
    this.byKey = new Map();
    const add = (api: ClusterApi, cluster: SeedCluster): void => {
      const key = dataKey(api, cluster.groupId, cluster.name);
      const known = this.byKey.get(key);
      if (known) known.seeded.push(cluster);
      else
        this.byKey.set(key, {
          deployment: {
            key,
            groupId: cluster.groupId,
            name: cluster.name,
            sharded: api === "cluster" && cluster.clusterType === "SHARDED",
            replicaSetName: replicaSetNames(cluster)[0]!,
            mongoDBVersion: cluster.mongoDBVersion ?? "8.0.4",
          },
          seeded: [cluster],
        });
    };
    for (const cluster of sources.seed.serverlessInstances) add("serverless", cluster);
    for (const cluster of sources.seed.flexClusters) add("flex", cluster);
    for (const cluster of sources.seed.clusters) add("cluster", cluster);
  }

  /** Every deployment, in seed order (serverless instances, flex clusters, dedicated clusters). */
  deployments(): Deployment[] {
    return [...this.byKey.values()].map((d) => d.deployment);
  }

  /** The deployment of `api`'s cluster `groupId/name`, if seeded. */
  deployment(api: ClusterApi, groupId: string, name: string): Deployment | undefined {
    return this.byKey.get(dataKey(api, groupId, name))?.deployment;
  }

  /** Records where a deployment serves the wire protocol (`127.0.0.1:<port>`). */
  serve(key: string, host: string): void {
    this.hosts.set(key, host);
  }

  /** The connection strings of `api`'s cluster `groupId/name` (undefined until its server listens). */
  connectionStrings(api: ClusterApi, groupId: string, name: string): ConnectionStrings | undefined {
    const deployment = this.deployment(api, groupId, name);
    return deployment && this.connectionStringsOf(deployment);
  }

  /** A deployment's connection strings (undefined until its server listens). */
  connectionStringsOf(deployment: Deployment): ConnectionStrings | undefined {
    const host = this.hosts.get(deployment.key);
    if (!host) return undefined;
    const replicaSet = deployment.sharded ? "" : `&replicaSet=${deployment.replicaSetName}`;
    const srvHost = `${deployment.name.toLowerCase()}.${deployment.groupId.slice(-6)}.emulator.invalid`;
    return {
      standard: `mongodb://${host}/?authSource=admin${replicaSet}`,
      standardSrv: `mongodb+srv://${srvHost}/?authSource=admin`,
    };
  }

  /** A deployment's data now: every restore into it that completed by `now` has landed. */
  history(key: string, now: number): ClusterHistory {
    let history = this.histories.get(key);
    if (!history) {
      const seeded = this.byKey.get(key)?.seeded.find((c) => c.databases) ?? { id: key };
      this.histories.set(key, (history = new ClusterHistory(seedDatabases(seeded))));
    }
    for (const landing of this.landings(key, now)) {
      // A restore's source may be this deployment, whose earlier restores then land first.
      if (this.landed.has(landing.id)) continue;
      this.landed.add(landing.id);
      landing.land(history);
    }
    return history;
  }

  /** A copy of a deployment's data as it was at `moment`. */
  at(key: string, moment: Moment): Databases {
    return this.history(key, momentMs(moment)).at(moment);
  }

  /** Forgets every write and restore: the seed's data again (the admin reset). */
  reset(): void {
    this.histories.clear();
    this.landed.clear();
  }

  /** Restores into `key` completed by `now` that have not landed yet, oldest first. */
  private landings(key: string, now: number): Landing[] {
    const landings: Landing[] = [];
    for (const job of this.sources.jobs()) {
      if (isDownload(job) || this.landed.has(job.id) || job.targetGroupId === undefined) continue;
      if (dataKey(job.api, job.targetGroupId, job.targetClusterName!) !== key) continue;
      const progress = jobProgress(job, now);
      if (progress.phase !== "COMPLETED" || progress.finishedAt === undefined) continue;
      landings.push({
        id: job.id,
        at: progress.finishedAt,
        // Atlas erases the target first: the target's own writes since the snapshot are gone.
        land: (target) =>
          target.replaceAll(
            progress.finishedAt!,
            this.at(dataKey(job.api, job.groupId, job.clusterName), jobMoment(job)),
          ),
      });
    }
    for (const job of this.sources.collectionJobs()) {
      if (this.landed.has(job.id) || dataKey("cluster", job.targetGroupId, job.targetClusterName) !== key)
        continue;
      const progress = collectionJobProgress(job, now);
      if (progress.state !== "SUCCESSFUL" || progress.finishedAt === undefined) continue;
      landings.push({
        id: job.id,
        at: progress.finishedAt,
        land: (target) => target.write(progress.finishedAt!, this.collectionCopies(job)),
      });
    }
    return landings.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  /** What a collection-level restore writes: each restored collection, whole, under its target name. */
  private collectionCopies(job: StoredCollectionJob): Effect[] {
    const source = this.at(dataKey("cluster", job.groupId, job.clusterName), this.collectionJobMoment(job));
    return job.namespaces.flatMap((n): Effect[] => {
      const [db, coll] = splitNamespace(n.sourceNamespace);
      const found = source.get(db)?.get(coll);
      // A job with a missing collection fails whole (it never lands); one missing since is skipped.
      if (!found) return [];
      const indexes =
        job.indexStrategy === "NONE" || n.outcome === "INDEX_BUILD_FAILED"
          ? [ID_INDEX]
          : job.indexStrategy === "ALL_EXCEPT_TTL"
            ? found.indexes.filter((index) => index.expireAfterSeconds === undefined)
            : found.indexes;
      const [targetDb, targetColl] = splitNamespace(n.effectiveTargetNamespace ?? n.targetNamespace);
      return [{ op: "replace", db: targetDb, coll: targetColl, collection: found.copy(indexes) }];
    });
  }

  /** The moment a collection-level restore reads its source at. */
  collectionJobMoment(job: Pick<StoredCollectionJob, "snapshotId" | "oplogTs" | "oplogInc">): Moment {
    if (job.oplogTs !== undefined) return { ts: { t: job.oplogTs, i: job.oplogInc || LAST_INC } };
    return { ms: this.sources.snapshotTakenAt(job.snapshotId) ?? -Infinity };
  }
}
