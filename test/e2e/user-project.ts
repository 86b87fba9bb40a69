import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { REPO_ROOT } from "../../scripts/pulumi-cli";

/**
 * What a user of the published package has: the tarball `npm pack` makes, installed into a project of
 * their own outside this repository, built from docs/your-project.md alone.
 */

/** What one command printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; rejects on a non-zero exit unless `allowFailure`. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code === 0 || options.allowFailure) resolve(result);
      else
        reject(new Error(`${command} ${args.join(" ")} exited with ${result.code}:\n${stdout}\n${stderr}`));
    });
  });
}

/** A temporary folder outside the repository, removed by `dispose`. */
export function outsideFolder(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The tarball `npm pack` makes from the built package, and the files in it. */
export async function packTarball(destination: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: REPO_ROOT,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(destination, packed!.filename), files: packed!.files.map((f) => f.path) };
}

/** docs/your-project.md: the project a user builds from the docs alone. */
export function readmeSection(): string {
  return readFileSync(join(REPO_ROOT, "docs", "your-project.md"), "utf8");
}

/**
 * The files the section gives, by name: each is a fenced block right after a line holding only the
 * file's name in backticks and a colon, e.g. `` `Pulumi.yaml`: ``.
 */
export function readmeFiles(section: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of section.matchAll(/^`([\w./-]+)`:\n\n```\w*\n([\s\S]*?)^```$/gm))
    files[match[1]!] = match[2]!;
  return files;
}

/** The section's `npm install …` line, as words. */
export function readmeInstallCommand(section: string): string[] {
  const line = section.split("\n").find((l) => l.startsWith("npm install "));
  if (!line) throw new Error("the README section has no npm install line");
  return line.trim().split(/\s+/);
}

/** Writes `files` (relative names) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** An emulator process started from the installed package, and the URL it printed. */
export interface EmulatorProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the installed package's emulator command and waits for the line with its URL. Uses the
 * package's `bin` when it declares `pulumi-atlas-restore-emulator`, else the documented script path.
 */
export function startInstalledEmulator(
  projectDir: string,
  options: readonly string[] = [],
): Promise<EmulatorProcess> {
  const installed = join(projectDir, "node_modules", "pulumi-atlas-restore");
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    bin?: Record<string, string>;
  };
  const [command, args] = manifest.bin?.["pulumi-atlas-restore-emulator"]
    ? [join(projectDir, "node_modules", ".bin", "pulumi-atlas-restore-emulator"), options]
    : [process.execPath, [join(installed, "dist", "emulator", "cli.js"), ...options]];
  const child = spawn(command, args, { cwd: projectDir, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url) {
        child.stdout!.off("data", onData);
        resolve({ url, stop: () => stopChild(child) });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
