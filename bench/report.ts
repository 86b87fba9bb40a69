import { dataSection } from "./data";
import {
  cpuSection,
  cpuTargets,
  listingLine,
  listingTargets,
  queueSection,
  queueTargets,
  runsOf,
  throttleSection,
  throttleTargets,
} from "./engine-report";
import { pollingSection, pollingTargets } from "./polling-report";
import type { Role } from "./process-tree";
import type { BenchResults, EngineRun } from "./results";
import { formatSpread, type Spread, spread } from "./stats";
import { atMost, s1, type Target, targetTable } from "./targets";

/**
 * bench/results.md from results.json alone: every number and every verdict below is computed from
 * what the run measured, nothing is typed in by hand.
 */

const spreadOf = (values: number[]): Spread | undefined => (values.length > 0 ? spread(values) : undefined);
const wall = (runs: EngineRun[]) => spreadOf(runs.map((r) => r.up.wallMs));
const firstState = (runs: EngineRun[]) => runs.find((r) => r.stateBytesPerResource !== undefined);
const ratio = (a: Spread | undefined, b: Spread | undefined) => (a && b ? a.median / b.median : undefined);
const fmt = (s: Spread | undefined, digits: number, unit: string) =>
  s ? formatSpread(s, digits, unit) : "not measured";

function targets(results: BenchResults): Target[] {
  const restore100 = runsOf(results, "restore", 100, "default");
  const minimal100 = runsOf(results, "minimal", 100, "default");
  const stateRestore = firstState(restore100)?.stateBytesPerResource;
  const stateMinimal = firstState(minimal100)?.stateBytesPerResource;
  const allCases = new Map<string, number>();
  for (const r of results.engine.runs) {
    if (r.kind === "collection") continue;
    const key = `${r.kind}/${r.count}/${r.parallel}/${r.rateLimited}`;
    allCases.set(key, (allCases.get(key) ?? 0) + 1);
  }
  const fewestRepetitions = allCases.size > 0 ? Math.min(...allCases.values()) : 0;
  const x = (v: number) => `${v.toFixed(2)} ×`;
  return [
    atMost(
      "state per restore (every state resource it adds: its job and its record) ≤ 2.5 × a do-nothing dynamic resource's (installed tarball, 100 of each)",
      stateRestore !== undefined && stateMinimal ? stateRestore / stateMinimal : undefined,
      2.5,
      x,
    ),
    ...cpuTargets(results),
    atMost(
      "no engine step held while a restore runs: 50 restores ≤ 1.3 × the wall time of one, default parallelism (medians)",
      ratio(wall(runsOf(results, "restore", 50, "default")), wall(runsOf(results, "restore", 1, "default"))),
      1.3,
      x,
    ),
    ...throttleTargets(results),
    ...listingTargets(results),
    ...queueTargets(results),
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
    // Each restore is two state resources, the record registered after its job: the same shape with
    // providers that do nothing is the engine's own share of the allowance.
    const fifty = wall(runsOf(results, "restore", 50, "default"));
    const [onePairRuns, pairRuns] = [1, 50].map((count) => runsOf(results, "pair", count, "default"));
    const [onePair, fiftyPairs] = [wall(onePairRuns), wall(pairRuns)];
    if (fifty && onePair && fiftyPairs) {
      const allowance = 0.3 * one.median;
      const share = (100 * (fiftyPairs.median - onePair.median)) / allowance;
      const seconds = (runs: EngineRun[]) => fmt(spreadOf(runs.map((r) => r.up.wallMs / 1000)), 1, " s");
      lines.push(
        "",
        `The target of 50 restores within 1.3 × one allows ${s1(allowance)} more than one restore's ${s1(one.median)}; 50 restores take ${s1(fifty.median - one.median)} more. Each restore is two state resources, its job and its record, the record registered once the job's wait ends. Do-nothing resources in that shape, the second of each pair depending on the first: one pair takes ${seconds(onePairRuns)}, 50 pairs ${seconds(pairRuns)}. The engine's own steps (each writes the whole state file, twice) thus take ${s1(fiftyPairs.median - onePair.median)}, ${share.toFixed(0)} % of the allowance, before any restore does anything.` +
          (share >= 100
            ? " No design with two state resources per restore can meet this target with restores this short, and one state resource cannot both hold the job id within a second of Atlas's answer and be registered only once the job has ended."
            : ""),
      );
    }
  }
  const restore100 = runsOf(results, "restore", 100, "default");
  const minimal100 = runsOf(results, "minimal", 100, "default");
  const state = (runs: EngineRun[]) => firstState(runs);
  lines.push(
    "",
    "### State (100 resources, default parallelism)",
    "",
    "_Bytes per resource_: the exported deployment's resources (the stack and provider resources left out) as JSON, divided by the 100 resources the program declares: for restores that counts every state resource a restore adds, whatever its type.",
    "",
    "| stack | bytes per resource | state resources per resource | `__provider` characters |",
    "| --- | --- | --- | --- |",
    `| restores | ${state(restore100)?.stateBytesPerResource?.toFixed(0) ?? "—"} | ${state(restore100)?.stateResourcesPerResource ?? "—"} | ${state(restore100)?.providerChars ?? "—"} |`,
    `| do-nothing | ${state(minimal100)?.stateBytesPerResource?.toFixed(0) ?? "—"} | ${state(minimal100)?.stateResourcesPerResource ?? "—"} | ${state(minimal100)?.providerChars ?? "—"} |`,
  );
  // The engine's fields of a restore's two state resources, with no inputs or outputs of their own.
  const pairs = firstState(runsOf(results, "pair", 50, "default"))?.stateBytesPerResource;
  const restoreBytes = state(restore100)?.stateBytesPerResource;
  const minimalBytes = state(minimal100)?.stateBytesPerResource;
  if (pairs && restoreBytes && minimalBytes)
    lines.push(
      "",
      `A pair of do-nothing resources in a restore's shape (the second depending on the first; 50 pairs, default parallelism) keeps ${pairs.toFixed(0)} bytes, ${(pairs / minimalBytes).toFixed(2)} × one: what the engine keeps of any two such resources (URNs, parent, provider, dependencies, source positions, stack traces, \`__provider\` in inputs and outputs). Under 2.5 × that leaves ${(2.5 * minimalBytes - pairs).toFixed(0)} bytes for a restore's own inputs and outputs; a restore keeps ${(restoreBytes - pairs).toFixed(0)} more than the pair.`,
    );
  const byType = state(restore100)?.stateBytesByType;
  const countByType = state(restore100)?.stateResourcesByType;
  if (byType) {
    lines.push(
      "",
      `Per restore, by state resource type: ${Object.entries(byType)
        .map(
          ([type, bytes]) =>
            `\`${type}\` ${countByType?.[type]?.toFixed(2) ?? "?"} × ${bytes.toFixed(0)} bytes`,
        )
        .join(", ")}.`,
    );
  }
  lines.push("", ...cpuSection(results), "", ...throttleSection(results), "", listingLine(results));
  const queue = queueSection(results);
  if (queue.length > 0) lines.push("", ...queue);
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
    ...(results.data ? ["", ...dataSection(results.data)] : []),
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
