import assert from "node:assert";
import { join } from "node:path";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, type Stack } from "./harness";
import { type KillTrial, runKillTrial, TRIAL_KINDS } from "./kill-trial";

/**
 * Faults under the real engine (test/reliability.md lists them): each case asserts the jobs Atlas
 * holds and the final state. A restore overwrites its target, so "exactly one job" is the contract.
 */

const PROJECT = defaultSeed().projects[0]!.id;
const automated = {
  groupId: PROJECT,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
};

/** 15 % 500, then 15 % 503 and 10 % 429 of what is left, on every operation; seeded, so repeatable. */
const SEEDED_FAULTS = {
  faultSeed: 7,
  faults: [
    { action: "500", probability: 0.15 },
    { action: "503", probability: 0.15 / 0.85 },
    { action: "429", probability: 0.1 / 0.7 },
  ],
};

describe("end to end: reliability under faults", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let stateFile: string;
  let counter = 0;

  async function stack(args: Record<string, unknown> = automated, kind = "serverless"): Promise<Stack> {
    await admin.reset();
    return fixtureStack(`r${++counter}`, home, emulator.url, args, kind);
  }

  /** The one job state records, which the `up`'s wait reported COMPLETED. */
  async function completedJob(s: Stack): Promise<string> {
    const jobs = await s.restoreJobs();
    assert.strictEqual(jobs.length, 1);
    const outputs = await s.outputs();
    assert.deepStrictEqual([outputs.restoreJobId, outputs.status], [jobs[0]!.id, "COMPLETED"]);
    return jobs[0]!.id;
  }

  before(async () => {
    home = await e2eHome();
    stateFile = join(home.stateDir, "emulator-state.json");
    emulator = await startEmulator({ stateFile, sunset: "off" });
    admin = new EmulatorAdmin(emulator.url);
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("30 % 500/503 and 10 % 429 on every operation: up succeeds with exactly one job", async () => {
    const s = await stack();
    await admin.setOptions(SEEDED_FAULTS);
    await s.up();
    await admin.setOptions({ faults: [] });
    await completedJob(s);
    assert.strictEqual(await admin.jobsCreated(), 1);
  });

  it("a POST accepted but its answer dropped: the job is adopted, not created again", async () => {
    const s = await stack();
    await admin.setOptions({
      faults: [
        {
          operationId: "createGroupServerlessBackupRestoreJob",
          action: "drop-response-after-commit",
          count: 1,
        },
      ],
    });
    const result = await s.up();
    assert.match(result.stdout, /got no clear answer, but the job exists; adopting it/);
    await completedJob(s);
    assert.strictEqual(await admin.jobsCreated(), 1);
  });

  // The dedicated kinds under the same faults: the seeded mix on every operation, and a dropped answer.
  for (const kind of ["cluster", "collection"] as const) {
    const { args, create, api } = TRIAL_KINDS[kind];

    it(`${kind}: 30 % 500/503 and 10 % 429 on every operation: up succeeds with exactly one job`, async () => {
      const s = await stack(args, kind);
      await admin.setOptions(SEEDED_FAULTS);
      await s.up();
      await admin.setOptions({ faults: [] });
      const id = await completedJob(s);
      assert.deepStrictEqual(
        (await admin.allJobs()).map((job) => job.id),
        [id],
      );
    });

    it(`${kind}: a POST accepted but its answer dropped: the job is adopted, not created again`, async () => {
      const s = await stack(args, kind);
      await admin.setOptions({
        faults: [{ operationId: create, action: "drop-response-after-commit", count: 1 }],
      });
      const result = await s.up();
      assert.match(result.stdout, /got no clear answer, but the job exists; adopting it/);
      const id = await completedJob(s);
      assert.deepStrictEqual(
        (await admin.jobsOf(api)).map((job) => job.id),
        [id],
      );
      assert.strictEqual((await admin.counters()).byOperation[create], 1);
    });
  }

  // Each kill lands where an emulator hook holds it; each is recovered and then run a second time.
  const cases: KillTrial[] = [];
  for (const kind of ["serverless", "flex"] as const) {
    cases.push(
      { kind, moment: "answer-held", mode: "group", machine: "same" },
      { kind, moment: "answer-held", mode: "tree", machine: "fresh" },
      { kind, moment: "waiting", mode: "group", machine: "fresh" },
      { kind, moment: "waiting", mode: "tree", machine: "same" },
    );
  }
  // The dedicated kinds: one case per moment each, the modes and machines crossed between them; the
  // fresh machine's job has finished before the retry (issue 22: 11 of 12 such trials duplicated).
  cases.push(
    { kind: "cluster", moment: "answer-held", mode: "group", machine: "fresh", finished: true },
    { kind: "cluster", moment: "waiting", mode: "tree", machine: "same" },
    { kind: "collection", moment: "answer-held", mode: "tree", machine: "fresh", finished: true },
    { kind: "collection", moment: "waiting", mode: "group", machine: "fresh" },
  );
  for (const trial of cases) {
    const title =
      `${trial.kind}: up killed (${trial.mode === "group" ? "CLI process group only" : "whole tree"}) ` +
      `${trial.moment === "answer-held" ? "with the POST carried out and its answer held" : "while waiting"}, ` +
      `recovered on ${trial.machine === "same" ? "the same machine" : "a fresh machine"}` +
      `${trial.finished ? " after the job finished" : ""}: one job, recorded`;
    // Only a fresh machine after the POST cannot tell whose the job is: it stops, naming it.
    const stopped = trial.machine === "fresh" && trial.moment === "answer-held";
    it(`${title}${stopped ? " (once adopted by id, as the stop says)" : ""}`, async () => {
      const outcome = await runKillTrial(admin, home, emulator.url, trial);
      assert.deepStrictEqual(outcome, {
        failed: false,
        stopped,
        duplicates: 0,
        lost: 0,
        converged: true,
        orphansExited: true,
        orphanRequests: 0,
      });
    });
  }

  it("the emulator restarted mid-restore (state file): up completes without a new job", async () => {
    const s = await stack();
    await admin.setOptions({ restoreDurationMs: { automated: 6000 } });
    const waiting = await admin.watch("getGroupServerlessBackupRestoreJob", 1);
    const up = s.up();
    await admin.arrived(waiting);
    const port = emulator.port;
    // The held answer is never sent: the server goes away under the waiting provider.
    await admin.release(waiting, "drop");
    await emulator.close();
    emulator = await startEmulator({
      stateFile,
      port,
      sunset: "off",
      restoreDurationMs: { automated: 6000 },
    });
    await up;
    await completedJob(s);
    assert.strictEqual(await admin.jobsCreated(), 1);
  });
});
