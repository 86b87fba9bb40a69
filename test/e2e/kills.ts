import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import { parentOf } from "../../provider/pulumi/engine-watch";
import type { Stack } from "./harness";

/**
 * Killing `pulumi up` the two ways users and CI runners do, and cleaning up by process id only.
 *
 * - `group`: only the CLI's process group (Ctrl-\, an OOM kill of `pulumi`, a runner signalling its
 *   direct child). Pulumi starts each plugin in its own process group, so the language host and the
 *   dynamic provider are orphaned and live on.
 * - `tree`: the CLI and every process under it.
 */
export type KillMode = "group" | "tree";

/** A `pulumi up` started in its own process group, for killing. */
export interface RunningUp {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

/** Starts `pulumi up` on a stack, detached (its own process group), output discarded. */
export function startUp(stack: Stack): RunningUp {
  const child = spawn(
    "pulumi",
    [
      "up",
      "--yes",
      "--skip-preview",
      "--non-interactive",
      "--stack",
      stack.name,
      "--config-file",
      stack.configFile,
    ],
    { cwd: stack.projectDir, env: { ...stack.home.env, ...stack.extraEnv }, detached: true, stdio: "ignore" },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { child, exited };
}

/** Every process below `root`, read from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/**
 * Kills a running `up` and returns the processes left running (the orphans of a `group` kill), which
 * the caller must clean up with {@link killAll}.
 */
export async function kill(up: RunningUp, mode: KillMode): Promise<number[]> {
  const pid = up.child.pid!;
  const below = descendants(pid);
  if (mode === "tree") killAll(below);
  process.kill(-pid, "SIGKILL");
  await up.exited;
  return below.filter(alive);
}

/** Sends SIGKILL to each process by id (never by name); gone ones are skipped. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/**
 * Whether a process runs this package's code: a dynamic provider (the plugin that starts restores) or
 * the program (Pulumi's Node runner, which waits for them).
 */
export function runsThisPackage(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("dynamic-provider") || cmdline.includes("@pulumi/pulumi/cmd/run");
  } catch {
    return false;
  }
}

/** Whether a process is alive (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Waits until every process is gone, looking every 100 ms; false after `timeoutMs`. */
export async function gone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** A killed CLI leaves its lock behind, as it would in a pipeline; the next run must not be refused. */
export function removeLocks(stack: Stack): void {
  rmSync(join(stack.home.stateDir, "backend", ".pulumi", "locks"), { recursive: true, force: true });
}
