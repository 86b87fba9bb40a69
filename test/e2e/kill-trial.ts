import { mkdtempSync } from "node:fs";
import { join } from "node:path";

import { defaultSeed } from "../../emulator";
import type { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, fixtureStack, Stack } from "./harness";
import { gone, kill, killAll, type KillMode, removeLocks, runsThisPackage, startUp } from "./kills";

/**
 * One kill trial: `pulumi up` of one restore, killed at a moment the emulator's hooks pin down, then
 * recovered on the same machine or a fresh one (new PULUMI_HOME, no journal), at once or once the job
 * has finished, then a second `up`. A recovery that stops (the fresh machine cannot tell whose the
 * job is) is followed the way its message says: the job, which is this restore's, is adopted with
 * `existingRestoreJobId`. Shared by the reliability spec and `scripts/reliability-trials.ts`, which
 * writes the table.
 */

const [PROJECT, TARGET_PROJECT] = defaultSeed().projects.map((p) => p.id) as [string, string];

/** The restore kinds tried, with the emulator operations that start and read their jobs. */
export const TRIAL_KINDS = {
  serverless: {
    args: {
      groupId: PROJECT,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: "staging-orders",
    },
    create: "createGroupServerlessBackupRestoreJob",
    read: "getGroupServerlessBackupRestoreJob",
    duration: "automated",
    api: "serverless",
  },
  flex: {
    args: { groupId: PROJECT, name: "prod-orders", targetDeploymentItemName: "staging-orders" },
    create: "createGroupFlexClusterBackupRestoreJob",
    read: "getGroupFlexClusterBackupRestoreJob",
    duration: "flexRestore",
    api: "flex",
  },
  // The seeded replica set into its twin in the other project; the waiter also waits for its IDLE.
  cluster: {
    args: {
      groupId: PROJECT,
      clusterName: "prod-cluster",
      deliveryType: "automated",
      targetGroupId: TARGET_PROJECT,
      targetClusterName: "staging-cluster",
    },
    create: "createGroupClusterBackupRestoreJob",
    read: "getGroupClusterBackupRestoreJob",
    duration: "clusterAutomated",
    api: "cluster",
  },
  // Two collections renamed into the target; Atlas runs one such job per cluster at a time (409).
  collection: {
    args: {
      groupId: PROJECT,
      clusterName: "prod-cluster",
      targetGroupId: TARGET_PROJECT,
      targetClusterName: "staging-cluster",
      collections: [
        { sourceNamespace: "orders.orders", targetNamespace: "orders_staging.orders" },
        { sourceNamespace: "orders.customers", targetNamespace: "orders_staging.customers" },
      ],
    },
    create: "createGroupClusterCollectionRestoreJob",
    read: "getGroupClusterCollectionRestoreJob",
    duration: "clusterCollections",
    api: "collection",
  },
} as const;

/** Every kind in {@link TRIAL_KINDS}. */
export type TrialKind = keyof typeof TRIAL_KINDS;

/** Where the kill lands: the create POST carried out but its answer held, or the job being waited for. */
export type KillMoment = "answer-held" | "waiting";

/** One trial's settings. */
export interface KillTrial {
  readonly kind: TrialKind;
  readonly moment: KillMoment;
  readonly mode: KillMode;
  readonly machine: "same" | "fresh";
  /** The job finishes before the recovering `up` (else it still runs, until that `up` reads it). */
  readonly finished?: boolean;
}

/** What one trial found. */
export interface KillOutcome {
  /** The recovering `up` failed, even after the way forward a stop named. */
  readonly failed: boolean;
  /**
   * The recovering `up` stopped, naming this restore's job and both ways forward (on a fresh machine,
   * where nothing tells whose the job is), and the job was then adopted by id.
   */
  readonly stopped: boolean;
  /** Jobs beyond the one restore asked for. */
  readonly duplicates: number;
  /** 1 when no COMPLETED job of this restore is recorded in state, or state names a job Atlas lacks. */
  readonly lost: number;
  /** A second `up` changed nothing and started no job. */
  readonly converged: boolean;
  /**
   * The orphaned dynamic providers and programs of a `group` kill exited by themselves (always true
   * for `tree`). Pulumi's own orphan, the language host, is not this package's and is killed by id.
   */
  readonly orphansExited: boolean;
  /** Atlas requests the orphans made after the kill, beyond the answer they were waiting for. */
  readonly orphanRequests: number;
}

/** A restore's time in the emulator during trials: long, so that a job is "paused" until the clock moves. */
const LONG_RESTORE_MS = 600_000;

let trials = 0;

/** Runs one trial against a running emulator. */
export async function runKillTrial(
  admin: EmulatorAdmin,
  home: E2eHome,
  baseUrl: string,
  trial: KillTrial,
): Promise<KillOutcome> {
  const kind = TRIAL_KINDS[trial.kind];
  await admin.reset();
  await admin.clearHooks();
  await admin.setOptions({ restoreDurationMs: { [kind.duration]: LONG_RESTORE_MS } });
  const created = await fixtureStack(`k${++trials}-${process.pid}`, home, baseUrl, kind.args, trial.kind);
  // Every trial restores the same intent, and the journal is keyed by intent: a journal of its own
  // keeps an earlier trial's entry (left by a recovery on a fresh machine) from adding a read.
  const stack = new Stack(created.name, created.projectDir, home, {
    ATLAS_RESTORE_JOURNAL_DIR: mkdtempSync(join(home.stateDir, "journal-")),
  });

  const watch = await admin.watch(trial.moment === "answer-held" ? kind.create : kind.read, 1);
  const up = startUp(stack);
  await admin.arrived(watch, 1);
  const orphans = await kill(up, trial.mode);
  const ours = orphans.filter(runsThisPackage);
  const atKill = await admin.atlasRequests();
  // An orphan still waits for the held answer; give it, as a slow network would.
  await admin.release(watch, trial.mode === "group" ? "answer" : "drop");
  const orphansExited = await gone(ours, 30_000);
  killAll(orphans);
  const orphanRequests = (await admin.atlasRequests()) - atKill;

  const recovering =
    trial.machine === "same"
      ? stack
      : new Stack(stack.name, stack.projectDir, stack.home, {
          PULUMI_HOME: mkdtempSync(join(home.stateDir, "fresh-home-")),
          ATLAS_RESTORE_JOURNAL_DIR: mkdtempSync(join(home.stateDir, "fresh-journal-")),
        });
  removeLocks(recovering);
  if (trial.finished) await admin.advanceClock(LONG_RESTORE_MS);
  await recovering.run(
    ["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "--config-file", recovering.configFile],
    true,
  );
  // A running job finishes once the recovery reads it: the clock moves when its first read arrives.
  const waiting = await admin.watch(kind.read);
  const finish = admin.arrived(waiting, 1).then(() => admin.advanceClock(LONG_RESTORE_MS));
  let done = await recovering.up([], true);
  const named = done.code === 0 ? undefined : stopNamed(`${done.stdout}\n${done.stderr}`);
  if (named !== undefined) {
    await recovering.setConfig("args", JSON.stringify({ ...kind.args, existingRestoreJobId: named }));
    done = await recovering.up([], true);
  }
  await finish.catch(() => undefined);

  const jobs = await admin.jobsOf(kind.api);
  const recorded = await recovering.restoreJobs();
  const reported = done.code === 0 ? await recovering.outputs() : {};
  const lost =
    recorded.length === 1 &&
    reported.restoreJobId === recorded[0]!.id &&
    reported.status === "COMPLETED" &&
    jobs.some((job) => job.id === recorded[0]!.id)
      ? 0
      : 1;
  const before = jobs.length;
  const again = await recovering.up([], true);
  const converged =
    again.code === 0 &&
    // The stack, the restore's job and its record.
    /Resources:\n\s+3 unchanged\n/.test(again.stdout) &&
    (await admin.jobsOf(kind.api)).length === before;
  await recovering.destroy();
  await recovering.remove();
  return {
    failed: done.code !== 0,
    stopped: named !== undefined,
    duplicates: Math.max(0, jobs.length - 1),
    lost,
    converged,
    orphansExited,
    orphanRequests,
  };
}

/** The job a stopped `up` named (`UndecidedRestoreError`: "… add its id to triggers: <id>"). */
export function stopNamed(output: string): string | undefined {
  return /add its id to triggers: ([a-f0-9]{24})\b/.exec(output)?.[1];
}
