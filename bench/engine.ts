import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

import { sampleTree, type TreeUsage } from "./process-tree";

/** One `pulumi` command of the bench: what it took and what its process tree used. */
export interface CommandRun {
  /** When the command was spawned, epoch ms. */
  readonly startedAtMs: number;
  readonly wallMs: number;
  readonly usage: TreeUsage;
  /** One-minute load average before and after. */
  readonly load: readonly [number, number];
}

/** Runs `pulumi <args>` in `cwd`, sampling its process tree; rejects on a non-zero exit. */
export function runPulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const loadBefore = loadavg()[0]!;
    const started = Date.now();
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sampler = sampleTree(child.pid!);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const usage = sampler.stop();
      const wallMs = Date.now() - started;
      if (code !== 0)
        reject(new Error(`pulumi ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`));
      else resolve({ startedAtMs: started, wallMs, usage, load: [loadBefore, loadavg()[0]!] });
    });
  });
}

/** Runs `pulumi <args>` and resolves with stdout, without sampling (set-up and read-out commands). */
export function pulumiOutput(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`pulumi ${args.join(" ")} exited with ${code}: ${stderr}`)),
    );
  });
}

/**
 * Creates a stack and writes its plain config straight into its file (one `pulumi config set` per
 * key would cost a CLI start each). Credentials travel in the environment, never in the file.
 */
export async function newStack(
  name: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  config: Record<string, string>,
): Promise<void> {
  await pulumiOutput(["stack", "init", name], cwd, env);
  const lines = Object.entries(config).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  appendFileSync(join(cwd, `Pulumi.${name}.yaml`), `config:\n${lines.join("\n")}\n`);
}
