import type { BenchResults, EngineRun } from "./results";
import { formatSpread, type Spread, spread } from "./stats";
import { atMost, s1, type Target } from "./targets";

/**
 * The parts of results.md about what an `up` costs besides its wall time: engine and whole-tree CPU
 * from interleaved pairs, the throttled runs, the listings, and the collection queue.
 */

const spreadOf = (values: number[]): Spread | undefined => (values.length > 0 ? spread(values) : undefined);
const x = (v: number) => `${v.toFixed(2)} ×`;
const percent = (v: number) => `${v.toFixed(2)} %`;

/** The runs of one case. */
export function runsOf(
  results: BenchResults,
  kind: EngineRun["kind"],
  count: number,
  parallel: EngineRun["parallel"],
  rateLimited = false,
): EngineRun[] {
  return results.engine.runs.filter(
    (r) => r.kind === kind && r.count === count && r.parallel === parallel && r.rateLimited === rateLimited,
  );
}

/** Above this one-minute load per core, CPU times carry others' work (cache, scheduling) too much. */
const MAX_LOAD_PER_CORE = 1;

type Command = "up" | "destroy";

/** One pair: a restore stack's run and the do-nothing stack's run of the same repetition. */
interface Pair {
  readonly restore: EngineRun;
  readonly minimal: EngineRun;
}

function pairsOf(results: BenchResults): Pair[] {
  const minimal = runsOf(results, "minimal", 100, "default");
  return runsOf(results, "restore", 100, "default").flatMap((restore) => {
    const partner = minimal.find((m) => m.repetition === restore.repetition);
    return partner ? [{ restore, minimal: partner }] : [];
  });
}

const engineCpu = (run: EngineRun, command: Command) => run[command]?.usage.cpuSeconds.engine;
const treeCpu = (run: EngineRun, command: Command) => run[command]?.treeCpuSeconds;

/** Per-pair ratios of a CPU figure, restore over do-nothing. */
function ratios(pairs: readonly Pair[], figure: (run: EngineRun) => number | undefined): number[] {
  return pairs.flatMap(({ restore, minimal }) => {
    const a = figure(restore);
    const b = figure(minimal);
    return a !== undefined && b !== undefined && Number.isFinite(a) && b > 0 ? [a / b] : [];
  });
}

/** Loads at the start of every command of the pairs. */
function pairLoads(pairs: readonly Pair[]): number[] {
  return pairs.flatMap((p) =>
    [p.restore, p.minimal].flatMap((r) => [r.up.load[0], ...(r.destroy ? [r.destroy.load[0]] : [])]),
  );
}

/** Whether the pairs ran on a machine quiet enough for CPU times to mean something. */
function loadVerdict(results: BenchResults): { ok: boolean; words: string } {
  const loads = spreadOf(pairLoads(pairsOf(results)));
  if (!loads) return { ok: false, words: "no pairs ran" };
  const limit = MAX_LOAD_PER_CORE * results.machine.cpus;
  return {
    ok: loads.median <= limit,
    words: `median load ${loads.median.toFixed(2)} on ${results.machine.cpus} cores (at most ${limit} to measure)`,
  };
}

/** The CPU targets: engine CPU ≤ 1.3 × on `up` and `destroy`, judged only when the load allowed. */
export function cpuTargets(results: BenchResults): Target[] {
  const pairs = pairsOf(results);
  const load = loadVerdict(results);
  const perRestore = pairs[0]?.restore.stateResourcesPerResource;
  const judged = (target: Target): Target =>
    load.ok || target.met === undefined
      ? target
      : { ...target, met: undefined, margin: `load too high to measure: ${load.words}` };
  return [
    {
      target: "CPU pairs: at least 5 interleaved pairs of 100 restores and 100 do-nothing resources",
      measured: String(pairs.length),
      met: pairs.length >= 5,
      margin: pairs.length >= 5 ? `${pairs.length - 5} to spare` : `missed by ${5 - pairs.length}`,
    },
    {
      target: "CPU pairs ran at a load low enough to measure",
      measured: load.words,
      met: load.ok,
      margin: load.ok ? "yes" : "the CPU figures below are reported, not judged",
    },
    ...(["up", "destroy"] as const).map((command) =>
      judged(
        atMost(
          `engine CPU on \`${command}\` of 100 restores (${perRestore === undefined ? "?" : perRestore * 100} state resources) ≤ 1.3 × 100 do-nothing resources' (median of per-pair ratios)`,
          spreadOf(ratios(pairs, (r) => engineCpu(r, command)))?.median,
          1.3,
          x,
        ),
      ),
    ),
  ];
}

/** The CPU section: every pair, engine and whole tree, with the load of each. */
export function cpuSection(results: BenchResults): string[] {
  const pairs = pairsOf(results);
  const cell = (run: EngineRun, command: Command) =>
    run[command]
      ? `${engineCpu(run, command)!.toFixed(2)} / ${treeCpu(run, command)!.toFixed(2)} s (load ${run[command]!.load[0].toFixed(1)})`
      : "—";
  const summary = (command: Command, figure: (run: EngineRun, c: Command) => number | undefined) => {
    const s = spreadOf(ratios(pairs, (r) => figure(r, command)));
    return s ? formatSpread(s, 2, " ×") : "not measured";
  };
  return [
    "### Engine and whole-tree CPU (100 resources, default parallelism, interleaved pairs)",
    "",
    "Each pair runs `up` then `destroy` of 100 restores, then the same of 100 do-nothing dynamic resources. _Engine_: the `pulumi` process's user + system time, read from /proc every 50 ms (the last interval before it exits is not counted). _Whole tree_: user + system time of every process the command ran and waited for (engine, language host, program, provider), as the shell that ran it reports (`times`). Load: the one-minute average when the command started.",
    "",
    "| pair | restores `up`: engine / tree | do-nothing `up` | restores `destroy` | do-nothing `destroy` |",
    "| --- | --- | --- | --- | --- |",
    ...pairs.map(
      (p) =>
        `| ${p.restore.repetition} | ${cell(p.restore, "up")} | ${cell(p.minimal, "up")} | ${cell(p.restore, "destroy")} | ${cell(p.minimal, "destroy")} |`,
    ),
    "",
    `Ratios, restores over do-nothing, median (min–max, n) over the pairs: engine CPU on \`up\` ${summary("up", engineCpu)}, on \`destroy\` ${summary("destroy", engineCpu)}; whole-tree CPU on \`up\` ${summary("up", treeCpu)}, on \`destroy\` ${summary("destroy", treeCpu)}. ${loadVerdict(results).ok ? "The load allowed measuring." : `**The load was too high to measure** (${loadVerdict(results).words}): the figures are reported, not judged.`} The whole tree of a restore stack includes the program's waits and the provider's Atlas calls, which a do-nothing resource does not make; no target is set on it.`,
  ];
}

/** Runs of the throttled case at one parallelism. */
const throttledAt = (results: BenchResults, parallel: EngineRun["parallel"]) =>
  runsOf(results, "restore", 50, parallel, true);

/** The rate-limit targets: ≤ 0.5 % 429s at both parallelisms, no refused create. */
export function throttleTargets(results: BenchResults): Target[] {
  const { capacity, refillPerSecond } = results.settings.rateLimit;
  return (["default", "100"] as const).flatMap((parallel) => {
    const runs = throttledAt(results, parallel);
    const requests = runs.reduce((sum, r) => sum + r.requests, 0);
    const refused = runs.reduce((sum, r) => sum + r.throttled, 0);
    const label = parallel === "default" ? "default parallelism" : "`--parallel 100`";
    return [
      atMost(
        `429s ≤ 0.5 % of requests, 50 restores under ${capacity} burst / ${refillPerSecond}/s, ${label} (all ${runs.length} repetitions)`,
        requests > 0 ? (refused / requests) * 100 : undefined,
        0.5,
        percent,
      ),
      atMost(
        `create POSTs refused with 429 under that limit, ${label} (all repetitions)`,
        runs.length > 0 ? runs.reduce((sum, r) => sum + r.throttledPosts, 0) : undefined,
        0,
        String,
      ),
    ];
  });
}

/** The rate floor of one throttled run: the shortest time the bucket admits its accepted requests in. */
export function floorMs(run: EngineRun, limit: BenchResults["settings"]["rateLimit"]): number {
  return (Math.max(0, run.requests - run.throttled - limit.capacity) / limit.refillPerSecond) * 1000;
}

/** The throttled runs, one row each. */
export function throttleSection(results: BenchResults): string[] {
  const limit = results.settings.rateLimit;
  const row = (r: EngineRun) => {
    const floor = floorMs(r, limit);
    return `| ${r.parallel} | ${r.repetition} | ${r.requests} | ${r.throttled} (${((r.throttled / Math.max(1, r.requests)) * 100).toFixed(1)} %) | ${r.throttledPosts} | ${s1(floor)} | ${s1(r.requestWindowMs)} | ${(r.requestWindowMs / Math.max(1, floor)).toFixed(2)} | ${s1(r.up.wallMs)} |`;
  };
  return [
    `### 50 restores under a rate limit of ${limit.capacity} burst, ${limit.refillPerSecond}/s`,
    "",
    "Two processes spend one credential's budget: the provider process (snapshot and job listings, the POSTs) and the program's (the waits). _Rate floor_: (accepted requests − burst) / refill rate, the shortest time in which the emulator's bucket admits the run's requests. _Request window_: first to last API request.",
    "",
    "| parallelism | repetition | API requests | 429s | 429s on POST | rate floor | request window | window / floor | `pulumi up` wall |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...[...throttledAt(results, "default"), ...throttledAt(results, "100")].map(row),
  ];
}

/** The listing targets: one listing of each kind per source per sharing period, whatever the count. */
export function listingTargets(results: BenchResults): Target[] {
  const runs = results.engine.runs.filter((r) => r.kind === "restore" && !r.rateLimited && r.count >= 50);
  // Sharing lasts 30 s: a longer `up` may list again once per 30 s of its request window.
  const worstPerPeriod = (listings: (r: EngineRun) => number) => {
    const perPeriod = runs.map((r) => listings(r) / Math.max(1, Math.ceil(r.requestWindowMs / 30_000)));
    return perPeriod.length > 0 ? Math.max(...perPeriod) : undefined;
  };
  return (
    [
      ["restore-job", (r: EngineRun) => r.jobListings],
      ["snapshot", (r: EngineRun) => r.snapshotListings],
    ] as const
  ).map(([what, listings]) =>
    atMost(
      `${what} listings per \`up\` of 50 or 100 restores from one source ≤ 1 per 30 s of the \`up\`'s requests (worst run): O(N) listings`,
      worstPerPeriod(listings),
      1,
      (v) => v.toFixed(2),
    ),
  );
}

/** A line on the listings: per `up`, by count. */
export function listingLine(results: BenchResults): string {
  const counts = [...new Set(results.engine.runs.filter((r) => r.kind === "restore").map((r) => r.count))];
  const parts = counts
    .sort((a, b) => a - b)
    .map((count) => {
      const runs = results.engine.runs.filter(
        (r) => r.kind === "restore" && r.count === count && !r.rateLimited,
      );
      const jobs = spreadOf(runs.map((r) => r.jobListings));
      const snapshots = spreadOf(runs.map((r) => r.snapshotListings));
      return `${count} restores: ${jobs ? formatSpread(jobs, 0, "") : "—"} job listings, ${snapshots ? formatSpread(snapshots, 0, "") : "—"} snapshot listings`;
    });
  return `Listings per \`up\` (median (min–max, n)): ${parts.join("; ")}. A start's first listing of the source's restore jobs, and its listing of the source's snapshots (choosing the newest), are shared by every start in the provider process for 30 s (concurrent ones wait for the same request); listings that look for a job created by an unanswered POST are never shared. A listing counts once however many pages of 100 it takes.`;
}

/** The collection queue's runs. */
const queueRuns = (results: BenchResults) => results.engine.runs.filter((r) => r.kind === "collection");

/** The queue target: no idle gap between collection restores of one source. */
export function queueTargets(results: BenchResults): Target[] {
  const gaps = queueRuns(results).flatMap((r) => r.idleGapsMs ?? []);
  const mean = gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : undefined;
  return [
    atMost(
      `collection restores of one source queue without idle gaps: mean idle between consecutive jobs ≤ 1 s (${results.settings.collections} restores of ${s1(results.settings.restoreMs)})`,
      mean,
      1_000,
      s1,
    ),
  ];
}

/** The collection queue's section. */
export function queueSection(results: BenchResults): string[] {
  return queueRuns(results).map((r) => {
    const gaps = spreadOf((r.idleGapsMs ?? []).map((ms) => ms / 1000));
    const busyMs = r.count * results.settings.restoreMs;
    return `### ${r.count} collection restores of one source cluster\n\nAtlas runs one collection restore per cluster at a time. \`pulumi up\` took ${s1(r.up.wallMs)}; its requests spanned ${s1(r.requestWindowMs)}, against ${s1(busyMs)} of restoring back to back. Idle between one job's end and the next one's start: ${gaps ? formatSpread(gaps, 2, " s") : "not measured"}. ${r.requests} API requests, ${r.jobListings} job listings.`;
  });
}
