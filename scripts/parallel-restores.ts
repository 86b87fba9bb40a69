import { defaultSeed, type Seed, startEmulator } from "../emulator";
import { EmulatorAdmin } from "../test/e2e/emulator-admin";
import { e2eHome, Stack } from "../test/e2e/harness";
import { REPO_ROOT } from "./pulumi-cli";

/**
 * Wall time of `pulumi up` for 1 and for N restores in one stack at Pulumi's default parallelism
 * (one run each; `bench/` measures it properly). Starters hold an engine step for one POST only, so
 * every job starts within seconds and the waiters that queue find their jobs finished.
 *
 *   node -r ts-node/register/transpile-only scripts/parallel-restores.ts 50
 */

const COUNT = Number(process.argv[2] ?? 50);
const RESTORE_MS = 10_000;
const [D0] = defaultSeed().projects.map((p) => p.id) as [string];
const account = defaultSeed().serviceAccounts[0]!;

async function timeUp(
  admin: EmulatorAdmin,
  baseUrl: string,
  home: Awaited<ReturnType<typeof e2eHome>>,
  n: number,
) {
  await admin.reset();
  await admin.setOptions({ restoreDurationMs: RESTORE_MS });
  const stack = new Stack(`parallel${n}-${process.pid}`, `${REPO_ROOT}/test/e2e/program-many`, home);
  await stack.run(["stack", "init"]);
  const restores = Array.from({ length: n }, (_, i) => ({
    name: `r${i}`,
    kind: "serverless",
    // Distinct targets: the same intent twice would rightly be one restore.
    args: {
      groupId: D0,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetClusterName: `parallel-target-${i}`,
      waitForTarget: false,
    },
  }));
  await stack.setConfig("restores", JSON.stringify(restores));
  await stack.setConfig("mongodbatlas:baseUrl", baseUrl);
  await stack.setConfig("mongodbatlas:clientId", account.clientId);
  await stack.setConfig("mongodbatlas:clientSecret", account.clientSecret, true);
  const started = Date.now();
  await stack.up();
  const wallMs = Date.now() - started;
  const jobs = (await admin.jobs()).length;
  await stack.destroy();
  await stack.remove();
  return { wallMs, jobs };
}

/** The default seed plus one serverless instance per restore to receive it. */
function seedWithTargets(): Seed {
  const seed = defaultSeed();
  for (let i = 0; i < COUNT; i++) {
    seed.serverlessInstances.push({
      id: `6650a1b2c3d4e5f6a7b8${(0xe000 + i).toString(16)}`,
      groupId: D0,
      name: `parallel-target-${i}`,
      snapshots: [],
    });
  }
  return seed;
}

async function main(): Promise<void> {
  const home = await e2eHome();
  const emulator = await startEmulator({ seed: seedWithTargets() });
  const admin = new EmulatorAdmin(emulator.url);
  try {
    const one = await timeUp(admin, emulator.url, home, 1);
    const many = await timeUp(admin, emulator.url, home, COUNT);
    console.log(
      `1 restore: ${(one.wallMs / 1000).toFixed(1)} s (${one.jobs} job); ${COUNT} restores: ${(many.wallMs / 1000).toFixed(1)} s ` +
        `(${many.jobs} jobs); ratio ${(many.wallMs / one.wallMs).toFixed(2)} at the default --parallel, restores of ${RESTORE_MS / 1000} s`,
    );
  } finally {
    await emulator.close();
    home.dispose();
  }
}

void main();
