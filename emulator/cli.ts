#!/usr/bin/env node
import { parseFaultSpec, parseRateLimit } from "./faults";
import { startEmulator, type WireEndpoint } from "./index";
import { type EmulatorOptions, SUNSET_MODES, type SunsetMode } from "./options";
import { defaultSeed, loadSeedFile, type Seed } from "./seed";

/** The command an installed package puts on the PATH (package.json `bin`). */
export const COMMAND = "pulumi-atlas-restore-emulator";

const USAGE = `Usage: ${COMMAND} [options]      (in this repository: npm run emulator -- [options])
A local MongoDB Atlas Admin API emulator for restores; prints its URL and the stack config for it.
  --port <n>                         port on 127.0.0.1 (default: any free port)
  --wire-port <n>                    first port of the clusters' MongoDB wire-protocol servers, one per
                                     cluster in seed order (default: any free ports)
  --seed <file>                      seed file (default: the built-in seed, emulator/seed/default-seed.json)
  --state-file <file>                keep jobs and tokens across restarts
  --time-scale <n>                   restores run n times faster (default: 1)
  --restore-duration <ms>            duration of every kind of restore (default: 3000)
  --restore-duration-<kind> <ms>     one kind: automated, download, point-in-time, flex, flex-download,
                                     cluster, cluster-download, cluster-point-in-time, cluster-collections
  --snapshot-duration <ms>           how long an on-demand snapshot of a dedicated cluster takes (default: 3000)
  --rate-limit <capacity>/<perSec>   token bucket per credential
  --sunset auto|off|gone|migrated    serverless endpoints around their 2026-01-22 sunset (default auto:
                                     by the emulator's clock, i.e. migrated from that date; off: as before)
  --fault-seed <n>                   seed of probabilistic faults (default: 1)
  --fault <spec>                     repeatable; e.g. '*=503%0.3' or 'createGroupServerlessBackupRestoreJob=drop-response-after-commit*1'

The default seed fails some restores on purpose, to show failed jobs: every restore of serverless
prod-orders' oldest snapshot and of flex analytics-flex's newest one ends FAILED. The start banner
names them; emulator/README.md describes the whole seed.
`;

const KINDS: Record<string, string> = {
  automated: "automated",
  download: "download",
  "point-in-time": "pointInTime",
  flex: "flexRestore",
  "flex-download": "flexDownload",
  cluster: "clusterAutomated",
  "cluster-download": "clusterDownload",
  "cluster-point-in-time": "clusterPointInTime",
  "cluster-collections": "clusterCollections",
};

/** Thrown for `--help`: the usage goes to stdout and the process exits 0. */
export class HelpRequested extends Error {
  override readonly name = "HelpRequested";
  constructor() {
    super(USAGE);
  }
}

/** Parses the command line into options; throws with the usage on anything unknown or malformed. */
export function parseArgs(argv: readonly string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const durations: Record<string, number> = {};
  const faults = [];
  const number = (flag: string, value: string, integer = false): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new Error(`${flag} needs a non-negative ${integer ? "integer" : "number"}: ${value}\n${USAGE}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") throw new HelpRequested();
    const value = argv[++i];
    if (value === undefined) throw new Error(`missing value: ${flag}\n${USAGE}`);
    const kind = flag.startsWith("--restore-duration-")
      ? KINDS[flag.slice("--restore-duration-".length)]
      : undefined;
    if (flag === "--port") {
      options.port = number(flag, value, true);
      if (options.port > 65535) throw new Error(`--port must be at most 65535: ${value}`);
    } else if (flag === "--wire-port") {
      options.wirePort = number(flag, value, true);
      if (options.wirePort > 65535) throw new Error(`--wire-port must be at most 65535: ${value}`);
    } else if (flag === "--seed") options.seed = loadSeedFile(value);
    else if (flag === "--state-file") options.stateFile = value;
    else if (flag === "--time-scale") options.timeScale = number(flag, value);
    else if (flag === "--snapshot-duration") options.snapshotDurationMs = number(flag, value);
    else if (flag === "--restore-duration")
      for (const k of Object.values(KINDS)) durations[k] = number(flag, value);
    else if (kind) durations[kind] = number(flag, value);
    else if (flag === "--rate-limit") options.rateLimit = parseRateLimit(value);
    else if (flag === "--sunset") {
      if (!SUNSET_MODES.includes(value as SunsetMode))
        throw new Error(`--sunset must be auto, off, gone or migrated: ${value}`);
      options.sunset = value as SunsetMode;
    } else if (flag === "--fault") faults.push(parseFaultSpec(value));
    else if (flag === "--fault-seed") options.faultSeed = number(flag, value, true);
    else throw new Error(`unknown option: ${flag}\n${USAGE}`);
  }
  if (Object.keys(durations).length > 0) options.restoreDurationMs = durations;
  if (faults.length > 0) options.faults = faults;
  return options;
}

/**
 * What the command prints once it listens: the URL first (scripts read that line), then the two
 * lines of stack config that point a stack at it with the seed's first credential (the provider
 * reads `mongodbatlas:baseUrl` and the credential keys, provider/config.ts), then the snapshots whose
 * restores fail on purpose, then where each cluster serves the MongoDB wire protocol.
 */
export function banner(url: string, seed: Seed, wire: readonly WireEndpoint[] = []): string[] {
  const lines = [`Atlas emulator listening on ${url}`];
  const account = seed.serviceAccounts[0];
  const key = seed.apiKeys[0];
  const credential = account
    ? `pulumi config set mongodbatlas:clientId ${account.clientId} && pulumi config set --secret mongodbatlas:clientSecret ${account.clientSecret}`
    : key
      ? `pulumi config set mongodbatlas:publicKey ${key.publicKey} && pulumi config set --secret mongodbatlas:privateKey ${key.privateKey}`
      : undefined;
  lines.push("Point a stack at it (the seed's credentials open nothing but this emulator):");
  lines.push(`  pulumi config set mongodbatlas:baseUrl ${url}`);
  if (credential) lines.push(`  ${credential}`);
  const failing = [
    ...seed.serverlessInstances.map((c) => ({ kind: "serverless", c })),
    ...seed.flexClusters.map((c) => ({ kind: "flex", c })),
  ].flatMap(({ kind, c }) =>
    c.snapshots.filter((s) => s.failRestores).map((s) => `${kind} ${c.name} snapshot ${s.id}`),
  );
  if (failing.length > 0) lines.push(`Restores of these snapshots fail on purpose: ${failing.join(", ")}`);
  if (wire.length > 0) {
    const user = seed.databaseUsers?.[0];
    const login = user
      ? ` (a database user of project ${user.groupId}: -u ${user.username} -p ${user.password})`
      : "";
    lines.push(`Clusters serve the MongoDB wire protocol${login}:`);
    for (const w of wire) lines.push(`  ${w.groupId}/${w.name} ${w.connectionString}`);
  }
  return lines;
}

/** Runs the emulator until SIGINT or SIGTERM; prints the {@link banner} once it listens. */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  for (const line of banner(emulator.url, options.seed ?? defaultSeed(), emulator.wire)) console.log(line);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.message);
      process.exit(0);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
}
