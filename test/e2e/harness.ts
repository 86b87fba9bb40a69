import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import { defaultSeed } from "../../emulator";
import { offlineHome, pulumi, type PulumiHome, type PulumiResult, REPO_ROOT } from "../../scripts/pulumi-cli";

/**
 * Stacks for the end-to-end suite: the real `pulumi` against the emulator, each stack with its own
 * config file in a temporary backend, so nothing lands in the repository.
 */

/** The end-to-end fixture program (every input from config) and the example programs. */
export const PROGRAM_DIR = join(REPO_ROOT, "test", "e2e", "program");

/** A temporary backend and Pulumi home, removed by {@link E2eHome.dispose}. */
export interface E2eHome extends PulumiHome {
  dispose(): void;
}

/** Creates a temporary offline Pulumi home inside the repository's ignored folder. */
export async function e2eHome(): Promise<E2eHome> {
  mkdirSync(join(REPO_ROOT, ".pulumi-local"), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, ".pulumi-local", "e2e-"));
  const home = await offlineHome(dir);
  // The emulator's restores take seconds, not the minutes the planned default schedule is made for:
  // the geometric poller from 1.5 s keeps these runs short. The installed-package spec runs defaults.
  home.env.ATLAS_RESTORE_POLL_MIN_DELAY_MS ??= "1500";
  return { ...home, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every line any CLI run printed, for the security checks. */
export const transcript: string[] = [];

/** A resource as `pulumi stack export` prints it. */
export interface StateResource {
  urn: string;
  type: string;
  id: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs: Record<string, unknown>;
  initErrors?: string[];
}

/** One stack of one program. */
export class Stack {
  readonly configFile: string;

  constructor(
    readonly name: string,
    readonly projectDir: string,
    readonly home: PulumiHome,
    readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.configFile = join(home.stateDir, `Pulumi.${name}.yaml`);
  }

  /** Creates the stack and sets its config; values in `secrets` are set with `--secret`. */
  async init(config: Record<string, string>, secrets: Record<string, string> = {}): Promise<void> {
    await this.run(["stack", "init"]);
    for (const [key, value] of Object.entries(config)) await this.setConfig(key, value);
    for (const [key, value] of Object.entries(secrets)) await this.setConfig(key, value, true);
  }

  async setConfig(key: string, value: string, secret = false): Promise<void> {
    await this.run(["config", "set", ...this.configArgs(), ...(secret ? ["--secret"] : []), key, value]);
  }

  up(extra: string[] = [], allowFailure = false): Promise<PulumiResult> {
    return this.run(["up", "--yes", "--skip-preview", ...this.configArgs(), ...extra], allowFailure);
  }

  preview(extra: string[] = [], allowFailure = false): Promise<PulumiResult> {
    return this.run(["preview", "--diff", ...this.configArgs(), ...extra], allowFailure);
  }

  refresh(): Promise<PulumiResult> {
    return this.run(["refresh", "--yes", "--skip-preview", ...this.configArgs()]);
  }

  destroy(): Promise<PulumiResult> {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.configArgs()]);
  }

  /** The stack's outputs, secrets shown as `[secret]`. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.run(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
  }

  /** The checkpoint as `pulumi stack export` prints it (secrets stay encrypted). */
  async exportText(): Promise<string> {
    return (await this.run(["stack", "export"])).stdout;
  }

  /** Every resource recorded in state. */
  async resources(): Promise<StateResource[]> {
    const exported = JSON.parse(await this.exportText()) as { deployment: { resources?: StateResource[] } };
    return exported.deployment.resources ?? [];
  }

  /**
   * The restore jobs recorded in state, one per restore: the job ids Pulumi holds, from the moment
   * Atlas answered, waited for or not (0.1's type, e.g. `mongodbatlas:ClusterRestoreJob`).
   */
  async restoreJobs(): Promise<StateResource[]> {
    return (await this.resources()).filter((r) => /dynamic\/mongodbatlas:\w*RestoreJob$/.test(r.type));
  }

  /**
   * The restores' records in state, one per restore once its wait ended: what the wait saw of the job
   * (e.g. `mongodbatlas:ClusterRestore`).
   */
  async records(): Promise<StateResource[]> {
    return (await this.resources()).filter((r) => /dynamic\/mongodbatlas:\w*Restore$/.test(r.type));
  }

  /** Removes the stack and its state. */
  async remove(): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force"], true);
  }

  private configArgs(): string[] {
    return ["--config-file", this.configFile];
  }

  /** Runs any `pulumi` command against this stack. */
  async run(args: string[], allowFailure = false): Promise<PulumiResult> {
    const result = await pulumi([...args, "--stack", this.name], {
      cwd: this.projectDir,
      env: { ...this.home.env, ...this.extraEnv },
      allowFailure,
    });
    transcript.push(result.stdout, result.stderr);
    return result;
  }
}

/** Credentials for fixture stacks: the default seed's first service account. */
const account = defaultSeed().serviceAccounts[0]!;

/**
 * A new stack of the fixture program with `args` as the resource's inputs and service-account
 * credentials in stack config (the secret set with `--secret`).
 */
export async function fixtureStack(
  name: string,
  home: PulumiHome,
  baseUrl: string,
  args: Record<string, unknown>,
  kind = "serverless",
): Promise<Stack> {
  const stack = new Stack(name, PROGRAM_DIR, home);
  await stack.init(
    {
      args: JSON.stringify(args),
      kind,
      "mongodbatlas:baseUrl": baseUrl,
      "mongodbatlas:clientId": account.clientId,
    },
    { "mongodbatlas:clientSecret": account.clientSecret },
  );
  return stack;
}

/** The stack's config file as written, to show that secrets in it are encrypted. */
export function configText(stack: Stack): string {
  return readFileSync(stack.configFile, "utf8");
}
