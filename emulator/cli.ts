import { parseFaultSpec, parseRateLimit } from "./faults";
import { startEmulator } from "./index";
import type { EmulatorOptions, SunsetMode } from "./options";
import { loadSeedFile } from "./seed";

const USAGE = `Usage: npm run emulator -- [options]
  --port <n>                         port on 127.0.0.1 (default: any free port)
  --seed <file>                      seed file (default: the built-in seed, emulator/seed/default-seed.json)
  --state-file <file>                keep jobs and tokens across restarts
  --time-scale <n>                   restores run n times faster (default: 1)
  --restore-duration <ms>            duration of every kind of restore (default: 3000)
  --restore-duration-<kind> <ms>     one kind: automated, download, point-in-time, flex, flex-download
  --rate-limit <capacity>/<perSec>   token bucket per credential
  --sunset gone|migrated             serverless endpoints as after the 2026-01-22 sunset
  --fault-seed <n>                   seed of probabilistic faults (default: 1)
  --fault <spec>                     repeatable; e.g. '*=503%0.3' or 'createGroupServerlessBackupRestoreJob=drop-response-after-commit*1'
`;

const KINDS: Record<string, string> = {
  automated: "automated",
  download: "download",
  "point-in-time": "pointInTime",
  flex: "flexRestore",
  "flex-download": "flexDownload",
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
    } else if (flag === "--seed") options.seed = loadSeedFile(value);
    else if (flag === "--state-file") options.stateFile = value;
    else if (flag === "--time-scale") options.timeScale = number(flag, value);
    else if (flag === "--restore-duration")
      for (const k of Object.values(KINDS)) durations[k] = number(flag, value);
    else if (kind) durations[kind] = number(flag, value);
    else if (flag === "--rate-limit") options.rateLimit = parseRateLimit(value);
    else if (flag === "--sunset") {
      if (value !== "gone" && value !== "migrated" && value !== "off")
        throw new Error(`--sunset must be gone, migrated or off: ${value}`);
      options.sunset = value as SunsetMode;
    } else if (flag === "--fault") faults.push(parseFaultSpec(value));
    else if (flag === "--fault-seed") options.faultSeed = number(flag, value, true);
    else throw new Error(`unknown option: ${flag}\n${USAGE}`);
  }
  if (Object.keys(durations).length > 0) options.restoreDurationMs = durations;
  if (faults.length > 0) options.faults = faults;
  return options;
}

/** Runs the emulator until SIGINT or SIGTERM; prints one line with its URL once it listens. */
async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  console.log(`Atlas emulator listening on ${emulator.url}`);
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
