import type { CommandRun } from "./engine";
import { pollingSection, pollingTargets } from "./polling-report";
import type { Role } from "./process-tree";
import type { BenchResults, EngineRun } from "./results";
import { formatSpread, type Spread, spread } from "./stats";
import { atMost, s1, type Target, targetTable } from "./targets";

/**
 * bench/results.md from results.json alone: every number and every verdict below is computed from
 * what the run measured, nothing is typed in by hand.
 */

function runsOf(
  results: BenchResults,
  kind: EngineRun["kind"],
  count: number,
  parallel: EngineRun["parallel"],
  rateLimited = false,
) {
  return results.engine.runs.filter(
    (r) => r.kind === kind && r.count === count && r.parallel === parallel && r.rateLimited === rateLimited,
  );
}

const spreadOf = (values: number[]): Spread | undefined => (values.length > 0 ? spread(values) : undefined);
const wall = (runs: EngineRun[]) => spreadOf(runs.map((r) => r.up.wallMs));
const engineCpu = (runs: EngineRun[], command: "up" | "destroy") =>
  spreadOf(runs.flatMap((r) => (r[command] ? [(r[command] as CommandRun).usage.cpuSeconds.engine] : [])));
const firstState = (runs: EngineRun[]) => runs.find((r) => r.stateBytesPerResource !== undefined);
const ratio = (a: Spread | undefined, b: Spread | undefined) => (a && b ? a.median / b.median : undefined);
const fmt = (s: Spread | undefined, digits: number, unit: string) =>
  s ? formatSpread(s, digits, unit) : "not measured";

/**
 * What a stack of the throttled case's size takes with no request at all (50 do-nothing resources'
 * `up` at `--parallel 100`, median): no client-side limiter can bring an `up` below the rate floor plus it.
 */
const engineOwnMs = (results: BenchResults) => wall(runsOf(results, "minimal", 50, "100"))?.median;

/** The rate floor of one throttled run: the shortest time the bucket admits its accepted requests in. */
function floorMs(run: EngineRun, limit: BenchResults["settings"]["rateLimit"]): number {
  return (Math.max(0, run.requests - run.throttled - limit.capacity) / limit.refillPerSecond) * 1000;
}

function targets(results: BenchResults): Target[] {
  const restore100 = runsOf(results, "restore", 100, "default");
  const minimal100 = runsOf(results, "minimal", 100, "default");
  const stateRestore = firstState(restore100)?.stateBytesPerResource;
  const stateMinimal = firstState(minimal100)?.stateBytesPerResource;
  const engineOwn = engineOwnMs(results);
  const perRestore = firstState(restore100)?.stateResourcesPerResource;
  const stateResources = perRestore === undefined ? undefined : perRestore * 100;
  const throttledRuns = runsOf(results, "restore", 50, "100", true);
  const requests = throttledRuns.reduce((sum, r) => sum + r.requests, 0);
  const refused = throttledRuns.reduce((sum, r) => sum + r.throttled, 0);
  const windows = spreadOf(
    throttledRuns.map((r) => r.requestWindowMs / Math.max(1, floorMs(r, results.settings.rateLimit))),
  );
  const allCases = new Map<string, number>();
  for (const r of results.engine.runs) {
    const key = `${r.kind}/${r.count}/${r.parallel}/${r.rateLimited}`;
    allCases.set(key, (allCases.get(key) ?? 0) + 1);
  }
  const fewestRepetitions = allCases.size > 0 ? Math.min(...allCases.values()) : 0;
  const x = (v: number) => `${v.toFixed(2)} ×`;
  return [
    atMost(
      "state per restore (every state resource it adds) ≤ 1.5 × a do-nothing dynamic resource's (installed tarball, 100 of each)",
      stateRestore !== undefined && stateMinimal ? stateRestore / stateMinimal : undefined,
      1.5,
      x,
    ),
    atMost(
      `engine CPU on \`up\` of 100 restores (${stateResources ?? "?"} state resources) ≤ 1.3 × 100 do-nothing resources' (medians)`,
      ratio(engineCpu(restore100, "up"), engineCpu(minimal100, "up")),
      1.3,
      x,
    ),
    atMost(
      "engine CPU on `destroy` of 100 restores ≤ 1.3 × 100 do-nothing resources' (medians)",
      ratio(engineCpu(restore100, "destroy"), engineCpu(minimal100, "destroy")),
      1.3,
      x,
    ),
    atMost(
      "50 restores ≤ 1.6 × the wall time of one, default parallelism (medians)",
      ratio(wall(runsOf(results, "restore", 50, "default")), wall(runsOf(results, "restore", 1, "default"))),
      1.6,
      x,
    ),
    atMost(
      `429s ≤ 5 % of requests under ${results.settings.rateLimit.capacity} burst / ${results.settings.rateLimit.refillPerSecond}/s (all repetitions)`,
      requests > 0 ? (refused / requests) * 100 : undefined,
      5,
      (v) => `${v.toFixed(1)} %`,
    ),
    atMost("request window ≤ 1.1 × the rate floor under that limit (median)", windows?.median, 1.1, x),
    atMost(
      "`pulumi up` wall ≤ 1.1 × the rate floor plus the engine's own time (50 do-nothing resources' `up` at `--parallel 100`, median) under that limit (median)",
      engineOwn === undefined
        ? undefined
        : spreadOf(
            throttledRuns.map(
              (r) => r.up.wallMs / Math.max(1, floorMs(r, results.settings.rateLimit) + engineOwn),
            ),
          )?.median,
      1.1,
      x,
    ),
    atMost(
      "create POSTs refused with 429 under that limit (all repetitions)",
      throttledRuns.length > 0 ? throttledRuns.reduce((sum, r) => sum + r.throttledPosts, 0) : undefined,
      0,
      (v) => String(v),
    ),
    atMost("`npm run bench` under 15 minutes", results.totalMs / 60_000, 15, (v) => `${v.toFixed(1)} min`),
    atMost("engine runs that failed", results.engine.failed.length, 0, String),
    {
      target: "every timed case repeated at least 3 times (fewest repetitions of a case)",
      measured: String(fewestRepetitions),
      met: fewestRepetitions >= 3,
      margin:
        fewestRepetitions >= 3
          ? `${fewestRepetitions - 3} to spare`
          : `missed by ${3 - fewestRepetitions} repetitions`,
    },
  ];
}

function engineSection(results: BenchResults): string[] {
  const lines = [
    `## Engine (real CLI, installed tarball \`${results.engine.tarball}\`, emulator restores of ${s1(results.settings.restoreMs)})`,
    "",
    "Wall time of `pulumi up`, median (min–max, n) over repetitions, and its ratio to one resource of the same kind and parallelism.",
    "",
    "| resources | restores, default parallelism | ratio | restores, `--parallel 100` | ratio | do-nothing, default | ratio | do-nothing, `--parallel 100` | ratio |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const count of results.settings.counts) {
    const cells: string[] = [];
    for (const [kind, parallel] of [
      ["restore", "default"],
      ["restore", "100"],
      ["minimal", "default"],
      ["minimal", "100"],
    ] as const) {
      const runs = runsOf(results, kind, count, parallel);
      const r = ratio(wall(runs), wall(runsOf(results, kind, 1, parallel)));
      cells.push(
        fmt(spreadOf(runs.map((run) => run.up.wallMs / 1000)), 1, " s"),
        r === undefined ? "—" : r.toFixed(2),
      );
    }
    lines.push(`| ${count} | ${cells.join(" | ")} |`);
  }
  const one = wall(runsOf(results, "restore", 1, "default"));
  const oneMinimal = wall(runsOf(results, "minimal", 1, "default"));
  if (one && oneMinimal) {
    // Restores this short are noticed by the wait's first planned check, which the wall times show.
    lines.push(
      "",
      `A restore of ${s1(results.settings.restoreMs)} is noticed within about a second by the program's first checks (2 s, then growing: nothing predicts a first restore's length): of one restore's ${s1(one.median)}, the do-nothing resource's ${s1(oneMinimal.median)} is the engine's own. So the ratios say whether restores queue behind one another, not how long one takes.`,
    );
  }
  const restore100 = runsOf(results, "restore", 100, "default");
  const minimal100 = runsOf(results, "minimal", 100, "default");
  const state = (runs: EngineRun[]) => firstState(runs);
  lines.push(
    "",
    "### State and engine CPU (100 resources, default parallelism)",
    "",
    "_Bytes per resource_: the exported deployment's resources (the stack and provider resources left out) as JSON, divided by the 100 resources the program declares; for restores that counts every state resource a restore adds. Engine CPU is likewise for the whole stack.",
    "",
    "| stack | bytes per resource | state resources per resource | `__provider` characters | engine CPU on `up` | engine CPU on `destroy` |",
    "| --- | --- | --- | --- | --- | --- |",
    `| restores | ${state(restore100)?.stateBytesPerResource?.toFixed(0) ?? "—"} | ${state(restore100)?.stateResourcesPerResource ?? "—"} | ${state(restore100)?.providerChars ?? "—"} | ${fmt(engineCpu(restore100, "up"), 2, " s")} | ${fmt(engineCpu(restore100, "destroy"), 2, " s")} |`,
    `| do-nothing | ${state(minimal100)?.stateBytesPerResource?.toFixed(0) ?? "—"} | ${state(minimal100)?.stateResourcesPerResource ?? "—"} | ${state(minimal100)?.providerChars ?? "—"} | ${fmt(engineCpu(minimal100, "up"), 2, " s")} | ${fmt(engineCpu(minimal100, "destroy"), 2, " s")} |`,
    "",
    "Engine CPU is the `pulumi` process's user + system time read from /proc every 50 ms; the last interval before it exits is not counted.",
  );
  const byType = state(restore100)?.stateBytesByType;
  if (byType) {
    lines.push(
      "",
      `Per restore, by state resource: ${Object.entries(byType)
        .map(([type, bytes]) => `\`${type}\` ${bytes.toFixed(0)} bytes`)
        .join(", ")}.`,
    );
  }
  const limit = results.settings.rateLimit;
  const throttled = runsOf(results, "restore", 50, "100", true);
  const engineOwn = engineOwnMs(results);
  lines.push(
    "",
    `### 50 restores under a rate limit of ${limit.capacity} burst, ${limit.refillPerSecond}/s (\`--parallel 100\`)`,
    "",
    "_Rate floor_: (accepted requests − burst) / refill rate, the shortest time in which the emulator's bucket admits the run's requests. _Request window_: first to last API request.",
    "",
    "| repetition | API requests | 429s | 429s on POST | rate floor | request window | window / floor | `pulumi up` wall |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...throttled.map((r) => {
      const floor = floorMs(r, limit);
      return `| ${r.repetition} | ${r.requests} | ${r.throttled} (${((r.throttled / Math.max(1, r.requests)) * 100).toFixed(1)} %) | ${r.throttledPosts} | ${s1(floor)} | ${s1(r.requestWindowMs)} | ${(r.requestWindowMs / Math.max(1, floor)).toFixed(2)} | ${s1(r.up.wallMs)} |`;
    }),
  );
  const outside = spreadOf(throttled.map((r) => (r.up.wallMs - r.requestWindowMs) / 1000));
  const before = spreadOf(
    throttled.flatMap((r) => (r.beforeFirstRequestMs === undefined ? [] : [r.beforeFirstRequestMs / 1000])),
  );
  const after = spreadOf(
    throttled.flatMap((r) => (r.afterLastRequestMs === undefined ? [] : [r.afterLastRequestMs / 1000])),
  );
  if (outside) {
    lines.push(
      "",
      `Of each \`pulumi up\`, ${formatSpread(outside, 1, " s")} passed outside the request window${
        before && after
          ? `: ${formatSpread(before, 1, " s")} before the first request (the CLI's start, the language host and the program, the provider process and its OAuth token) and ${formatSpread(after, 1, " s")} after the last (the engine's finish)`
          : ": the engine's start, the program, and the finish after the last request"
      }. The rate floor bounds only the request window; the whole \`up\` is held to the floor plus what 50 do-nothing resources' \`up\` takes${
        engineOwn === undefined ? "" : ` (${s1(engineOwn)})`
      }, which no request is part of.`,
    );
  }
  return lines;
}

function memorySection(results: BenchResults): string[] {
  const roles: Role[] = ["engine", "language host", "program", "provider"];
  const peak = (runs: EngineRun[], role: Role) => spreadOf(runs.map((r) => r.up.usage.peakRssMb[role]));
  const cases: [string, EngineRun[]][] = [
    ["100 restores, `--parallel 100`", runsOf(results, "restore", 100, "100")],
    ["100 do-nothing, `--parallel 100`", runsOf(results, "minimal", 100, "100")],
  ];
  return [
    "## Memory (the bench's own process tree only)",
    "",
    "Peak RSS of each process of `pulumi up`, read from /proc for the engine and its descendants only, median (min–max, n) over repetitions.",
    "",
    `| run | ${roles.join(" | ")} | whole tree |`,
    `| --- | ${roles.map(() => "---").join(" | ")} | --- |`,
    ...cases.map(
      ([label, runs]) =>
        `| ${label} | ${roles.map((role) => fmt(peak(runs, role), 0, " MB")).join(" | ")} | ${fmt(spreadOf(runs.map((r) => r.up.usage.peakTreeRssMb)), 0, " MB")} |`,
    ),
  ];
}

/** The whole results.md. */
export function report(results: BenchResults): string {
  const loads = results.engine.runs.map((r) => r.up.load[0]);
  const load = spreadOf(loads);
  const lines = [
    "# Benchmark results",
    "",
    `Run on ${results.generatedAt} (Node ${results.node}, ${results.machine.cpus} × ${results.machine.model}) in ${(results.totalMs / 60_000).toFixed(1)} min. Regenerate with \`npm run bench\`.`,
    "",
    `Machine load (1-minute average): ${results.machine.loadBefore[0]!.toFixed(2)} before the bench, ${results.machine.loadAfter[0]!.toFixed(2)} after; at the start of each \`pulumi up\`: ${load ? formatSpread(load, 2, "") : "no runs"}. The machine is shared, so timed figures carry that load.`,
    "",
    "## Targets",
    "",
    ...targetTable([...pollingTargets(results.polling), ...targets(results)]),
    "",
    ...pollingSection(results.polling),
    "",
    ...engineSection(results),
    "",
    ...memorySection(results),
  ];
  if (results.engine.skipped.length > 0) {
    lines.push(
      "",
      `Skipped to stay within the ${(results.settings.budgetMs / 60_000).toFixed(0)} minute budget: ${results.engine.skipped.join("; ")}.`,
    );
  }
  if (results.engine.failed.length > 0) {
    lines.push("", `Runs that failed: ${results.engine.failed.join("; ")}.`);
  }
  const failedRequests = results.engine.runs.filter((r) => !r.rateLimited && r.throttled > 0);
  lines.push(
    "",
    failedRequests.length === 0
      ? "No run without a rate limit saw a 429."
      : `Runs without a rate limit that saw 429s: ${failedRequests.length}.`,
  );
  return `${lines.join("\n")}\n`;
}
