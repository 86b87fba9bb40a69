import { parseFaultSpec } from "./faults";
import { startEmulator } from "./index";
import type { EmulatorOptions, SunsetMode } from "./options";
import { parseRateLimit } from "./rate-limit";
import { loadSeedFile } from "./seed";

const USAGE = `Usage: npm run emulator -- [options]
  --port <n>                         port on 127.0.0.1 (default: any free port)
  --seed <file>                      seed file (default: the built-in seed, emulator/seed.default.json)
  --state-file <file>                keep jobs and tokens across restarts
  --time-scale <n>                   restores run n times faster (default: 1)
  --restore-duration <ms>            duration of every kind of restore (default: 3000)
  --restore-duration-<kind> <ms>     one kind: automated, download, point-in-time, flex, flex-download
  --rate-limit <capacity>/<perSec>   token bucket per credential
  --sunset gone|migrated             serverless endpoints as after the 2026-01-22 sunset
  --fault <spec>                     e.g. '*=503%0.3' or 'createGroupServerlessBackupRestoreJob=drop-response-after-commit*1'
`;

const KINDS: Record<string, string> = {
  automated: "automated",
  download: "download",
  "point-in-time": "pointInTime",
  flex: "flexRestore",
  "flex-download": "flexDownload",
};

/** Parses the command line into options; throws with the usage on anything unknown. */
export function parseArgs(argv: readonly string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const durations: Record<string, number> = {};
  const faults = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help") throw new Error(USAGE);
    const value = argv[++i];
    if (value === undefined) throw new Error(`missing value: ${flag}\n${USAGE}`);
    if (flag === "--port") options.port = Number(value);
    else if (flag === "--seed") options.seed = loadSeedFile(value);
    else if (flag === "--state-file") options.stateFile = value;
    else if (flag === "--time-scale") options.timeScale = Number(value);
    else if (flag === "--restore-duration")
      for (const k of Object.values(KINDS)) durations[k] = Number(value);
    else if (flag.startsWith("--restore-duration-") && KINDS[flag.slice(19)])
      durations[KINDS[flag.slice(19)]!] = Number(value);
    else if (flag === "--rate-limit") options.rateLimit = parseRateLimit(value);
    else if (flag === "--sunset") options.sunset = value as SunsetMode;
    else if (flag === "--fault") faults.push(parseFaultSpec(value));
    else throw new Error(`unknown option: ${flag}\n${USAGE}`);
  }
  if (Object.keys(durations).length > 0) options.restoreDurationMs = durations;
  if (faults.length > 0) options.faults = faults;
  return options;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  console.log(`Atlas emulator listening on ${emulator.url}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
