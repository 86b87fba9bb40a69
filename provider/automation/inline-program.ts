import { dirname, parse, sep } from "node:path";

import type { ProjectSettings } from "@pulumi/pulumi/automation";

/**
 * Why inline Automation API programs need this: the engine starts the dynamic-provider plugin
 * (`pulumi-resource-pulumi-nodejs`, a shell script at the root of `@pulumi/pulumi`) in the project's
 * `main` folder, and for an inline program `LocalWorkspace` sets `main` to `process.cwd()`. The
 * script finds `@pulumi/pulumi/cmd/dynamic-provider` with `require.resolve` from that folder, and the
 * serialized provider then loads this package by name from there. From a folder without
 * `node_modules` both fail (`Cannot find module '@pulumi/pulumi/cmd/dynamic-provider'`).
 */

/**
 * Project settings for an Automation API inline program that uses these resources: pass them as
 * `projectSettings` to `LocalWorkspace.createOrSelectStack` (or `createStack`, `selectStack`) so that
 * the program runs from any working directory. `main` is the folder whose `node_modules` holds this
 * package; the inline program itself runs in your process, so `main` changes nothing else.
 * @param projectName the project's name, as passed to `createOrSelectStack`
 * @param settings any other project settings (e.g. `description`, `backend`); `name` and `main` are set here
 */
export function inlineProjectSettings(
  projectName: string,
  settings: Partial<ProjectSettings> = {},
): ProjectSettings {
  return { runtime: "nodejs", ...settings, name: projectName, main: packagesRoot(packageDir()) };
}

/**
 * This package's folder. Its `@pulumi/pulumi`, a peer dependency, is in the same `node_modules` or
 * one above, so the folder holding that `node_modules` resolves both.
 */
function packageDir(): string {
  return dirname(require.resolve("pulumi-atlas-restore/package.json"));
}

/**
 * The folder that holds the `node_modules` a package lives in (`/p/node_modules/@pulumi/pulumi` gives
 * `/p`); from there Node finds it and its siblings, this package among them.
 */
export function packagesRoot(packageDir: string): string {
  const parts = packageDir.split(sep);
  const last = parts.lastIndexOf("node_modules");
  if (last <= 0) return packageDir;
  const root = parts.slice(0, last).join(sep);
  return root === "" ? parse(packageDir).root : root;
}
