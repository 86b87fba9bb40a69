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
  /**
   * User + system CPU of the whole process tree, s: the engine and every process it waited for
   * (language host, program, provider), as the shell that ran it reports its children's times.
   */
  readonly treeCpuSeconds: number;
  /** One-minute load average before and after. */
  readonly load: readonly [number, number];
}

/**
 * Runs `pulumi <args>` in `cwd` under a shell that reports its children's CPU times when the command
 * ends (`times`, on a third pipe), sampling the process tree meanwhile; rejects on a non-zero exit.
 */
export function runPulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const loadBefore = loadavg()[0]!;
    const started = Date.now();
    const script = 'pulumi "$@" --non-interactive; code=$?; times >&3; exit $code';
    const child = spawn("bash", ["-c", script, "bash", ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    const sampler = sampleTree(child.pid!);
    let output = "";
    let times = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (times += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const usage = sampler.stop();
      const wallMs = Date.now() - started;
      if (code !== 0)
        reject(new Error(`pulumi ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`));
      else
        resolve({
          startedAtMs: started,
          wallMs,
          usage,
          treeCpuSeconds: childrenCpuSeconds(times),
          load: [loadBefore, loadavg()[0]!],
        });
    });
  });
}

/**
 * The children's user + system seconds from bash's `times` (its second line, e.g. `0m1.250s
 * 0m0.310s`); NaN when it cannot be read, so that a missing figure is never a zero.
 */
export function childrenCpuSeconds(times: string): number {
  const line = times.trim().split("\n")[1] ?? "";
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return parts.length === 2 ? parts[0]! + parts[1]! : Number.NaN;
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
