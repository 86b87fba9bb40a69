import assert from "node:assert";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, PROGRAM_DIR, type Stack } from "./harness";

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

describe("end to end: reliability under faults", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let stateFile: string;
  let counter = 0;

  async function stack(args: Record<string, unknown> = automated): Promise<Stack> {
    await admin.reset();
    return fixtureStack(`r${++counter}`, home, emulator.url, args);
  }

  async function completedJob(s: Stack): Promise<string> {
    const jobs = await s.restoreJobs();
    assert.strictEqual(jobs.length, 1);
    assert.strictEqual(jobs[0]!.outputs.status, "COMPLETED");
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
    await admin.setOptions({
      faultSeed: 7,
      faults: [
        { action: "500", probability: 0.15 },
        { action: "503", probability: 0.15 / 0.85 },
        { action: "429", probability: 0.1 / 0.7 },
      ],
    });
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

  for (const moment of ["right after the POST", "while waiting"]) {
    it(`pulumi up killed ${moment}: the next up adopts the job`, async () => {
      const s = await stack();
      await admin.setOptions({ restoreDurationMs: { automated: 6000 } });
      const child = spawn(
        "pulumi",
        [
          "up",
          "--yes",
          "--skip-preview",
          "--non-interactive",
          "--stack",
          s.name,
          "--config-file",
          s.configFile,
        ],
        {
          cwd: PROGRAM_DIR,
          env: home.env,
          detached: true,
          stdio: "ignore",
        },
      );
      const exited = new Promise((resolve) => child.on("exit", resolve));
      while ((await admin.jobsCreated()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      if (moment === "while waiting") await new Promise((resolve) => setTimeout(resolve, 2000));
      process.kill(-child.pid!, "SIGKILL");
      await exited;
      // A killed CLI leaves its lock and a pending create behind, as it would in a pipeline.
      rmSync(join(home.stateDir, "backend", ".pulumi", "locks"), { recursive: true, force: true });
      await s.run([
        "refresh",
        "--yes",
        "--skip-preview",
        "--clear-pending-creates",
        "--config-file",
        s.configFile,
      ]);
      const result = await s.up();
      assert.match(result.stdout, /adopting it/);
      await completedJob(s);
      assert.strictEqual(await admin.jobsCreated(), 1);
    });
  }

  it("the emulator restarted mid-restore (state file): up completes without a new job", async () => {
    const s = await stack();
    await admin.setOptions({ restoreDurationMs: { automated: 6000 } });
    const up = s.up();
    while ((await admin.jobsCreated()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const port = emulator.port;
    await emulator.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
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
