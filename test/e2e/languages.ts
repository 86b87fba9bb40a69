import { join } from "node:path";

import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { type E2eHome, e2eHome } from "./harness";
import { run } from "./user-project";

/**
 * What the specs of other Pulumi languages share: the Pulumi CLI with Pulumi YAML's language host, and
 * the component package's plugin folder (docs/other-languages.md).
 */

/** The plugin folder of the component package inside a package folder (the repository or an install). */
export function pluginFolder(packageRoot: string): string {
  return join(packageRoot, "provider", "component");
}

let yamlPath: Promise<string> | undefined;

/** What `scripts/ensure-pulumi-yaml.sh` prints (its last line): PATH's front for pulumi and the YAML host. */
function ensureYamlHost(): Promise<string> {
  yamlPath ??= run("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi-yaml.sh")], { cwd: REPO_ROOT }).then(
    ({ stdout }) => stdout.trim().split("\n").pop()!.trim(),
  );
  return yamlPath;
}

/** An end-to-end home (see {@link e2eHome}) whose PATH starts with the Pulumi CLI and its YAML host. */
export async function yamlHome(): Promise<E2eHome> {
  const [front, home] = await Promise.all([ensureYamlHost(), e2eHome()]);
  home.env.PATH = `${front}:${home.env.PATH ?? ""}`;
  return home;
}
