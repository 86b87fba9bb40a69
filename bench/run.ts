import { rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";

import { defaultSeed, type RunningEmulator, type Seed, startEmulator } from "../emulator";
import { offlineHome, REPO_ROOT } from "../scripts/pulumi-cli";
import { dataBench } from "./data";
import { newStack, pulumiOutput, runPulumi } from "./engine";
import { installedProgram } from "./installed";
import { polling } from "./polling";
import { report } from "./report";
import type { BenchResults, EngineRun } from "./results";

/**
 * `npm run bench`: what the provider costs its users next to a dynamic provider that does nothing,
 * measured from an installed, packed copy of the package with the real engine against the emulator.
 * Every timed figure is repeated; the machine's load is recorded with each run. Writes
 * bench/results.json and bench/results.md (the second only from the first).
 */

/**
 * Restores per stack measured for the parallel ratio. `BENCH_COUNTS` and `BENCH_REPETITIONS` shrink
 * a run for trying the bench out; the report then says which targets went unmeasured.
 */
const COUNTS = (process.env.BENCH_COUNTS ?? "1,50,100").split(",").map(Number);
/** Repetitions of every timed case. */
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
/**
 * Pairs of `up` and `destroy` of 100 restores and 100 do-nothing resources, run one after the other
 * (restore, do-nothing, restore, …) so that a change of load touches both sides of a pair alike.
 */
const CPU_PAIRS = Number(process.env.BENCH_CPU_PAIRS ?? 5);
/** Collection restores of one source cluster in the queue case (Atlas runs them one at a time). */
const COLLECTIONS = Number(process.env.BENCH_COLLECTIONS ?? 100);
/** Restore length in the emulator, ms: short, so that the engine's own cost shows. */
const RESTORE_MS = 1_000;
/** The rate limit of the throttled cases (the emulator's burst and refill per second). */
const RATE_LIMIT = { capacity: 20, refillPerSecond: 10 } as const;
/** Whole bench budget: later repetitions are skipped, and say so, rather than run past it. */
const BUDGET_MS = 14 * 60_000;

const PROJECT = "atlas-restore-bench";

/** The default seed plus 100 target instances, so that 100 restores have 100 distinct intents. */
function benchSeed(): Seed {
  const seed = defaultSeed();
  const groupId = seed.projects[0]!.id;
  for (let i = 1; i <= 100; i++) {
    seed.serverlessInstances.push({
      id: `6650a1b2c3d4e5f6a7b8${(0xe000 + i).toString(16)}`,
      groupId,
      name: `bench-target-${String(i).padStart(3, "0")}`,
      snapshots: [],
    });
  }
  return seed;
}

interface Deployment {
  deployment: {
    resources: {
      type: string;
      urn: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }[];
  };
}

/** One engine case: what the stack holds and how `up` runs. */
interface Case {
  readonly kind: EngineRun["kind"];
  readonly count: number;
  readonly parallel: EngineRun["parallel"];
  readonly rateLimited: boolean;
  readonly repetitions: number;
  /** Destroy after `up`, for the engine's CPU on destroy. */
  readonly destroy: boolean;
}

/**
 * The cases, in the order one repetition runs them: the CPU pairs first (100 restores then 100
 * do-nothing, at the default parallelism), then the parallel table and its do-nothing pairs, the
 * throttled runs and the collection queue.
 */
function casesOf(): Case[] {
  const cases: Case[] = [];
  const add = (c: Omit<Case, "repetitions" | "destroy" | "rateLimited"> & Partial<Case>) =>
    cases.push({ repetitions: REPETITIONS, destroy: false, rateLimited: false, ...c });
  for (const kind of ["restore", "minimal"] as const)
    add({
      kind,
      count: 100,
      parallel: "default",
      repetitions: Math.max(CPU_PAIRS, REPETITIONS),
      destroy: true,
    });
  for (const parallel of ["default", "100"] as const)
    for (const count of COUNTS)
      for (const kind of ["restore", "minimal"] as const)
        if (!(count === 100 && parallel === "default")) add({ kind, count, parallel });
  // The engine's own cost of the parallel target's two counts, in a restore's shape.
  for (const count of COUNTS.filter((n) => n <= 50)) add({ kind: "pair", count, parallel: "default" });
  for (const parallel of ["default", "100"] as const)
    add({ kind: "restore", count: 50, parallel, rateLimited: true });
  add({ kind: "collection", count: COLLECTIONS, parallel: "default", repetitions: 1 });
  return cases;
}

async function engine(deadline: number) {
  const seed = benchSeed();
  const account = seed.serviceAccounts[0]!;
  const groupId = seed.projects[0]!.id;
  // The serverless API as before its sunset, so that runs stay comparable with earlier results; the
  // Flex fallback adds one failed call per restore and is measured by the tests, not here.
  const emulator: RunningEmulator = await startEmulator({
    seed,
    restoreDurationMs: RESTORE_MS,
    sunset: "off",
  });
  const { dir, tarball } = installedProgram(join(REPO_ROOT, ".pulumi-local", "bench-installed"));
  // A fresh backend each run: its stacks are named by case and repetition.
  rmSync(join(REPO_ROOT, ".pulumi-local", "bench"), { recursive: true, force: true });
  const home = await offlineHome(join(REPO_ROOT, ".pulumi-local", "bench"), {
    MONGODB_ATLAS_BASE_URL: emulator.url,
    MONGODB_ATLAS_CLIENT_ID: account.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
  });
  const admin = async (path: string, method = "GET", body?: unknown) =>
    (await fetch(`${emulator.url}/__emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json())) as Record<string, unknown>;

  const runs: EngineRun[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  const cases = casesOf();
  const stackName = (c: Case, repetition: number) =>
    `${c.kind}-${c.count}-p${c.parallel}${c.rateLimited ? "-limited" : ""}-r${repetition}`;
  // Every stack is created before anything is timed, a few at a time, and none is removed (this
  // backend is the bench's own): a stack init and rm per run would add two CLI starts to each.
  const planned = cases.flatMap((c) =>
    Array.from({ length: c.repetitions }, (_, i) => ({ c, repetition: i + 1 })),
  );
  for (let i = 0; i < planned.length; i += 4) {
    await Promise.all(
      planned.slice(i, i + 4).map(({ c, repetition }) =>
        newStack(stackName(c, repetition), dir, home.env, {
          [`${PROJECT}:count`]: String(c.count),
          [`${PROJECT}:kind`]: c.kind,
          [`${PROJECT}:groupId`]: groupId,
        }),
      ),
    );
  }

  const once = async (c: Case, repetition: number) => {
    const { kind, count, parallel, rateLimited } = c;
    const label = `${kind} ×${count}, parallel ${parallel}${rateLimited ? ", rate-limited" : ""}, repetition ${repetition}`;
    if (Date.now() > deadline) {
      skipped.push(label);
      return;
    }
    await admin("/reset", "POST", {});
    await admin("/options", "PATCH", { rateLimit: rateLimited ? RATE_LIMIT : null });
    const stack = stackName(c, repetition);
    const flags = [
      "--yes",
      "--skip-preview",
      "--stack",
      stack,
      ...(parallel === "100" ? ["--parallel", "100"] : []),
    ];
    const up = await runPulumi(["up", ...flags], dir, home.env);
    // State is the same in every repetition: read it once per case.
    const exported =
      repetition === 1
        ? (JSON.parse(await pulumiOutput(["stack", "export", "--stack", stack], dir, home.env)) as Deployment)
        : undefined;
    const { requests } = (await admin("/requests")) as {
      requests: {
        method: string;
        path: string;
        status: unknown;
        time: string;
        operationId?: string;
        pageNum?: number;
      }[];
    };
    const api = requests.filter((r) => r.path.startsWith("/api/atlas/"));
    const times = api.map((r) => Date.parse(r.time));
    // A listing is its first page: a source with more jobs than a page takes more requests, not more listings.
    const listings = (pattern: RegExp) =>
      api.filter((r) => r.method === "GET" && pattern.test(r.operationId ?? "") && (r.pageNum ?? 1) <= 1)
        .length;
    const idleGapsMs = kind === "collection" ? idleGaps(await admin("/collection-jobs")) : undefined;
    const destroy = c.destroy ? await runPulumi(["destroy", ...flags], dir, home.env) : undefined;
    runs.push({
      kind,
      count,
      parallel,
      rateLimited,
      repetition,
      up,
      ...(destroy ? { destroy } : {}),
      ...(exported ? stateOf(exported, count) : {}),
      requests: api.length,
      throttled: api.filter((r) => r.status === 429).length,
      throttledPosts: api.filter((r) => r.status === 429 && r.method === "POST").length,
      jobListings: listings(/^list.*RestoreJobs$/),
      snapshotListings: listings(/^list.*Snapshots$/),
      ...(idleGapsMs ? { idleGapsMs } : {}),
      requestWindowMs: times.length > 1 ? Math.max(...times) - Math.min(...times) : 0,
      ...(times.length > 0
        ? {
            beforeFirstRequestMs: Math.min(...times) - up.startedAtMs,
            afterLastRequestMs: up.startedAtMs + up.wallMs - Math.max(...times),
          }
        : {}),
    });
    console.error(`bench: ${label}: up ${(up.wallMs / 1000).toFixed(1)} s, load ${up.load[0].toFixed(1)}`);
  };

  try {
    // Repetition by repetition, so that a budget cut leaves every case measured at least once, and
    // the CPU pairs interleave.
    const most = Math.max(...cases.map((c) => c.repetitions));
    for (let repetition = 1; repetition <= most; repetition++) {
      for (const c of cases.filter((k) => repetition <= k.repetitions)) {
        // One failed run (a timeout under load, say) is reported, not allowed to lose the others.
        await once(c, repetition).catch((error: unknown) => {
          const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
          failed.push(`${stackName(c, repetition)}: ${message}`);
        });
      }
    }
  } finally {
    await emulator.close();
  }
  return { runs, skipped, failed, tarball: tarball.slice(tarball.lastIndexOf("/") + 1) };
}

/**
 * State per user-facing resource: every resource but the stack and the providers counts, whatever
 * its type, so that a restore made of several state resources (a starter and its outcome, say)
 * counts all of them; by type, what each adds.
 */
function stateOf(exported: Deployment, count: number) {
  const resources = exported.deployment.resources.filter(
    (r) => !r.type.startsWith("pulumi:pulumi:Stack") && !r.type.startsWith("pulumi:providers:"),
  );
  const provider = resources.find((r) => r.outputs?.__provider !== undefined)?.outputs?.__provider;
  const bytesByType: Record<string, number> = {};
  const resourcesByType: Record<string, number> = {};
  for (const r of resources) {
    bytesByType[r.type] = (bytesByType[r.type] ?? 0) + JSON.stringify(r).length / count;
    resourcesByType[r.type] = (resourcesByType[r.type] ?? 0) + 1 / count;
  }
  return {
    stateBytesPerResource: resources.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / count,
    stateResourcesPerResource: resources.length / count,
    stateBytesByType: bytesByType,
    stateResourcesByType: resourcesByType,
    providerChars: typeof provider === "string" ? provider.length : 0,
  };
}

/** Idle time between consecutive collection restores of one cluster (the emulator's own record), ms. */
function idleGaps(answer: Record<string, unknown>): number[] {
  const jobs = (answer.jobs as { createdAt: number; durationMs: number }[]).sort(
    (a, b) => a.createdAt - b.createdAt,
  );
  return jobs.slice(1).map((job, i) => job.createdAt - (jobs[i]!.createdAt + jobs[i]!.durationMs));
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", loadBefore: loadavg() };
  const pollingResults = polling();
  const dataResults = await dataBench();
  const engineResults = await engine(started + BUDGET_MS);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    machine: { ...machine, loadAfter: loadavg() },
    settings: {
      counts: COUNTS,
      repetitions: REPETITIONS,
      cpuPairs: CPU_PAIRS,
      collections: COLLECTIONS,
      restoreMs: RESTORE_MS,
      rateLimit: RATE_LIMIT,
      budgetMs: BUDGET_MS,
    },
    polling: pollingResults,
    data: dataResults,
    engine: engineResults,
    totalMs: Date.now() - started,
  };
  writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = report(results);
  writeFileSync(join(__dirname, "results.md"), markdown);
  console.log(markdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
