import assert from "node:assert";
import { join } from "node:path";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome } from "./harness";
import { outsideFolder, run } from "./user-project";

/**
 * examples/clone-automation, an inline Automation API program, run as a user runs a script: `node`
 * started in a folder that is not the repository and has no node_modules.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
const EXAMPLE = join(REPO_ROOT, "examples", "clone-automation", "index.ts");

describe("end to end: the Automation API example from another folder", function () {
  this.timeout(5 * 60_000);
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let elsewhere: ReturnType<typeof outsideFolder>;

  const clone = (args: string[], allowFailure = false) =>
    run(
      process.execPath,
      ["-r", join(REPO_ROOT, "node_modules", "ts-node", "register", "transpile-only"), EXAMPLE, ...args],
      {
        cwd: elsewhere.dir,
        allowFailure,
        env: {
          ...home.env,
          TS_NODE_PROJECT: join(REPO_ROOT, "tsconfig.json"),
          // LocalWorkspace makes a folder for the inline program's project in the temporary folder.
          TMPDIR: elsewhere.dir,
          MONGODB_ATLAS_BASE_URL: emulator.url,
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
        },
      },
    );

  before(async () => {
    emulator = await startEmulator({});
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
    elsewhere = outsideFolder("atlas-restore-automation");
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
    elsewhere?.dispose();
  });

  it("clones production into staging, prints the job id, and a second run restores nothing new", async () => {
    // The job finishes only once the program's first read of it has arrived: that read sees it
    // running, so the wait must poll again, whatever the machine's load.
    await admin.setOptions({ restoreDurationMs: { clusterAutomated: 600_000 } });
    const firstRead = await admin.watch("getGroupClusterBackupRestoreJob");
    const running = clone([PRODUCTION, STAGING]);
    await admin.arrived(firstRead, 1);
    await admin.advanceClock(600_000);
    const first = await running;
    const [, jobId] = /^prod-cluster -> staging-cluster: ([a-f0-9]{24})\n$/.exec(first.stdout) ?? [];
    assert.ok(jobId, `one line with the job id: ${first.stdout}`);
    // The inline program waited for the job before its run ended: the wait's last word is in the
    // engine's output, which the example passes to stderr.
    assert.match(first.stderr, new RegExp(`cluster restore job ${jobId}: COMPLETED, \\d+s elapsed`));
    const target = await admin.cluster(STAGING, "staging-cluster", "cluster");
    assert.strictEqual(
      target.restoredSnapshotId,
      "6650a1b2c3d4e5f6a7b8ce02",
      "the newest completed snapshot",
    );
    assert.strictEqual(await admin.jobsCreated(), 1);

    const second = await clone([PRODUCTION, STAGING]);
    assert.strictEqual(second.stdout, first.stdout, "the same job: no newer snapshot, no new restore");
    assert.strictEqual(await admin.jobsCreated(), 1);
  });

  it("credentials the inline program cannot see stop preview and up before any request", async () => {
    await admin.reset();
    const script = join(REPO_ROOT, "test", "e2e", "inline-credentials.ts");
    const result = await run(
      process.execPath,
      [
        "-r",
        join(REPO_ROOT, "node_modules", "ts-node", "register", "transpile-only"),
        script,
        PRODUCTION,
        STAGING,
      ],
      {
        cwd: elsewhere.dir,
        env: {
          ...home.env,
          TS_NODE_PROJECT: join(REPO_ROOT, "tsconfig.json"),
          TMPDIR: elsewhere.dir,
          MONGODB_ATLAS_BASE_URL: emulator.url,
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
        },
      },
    );
    const lines = result.stdout.trim().split("\n");
    assert.strictEqual(lines.length, 2, result.stdout);
    for (const line of lines) {
      assert.match(line, /^cannot restore clone: invalid provider configuration: no Atlas credentials: /);
      assert.match(line, /an Automation API inline program does not see the workspace's envVars\)$/);
      assert.ok(!line.includes(account.clientSecret));
    }
    assert.strictEqual(await admin.atlasRequests(), 0, "no request, no restore");
  });

  it("a wrong argument: the usage, exit code 1", async () => {
    const result = await clone([PRODUCTION], true);
    assert.strictEqual(result.code, 1);
    assert.strictEqual(
      result.stderr,
      "usage: node index.js <source project id> <target project id> [source=target ...]\n",
    );
  });
});
