import { defaultSeed, startEmulator } from "../emulator";
import { EmulatorAdmin } from "../test/e2e/emulator-admin";
import { e2eHome, Stack } from "../test/e2e/harness";
import {
  type KillOutcome,
  type KillTrial,
  runKillTrial,
  TRIAL_KINDS,
  type TrialKind,
} from "../test/e2e/kill-trial";
import type { KillMode } from "../test/e2e/kills";
import { REPO_ROOT } from "./pulumi-cli";

/**
 * The figures of test/reliability.md: `--trials N` kill trials per kill mode and per kind (kill
 * moments, recovery machines, and a job still running or finished at the recovery, in turn: 8 trials
 * try each once) and `--storms M` fault-storm rounds of a stack holding every kind. Prints the markdown table, one row per kill mode and kind; every figure is counted from
 * the emulator's jobs and Pulumi's state.
 *
 *   node -r ts-node/register/transpile-only scripts/reliability-trials.ts --trials 8 --storms 5
 *   (`--modes group` or `--modes tree` for one kill mode, `--kinds cluster,collection` for some kinds,
 *   `--trials 0` or `--storms 0` for none)
 */

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const list = <T extends string>(name: string, all: readonly T[]): T[] => {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return [...all];
  const given = process.argv[at + 1]!.split(",");
  const unknown = given.filter((g) => !(all as readonly string[]).includes(g));
  if (unknown.length > 0)
    throw new Error(`--${name} takes ${all.join(", ")}; unknown: ${unknown.join(", ")}`);
  return given as T[];
};
const TRIALS = flag("trials", 8);
const MODES = list<KillMode>("modes", ["group", "tree"]);
const KINDS = list<TrialKind>("kinds", Object.keys(TRIAL_KINDS) as TrialKind[]);
const STORMS = flag("storms", 10);
const [D0, D1] = defaultSeed().projects.map((p) => p.id) as [string, string];

/**
 * Seven restores of the four kinds, every intent different (the same intent twice would be one
 * restore); the dedicated and collection restores come from the kill trials.
 */
const STORM_STACK = [
  {
    name: "s-staging",
    kind: "serverless",
    args: {
      groupId: D0,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: "staging-orders",
    },
  },
  {
    name: "s-sandbox",
    kind: "serverless",
    args: {
      groupId: D0,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: "staging-orders",
      targetGroupId: D1,
    },
  },
  {
    name: "s-download",
    kind: "serverless",
    args: { groupId: D0, clusterName: "prod-orders", deliveryType: "download" },
  },
  {
    name: "f-staging",
    kind: "flex",
    args: { groupId: D0, name: "prod-orders", targetDeploymentItemName: "staging-orders" },
  },
  {
    name: "f-sandbox",
    kind: "flex",
    args: {
      groupId: D0,
      name: "prod-orders",
      targetDeploymentItemName: "staging-orders",
      targetProjectId: D1,
    },
  },
  { name: "c-staging", kind: "cluster", args: TRIAL_KINDS.cluster.args },
  { name: "col-staging", kind: "collection", args: TRIAL_KINDS.collection.args },
];

interface Row {
  what: string;
  trials: number;
  failures: number;
  duplicates: number;
  lost: number;
  converged: number;
  note: string;
}

async function main(): Promise<void> {
  const home = await e2eHome();
  // Serverless endpoints as before the sunset: migrated, the serverless restores of the storm stack
  // would fall back to Flex and become the Flex restores' intents, and two resources of one intent
  // share one job (or race to two), which says nothing about faults.
  const emulator = await startEmulator({ sunset: "off" });
  const admin = new EmulatorAdmin(emulator.url);
  const rows: Row[] = [];
  try {
    for (const mode of TRIALS > 0 ? MODES : []) {
      for (const kind of KINDS) {
        const outcomes: KillOutcome[] = [];
        for (let i = 0; i < TRIALS; i++) {
          const trial: KillTrial = {
            kind,
            moment: i % 2 === 0 ? "answer-held" : "waiting",
            machine: Math.floor(i / 2) % 2 === 0 ? "same" : "fresh",
            finished: Math.floor(i / 4) % 2 === 1,
            mode,
          };
          const outcome = await runKillTrial(admin, home, emulator.url, trial);
          console.error(`kill ${mode} ${JSON.stringify(trial)}: ${JSON.stringify(outcome)}`);
          outcomes.push(outcome);
        }
        rows.push(killRow(mode, kind, outcomes));
      }
    }
    if (STORMS > 0) rows.push(await storms(admin, home, emulator.url));
  } finally {
    await emulator.close();
    home.dispose();
  }
  console.log("| case | trials | failed `up` | duplicate jobs | lost jobs | second `up` converged | notes |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.what} | ${r.trials} | ${r.failures} | ${r.duplicates} | ${r.lost} | ${r.converged}/${r.trials} | ${r.note} |`,
    );
  }
}

/** One row of the table: the trials of one kill mode and kind. */
function killRow(mode: KillMode, kind: TrialKind, outcomes: KillOutcome[]): Row {
  const orphans =
    mode === "group"
      ? `orphaned providers and programs exited by themselves: ${outcomes.filter((o) => o.orphansExited).length}/${outcomes.length}, ` +
        `Atlas requests from them after the kill: ${outcomes.reduce((n, o) => n + o.orphanRequests, 0)}`
      : `Atlas requests after the kill: ${outcomes.reduce((n, o) => n + o.orphanRequests, 0)}`;
  return {
    what:
      mode === "group"
        ? `\`pulumi up\` killed: CLI process group only (plugins orphaned); ${kind}`
        : `\`pulumi up\` killed: whole process tree; ${kind}`,
    trials: outcomes.length,
    failures: outcomes.filter((o) => o.failed).length,
    duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
    lost: outcomes.reduce((n, o) => n + o.lost, 0),
    converged: outcomes.filter((o) => o.converged).length,
    note:
      `POST carried out with its answer held, or waiting; same machine and fresh machine; the job running ` +
      `or finished at the retry; stopped naming the job (fresh machine after the POST), then adopted by id: ` +
      `${outcomes.filter((o) => o.stopped).length}; ${orphans}`,
  };
}

async function storms(
  admin: EmulatorAdmin,
  home: Awaited<ReturnType<typeof e2eHome>>,
  baseUrl: string,
): Promise<Row> {
  let failures = 0;
  let duplicates = 0;
  let lost = 0;
  let shared = 0;
  let converged = 0;
  const injected = { dropped: 0, reset: 0, "5xx": 0, "429": 0 };
  const droppedByKind = Object.fromEntries(Object.keys(TRIAL_KINDS).map((kind) => [kind, 0]));
  for (let round = 1; round <= STORMS; round++) {
    await admin.reset();
    await admin.setOptions({
      restoreDurationMs: 2000,
      faultSeed: round,
      faults: [
        ...Object.values(TRIAL_KINDS).map(({ create }) => ({
          method: "POST",
          operationId: create,
          action: "drop-response-after-commit",
          probability: 0.3,
        })),
        { action: "500", probability: 0.15 },
        { action: "503", probability: 0.1 },
        { action: "429", probability: 0.1 },
        { action: "reset", probability: 0.05 },
      ],
    });
    const stack = new Stack(`storm${round}-${process.pid}`, `${REPO_ROOT}/test/e2e/program-many`, home);
    await stack.run(["stack", "init"], true);
    for (const [key, value] of Object.entries({
      restores: JSON.stringify(STORM_STACK),
      "mongodbatlas:baseUrl": baseUrl,
      "mongodbatlas:clientId": defaultSeed().serviceAccounts[0]!.clientId,
    }))
      await stack.setConfig(key, value);
    await stack.setConfig("mongodbatlas:clientSecret", defaultSeed().serviceAccounts[0]!.clientSecret, true);
    const first = await stack.up([], true);
    if (first.code !== 0) {
      failures++;
      // Why, in the CLI's own words (its messages carry no credential): the table counts it, this says it.
      const diagnostics = /\nDiagnostics:\n([\s\S]*?)(?:\nOutputs:|\nResources:|$)/.exec(first.stdout)?.[1];
      console.error(`storm ${round}: first up failed:\n${diagnostics ?? first.stderr}`);
    }
    for (const r of await admin.requests()) {
      if (r.status === "dropped") {
        injected.dropped++;
        const kind = Object.entries(TRIAL_KINDS).find(([, k]) => k.create === r.operationId)?.[0];
        if (kind) droppedByKind[kind]!++;
      } else if (r.status === "reset") injected.reset++;
      else if (r.status === 429) injected["429"]++;
      else if (typeof r.status === "number" && r.status >= 500) injected["5xx"]++;
    }
    await admin.setOptions({ faults: [] });
    // A failed first `up` (faults beyond the retries) is what a user retries; the retry must converge.
    if (first.code !== 0) await stack.up([], true);
    const jobs = await admin.allJobs();
    duplicates += Math.max(0, jobs.length - STORM_STACK.length);
    const recorded = await stack.restoreJobs();
    const ids = new Set(jobs.map((j) => j.id));
    // What each restore's wait reported, by resource name (the end of its URN).
    const statuses = ((await stack.outputs()).statuses ?? {}) as Record<string, unknown>;
    const completed = recorded.filter(
      (r) => statuses[r.urn.slice(r.urn.lastIndexOf("::") + 2)] === "COMPLETED" && ids.has(r.id),
    );
    lost += STORM_STACK.length - completed.length;
    // Every restore has its own intent, so two restores recording one job would hide a lost one.
    shared += recorded.length - new Set(recorded.map((r) => r.id)).size;
    const again = await stack.up([], true);
    if (
      again.code === 0 &&
      /Resources:\n\s+\d+ unchanged\n/.test(again.stdout) &&
      (await admin.allJobs()).length === jobs.length
    )
      converged++;
    console.error(`storm ${round}: first up ${first.code}, jobs ${jobs.length}, recorded ${recorded.length}`);
    await stack.destroy();
    await stack.remove();
  }
  return {
    what: "fault storm: 30 % of create POSTs (every kind) dropped after commit, 15 % 500, 10 % 503, 10 % 429, 5 % resets (seeded per round)",
    trials: STORMS,
    failures,
    duplicates,
    lost,
    converged,
    note:
      `${STORM_STACK.length}-restore stack: 3 serverless (automated into two projects, download), 2 Flex, ` +
      `1 dedicated (automated, waits for the target's IDLE), 1 collection-level (two collections renamed); ` +
      `restores recording another's job: ${shared}; ` +
      `faults that fired: ${injected.dropped} create answers dropped after commit ` +
      `(${Object.entries(droppedByKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ")}), ${injected["5xx"]} 5xx, ` +
      `${injected["429"]} 429, ${injected.reset} resets; a failed first \`up\` would be retried once before counting`,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
