import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { EJSON, ObjectId } from "bson";
import { MongoClient } from "mongodb";

import { REPO_ROOT } from "../scripts/pulumi-cli";
import { formatSpread, type Spread, spread } from "./stats";

/**
 * The data section of `npm run bench`: the emulator (a child process running the built CLI, so its
 * RSS is its own) with 10 clusters of 10,000 stored documents each, and how fast a restore of
 * 100,000 documents lands in its target, automated and collection-level. Every timed figure is
 * repeated, with the machine's load beside it.
 */

/** Clusters of {@link DOCUMENTS_PER_CLUSTER} documents each, for the memory figure. */
const CLUSTERS = 10;
const DOCUMENTS_PER_CLUSTER = 10_000;
/** Documents of the restore's source collection. */
const RESTORE_DOCUMENTS = 100_000;
/** Timed restores of each kind (and insert runs): `BENCH_REPETITIONS`, as for the engine, else 5 (they are quick). */
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 5);
/** What the issue asks of a restore: documents copied per second. */
export const TARGET_DOCUMENTS_PER_SECOND = 20_000;

const G = "6650a1b2c3d4e5f6a7b8c9d0";
const ACCOUNT = { clientId: "mdb_sa_id_bench", clientSecret: "mdb_sa_sk_bench" };
const USER = { username: "bench", password: "bench-password" };

/** One timed restore: how long its landing took and the load then. */
export interface TimedRestore {
  readonly landingMs: number;
  readonly documentsPerSecond: number;
  readonly load: number;
}

/** What the data section measured, as results.json keeps it. */
export interface DataBenchResults {
  readonly clusters: number;
  readonly documentsPerCluster: number;
  /** The emulator process's RSS: started, then with every cluster's documents read once, MB. */
  readonly rssMb: { readonly started: number; readonly loaded: number };
  /** Documents inserted per second by the driver's insertMany of one cluster's worth, one per repetition. */
  readonly insertsPerSecond: readonly number[];
  readonly restoreDocuments: number;
  readonly automated: readonly TimedRestore[];
  readonly collection: readonly TimedRestore[];
}

/** A customer-like document of about 210 bytes of BSON. */
function document(n: number): Record<string, unknown> {
  return {
    _id: new ObjectId(n.toString(16).padStart(24, "0")),
    n,
    name: `customer ${n}`,
    email: `customer${n}@example.com`,
    createdAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000),
    tags: ["bench", n % 2 === 0 ? "even" : "odd"],
    address: { city: `city ${n % 100}`, zip: String(10_000 + (n % 90_000)) },
    total: (n % 1000) * 1.25,
  };
}

/** A JSON-lines Extended JSON file of `count` documents from `first`. */
function writeDocuments(file: string, first: number, count: number): void {
  const lines: string[] = [];
  for (let n = first; n < first + count; n++) lines.push(EJSON.stringify(document(n), { relaxed: true }));
  writeFileSync(file, `${lines.join("\n")}\n`);
}

const clusterId = (i: number) => `6650a1b2c3d4e5f6a7b8${(0xd000 + i).toString(16)}`;

/** The bench's seed: {@link CLUSTERS} loaded clusters, a 100,000-document source and an empty target. */
function writeSeed(dir: string): string {
  const collection = (name: string, file: string) => [{ name: "bench", collections: [{ name, file }] }];
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => {
    writeDocuments(join(dir, `cluster-${i}.json`), i * DOCUMENTS_PER_CLUSTER, DOCUMENTS_PER_CLUSTER);
    return {
      id: clusterId(i),
      groupId: G,
      name: `bench-${i}`,
      databases: collection("customers", `cluster-${i}.json`),
    };
  });
  writeDocuments(join(dir, "source.json"), 0, RESTORE_DOCUMENTS);
  clusters.push(
    {
      id: clusterId(0xa0),
      groupId: G,
      name: "bench-source",
      databases: collection("customers", "source.json"),
      snapshots: [{ id: "6650a1b2c3d4e5f6a7b8ee01", createdAt: "-1h", status: "completed" }],
    } as never,
    { id: clusterId(0xa1), groupId: G, name: "bench-target" } as never,
  );
  const seed = {
    projects: [{ id: G, name: "bench" }],
    serverlessInstances: [],
    flexClusters: [],
    clusters: clusters.map((c) => ({ snapshots: [], ...c })),
    apiKeys: [],
    serviceAccounts: [{ ...ACCOUNT, projects: [G] }],
    databaseUsers: [{ groupId: G, ...USER }],
  };
  const file = join(dir, "seed.json");
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

/** The emulator's RSS in MB, from /proc. */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** Starts the built CLI on `seed`; answers the child, its URL and each cluster's connection string. */
async function startEmulatorProcess(
  seed: string,
): Promise<{ child: ChildProcess; url: string; wire: Map<string, string> }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, "dist", "emulator", "cli.js"), "--seed", seed, "--restore-duration", "1"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const url = /listening on (\S+)$/.exec(((await lines.next()).value as string) ?? "")?.[1];
  if (!url) throw new Error("the emulator did not start");
  const wire = new Map<string, string>();
  while (wire.size < CLUSTERS + 2) {
    const line = (await lines.next()).value as string | undefined;
    if (line === undefined) throw new Error("the emulator's banner ended early");
    const m = /^ {2}\w{24}\/(\S+) (mongodb:\S+)$/.exec(line);
    if (m) wire.set(m[1]!, m[2]!);
  }
  return { child, url, wire };
}

/** How long the first command after a completed restore takes beyond a plain one: the landing. */
async function landing(target: MongoClient): Promise<number> {
  const admin = target.db("admin");
  const start = performance.now();
  await admin.command({ ping: 1 });
  const landed = performance.now();
  await admin.command({ ping: 1 });
  return Math.max(0, landed - start - (performance.now() - landed));
}

/** Runs the data section. */
export async function dataBench(): Promise<DataBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), "bench-data-"));
  const { child, url, wire } = await startEmulatorProcess(writeSeed(dir));
  const clients: MongoClient[] = [];
  const connect = async (name: string) => {
    const client = new MongoClient(wire.get(name)!, { auth: USER });
    clients.push(client);
    await client.connect();
    return client;
  };
  try {
    const started = rssMb(child.pid!);
    for (let i = 0; i < CLUSTERS; i++) {
      const count = await (await connect(`bench-${i}`)).db("bench").collection("customers").countDocuments();
      if (count !== DOCUMENTS_PER_CLUSTER) throw new Error(`bench-${i} holds ${count} documents`);
    }
    const loaded = rssMb(child.pid!);

    const target = await connect("bench-target");
    const insertsPerSecond: number[] = [];
    for (let r = 0; r < REPETITIONS; r++) {
      const docs = Array.from({ length: DOCUMENTS_PER_CLUSTER }, (_, i) => document(1_000_000 * (r + 1) + i));
      const start = performance.now();
      await target.db("inserts").collection(`r${r}`).insertMany(docs);
      insertsPerSecond.push(DOCUMENTS_PER_CLUSTER / ((performance.now() - start) / 1000));
    }

    // The source's documents are read from its seed file on first use: that happens here, untimed,
    // so the restores time the copy alone.
    const source = await connect("bench-source");
    if ((await source.db("bench").collection("customers").estimatedDocumentCount()) !== RESTORE_DOCUMENTS)
      throw new Error("the restore's source is not loaded");

    const token = await oauthToken(url);
    const post = async (path: string, version: string, body: unknown) => {
      const response = await fetch(`${url}/api/atlas/v2/groups/${G}/clusters/bench-source/${path}`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: `application/vnd.atlas.${version}+json`,
          "Content-Type": `application/vnd.atlas.${version}+json`,
        },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${path} answered ${response.status}`);
    };
    const timed = async (start: () => Promise<void>): Promise<TimedRestore[]> => {
      const runs: TimedRestore[] = [];
      for (let r = 0; r < REPETITIONS; r++) {
        await start();
        // The job ends 1 ms after its creation (--restore-duration 1); the next command lands it.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const landingMs = await landing(target);
        const count = await target.db("bench").collection("customers").estimatedDocumentCount();
        if (count !== RESTORE_DOCUMENTS) throw new Error(`the target holds ${count} documents`);
        runs.push({
          landingMs,
          documentsPerSecond: RESTORE_DOCUMENTS / (landingMs / 1000),
          load: loadavg()[0]!,
        });
      }
      return runs;
    };
    const automated = await timed(() =>
      post("backup/restoreJobs", "2023-01-01", {
        deliveryType: "automated",
        snapshotId: "6650a1b2c3d4e5f6a7b8ee01",
        targetClusterName: "bench-target",
        targetGroupId: G,
      }),
    );
    const collection = await timed(() =>
      post("collectionRestoreJobs", "2025-03-12", {
        snapshotId: "6650a1b2c3d4e5f6a7b8ee01",
        targetClusterName: "bench-target",
        targetGroupId: G,
        writeStrategy: "OVERWRITE_EXISTING",
        indexStrategy: "ALL",
        collections: [{ sourceNamespace: "bench.customers" }],
      }),
    );
    return {
      clusters: CLUSTERS,
      documentsPerCluster: DOCUMENTS_PER_CLUSTER,
      rssMb: { started, loaded },
      insertsPerSecond,
      restoreDocuments: RESTORE_DOCUMENTS,
      automated,
      collection,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function oauthToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/oauth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${ACCOUNT.clientId}:${ACCOUNT.clientSecret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The data section of bench/results.md. */
export function dataSection(data: DataBenchResults): string[] {
  const of = (runs: readonly TimedRestore[], field: keyof TimedRestore): Spread =>
    spread(runs.map((r) => r[field]));
  const row = (kind: string, runs: readonly TimedRestore[]) => {
    const met = runs.every((r) => r.documentsPerSecond >= TARGET_DOCUMENTS_PER_SECOND);
    return `| ${kind} restore of ${data.restoreDocuments.toLocaleString("en")} documents | ${formatSpread(of(runs, "landingMs"), 0, " ms")} | ${formatSpread(of(runs, "documentsPerSecond"), 0, " documents/s")} | ${met ? "yes" : "**no**"} | ${formatSpread(of(runs, "load"), 2, "")} |`;
  };
  return [
    "## Clusters that hold data",
    "",
    `The emulator as a process of its own (the built CLI), with ${data.clusters} clusters of ${data.documentsPerCluster.toLocaleString("en")} stored documents each (about 210 bytes of BSON apiece), read once through the wire protocol: **${data.rssMb.loaded.toFixed(0)} MB RSS** (${data.rssMb.started.toFixed(0)} MB before any cluster's documents were read).`,
    "",
    `A restore lands when the first command after its job's end reaches the target: the figure is that command's time beyond a plain one. Target: at least ${TARGET_DOCUMENTS_PER_SECOND.toLocaleString("en")} documents/s in every run.`,
    "",
    "| restore | landing | copied | ≥ target in every run | load |",
    "| --- | --- | --- | --- | --- |",
    row("automated", data.automated),
    row("collection-level", data.collection),
    "",
    `Inserts through the driver (\`insertMany\` of ${data.documentsPerCluster.toLocaleString("en")} documents): ${formatSpread(spread(data.insertsPerSecond), 0, " documents/s")}.`,
  ];
}

if (require.main === module) {
  dataBench()
    .then((data) => {
      console.log(JSON.stringify(data, null, 2));
      console.log(dataSection(data).join("\n"));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
