import { rmSync } from "node:fs";
import { join } from "node:path";

import { startEmulator } from "../emulator";
import { defaultSeed } from "../emulator/seed";
import { offlineHome, pulumi, pulumiBinDir, REPO_ROOT } from "./pulumi-cli";

/**
 * `npm run demo`: the quickstart stack, end to end, against the local Atlas emulator. Starts the
 * emulator with its default seed, runs `pulumi up`, shows the outputs, refreshes, destroys, and stops
 * the emulator. State lives in `.pulumi-local/demo` (git-ignored) and is removed at the start.
 */
async function main(): Promise<void> {
  await pulumiBinDir();
  const stateDir = join(REPO_ROOT, ".pulumi-local", "demo");
  rmSync(stateDir, { recursive: true, force: true });
  const home = await offlineHome(stateDir);
  const configFile = join(stateDir, "Pulumi.demo.yaml");
  const run = (args: string[], echo = true) =>
    pulumi([...args, "--stack", "demo"], { cwd: REPO_ROOT, env: home.env, echo });

  const emulator = await startEmulator();
  console.log(`\nAtlas emulator listening on ${emulator.url}\n`);
  try {
    const seed = defaultSeed();
    const account = seed.serviceAccounts[0]!;
    await pulumi(["stack", "init", "demo"], { cwd: REPO_ROOT, env: home.env });
    const config: [string, string, boolean][] = [
      ["groupId", seed.projects[0]!.id, false],
      ["mongodbatlas:baseUrl", emulator.url, false],
      ["mongodbatlas:clientId", account.clientId, false],
      ["mongodbatlas:clientSecret", account.clientSecret, true],
    ];
    for (const [key, value, secret] of config) {
      await run(
        ["config", "set", "--config-file", configFile, ...(secret ? ["--secret"] : []), key, value],
        false,
      );
    }

    console.log("\n$ pulumi up --yes");
    await run(["up", "--yes", "--config-file", configFile]);
    console.log("\n$ pulumi stack output");
    await run(["stack", "output"]);
    console.log("\n$ pulumi refresh --yes");
    await run(["refresh", "--yes", "--config-file", configFile]);
    console.log("\n$ pulumi destroy --yes");
    await run(["destroy", "--yes", "--config-file", configFile]);
    console.log(
      "\nDemo complete: the restore job was created, polled to COMPLETED, refreshed and forgotten.",
    );
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
