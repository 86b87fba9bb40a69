import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

import { REPO_ROOT } from "../scripts/pulumi-cli";

/**
 * The bench program as a user has it: the package packed with `npm pack` and unpacked into the
 * program's node_modules, as `npm install <tarball>` does. In this repository the package is linked
 * to itself, and Pulumi serializes a provider loaded from a source checkout by value rather than as
 * a `require` of the installed module, so only an installed copy measures what users get.
 */
export function installedProgram(workDir: string): { dir: string; tarball: string } {
  rmSync(workDir, { recursive: true, force: true });
  const dir = join(workDir, "program");
  const modules = join(dir, "node_modules");
  mkdirSync(modules, { recursive: true });
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", workDir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const tarball = join(workDir, packed);
  execFileSync("tar", ["-xzf", tarball, "-C", workDir]);
  renameSync(join(workDir, "package"), join(modules, "pulumi-atlas-restore"));
  // The package's dependencies and the program's own (@pulumi/pulumi, ts-node) come from the
  // repository's node_modules, linked rather than copied: the same versions a fresh install resolves.
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (entry === "pulumi-atlas-restore" || entry === ".bin" || entry.startsWith(".")) continue;
    symlinkSync(join(REPO_ROOT, "node_modules", entry), join(modules, entry));
  }
  for (const file of ["index.ts", "Pulumi.yaml"]) {
    copyFileSync(join(REPO_ROOT, "bench", "program", file), join(dir, file));
  }
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "atlas-restore-bench-program", private: true, main: "index.ts" }, null, 2)}\n`,
  );
  return { dir, tarball };
}
