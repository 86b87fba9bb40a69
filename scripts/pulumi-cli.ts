import { execFile, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Runs the real Pulumi CLI offline: a local file backend, a private PULUMI_HOME, no update checks and
 * no plugin downloads. Shared by the demo, the end-to-end tests and the benchmarks.
 */

/** The repository's root. */
export const REPO_ROOT = resolve(__dirname, "..");

/** Passphrase of the local stacks' secrets: these stacks hold only emulator credentials. */
export const LOCAL_PASSPHRASE = "pulumi-atlas-restore-local";

let binDir: Promise<string> | undefined;

/**
 * The folder holding `pulumi`, `pulumi-language-nodejs` and the dynamic-provider shim, found or built
 * once per process by `scripts/ensure-pulumi.sh` (its last line of output).
 */
export function pulumiBinDir(): Promise<string> {
  binDir ??= new Promise((resolvePath, reject) => {
    const child = spawn("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code === 0 && last) resolvePath(last.trim());
      else reject(new Error(`scripts/ensure-pulumi.sh failed with exit code ${code}`));
    });
  });
  return binDir;
}

/** Where one set of stacks keeps its backend and Pulumi home. */
export interface PulumiHome {
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Creates (if needed) a backend and home under `stateDir` and the environment that uses them. */
export async function offlineHome(stateDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<PulumiHome> {
  const bin = await pulumiBinDir();
  mkdirSync(join(stateDir, "backend"), { recursive: true });
  mkdirSync(join(stateDir, "home"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${join(stateDir, "backend")}`,
    PULUMI_HOME: join(stateDir, "home"),
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Types are checked by `npm run typecheck`; the engine only needs to run the program.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // The provider's journal of restores in flight stays with these stacks, not in the user's home.
    ATLAS_RESTORE_JOURNAL_DIR: join(stateDir, "journal"),
    ...extraEnv,
  };
  return { stateDir, env };
}

/** What one CLI run printed and how it ended. */
export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one CLI run. */
export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Print the output as it comes (the demo does; tests keep it). */
  readonly echo?: boolean;
  /** Resolve instead of rejecting on a non-zero exit (tests of failures do). */
  readonly allowFailure?: boolean;
}

/** Runs `pulumi <args>` and resolves with its output; rejects on a non-zero exit unless allowed. */
export function pulumi(args: readonly string[], options: RunOptions): Promise<PulumiResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code === 0 || options.allowFailure) resolveRun(result);
      else reject(new Error(`pulumi ${args.join(" ")} exited with ${result.code}:\n${stdout}\n${stderr}`));
    });
  });
}

/** Runs a command and resolves with its stdout (used for `pulumi version`). */
export function capture(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) =>
    execFile(command, args, { env }, (error, stdout) => (error ? reject(error) : resolveRun(stdout.trim()))),
  );
}
