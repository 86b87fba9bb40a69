import assert from "node:assert";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { type E2eHome, e2eHome, Stack } from "./harness";

/**
 * The language host scripts/ensure-pulumi.sh builds (scripts/pulumi-host), under the real engine:
 * what only the engine shows of it. Its Go tests cover the rest, among them that the Cancel call alone
 * interrupts a program and kills one that ignores the interrupt: here the engine, which also stops the
 * host's process group when it shuts down, cannot tell who interrupted. With a regular Pulumi
 * installation on PATH these run against Pulumi's own host, which behaves the same.
 */

describe("end to end: the Node language host", function () {
  this.timeout(5 * 60_000);
  let home: E2eHome;

  before(async () => {
    home = await e2eHome();
  });

  after(() => home?.dispose());

  /** A JavaScript project in the test home with these runtime options; returns its directory. */
  function project(name: string, options: Record<string, unknown>, program: string): string {
    const dir = join(home.stateDir, name);
    mkdirSync(dir, { recursive: true });
    // JSON is YAML, and keeps the quotes inside nodeargs readable.
    const pulumiYaml = {
      name,
      runtime: { name: "nodejs", options: { typescript: false, ...options } },
      main: "index.js",
    };
    writeFileSync(join(dir, "Pulumi.yaml"), JSON.stringify(pulumiYaml, null, 2));
    writeFileSync(join(dir, "index.js"), program);
    return dir;
  }

  /** Starts `pulumi <args>` in dir; `exited` resolves with its exit code and everything it printed. */
  function startPulumi(args: string[], dir: string) {
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: dir, env: home.env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
    return { child, exited };
  }

  it("splits quoted nodeargs as a shell would and passes config keys as project:config:key", async () => {
    const dir = project(
      "host-nodeargs",
      { nodeargs: "--title='atlas restore e2e' --max-old-space-size=256" },
      `const pulumi = require("@pulumi/pulumi");
exports.title = process.title;
exports.configKeys = Object.keys(JSON.parse(process.env.PULUMI_CONFIG)).sort();
exports.greeting = new pulumi.Config().require("greeting");
exports.region = new pulumi.Config("other").require("region");
`,
    );
    const stack = new Stack("host-nodeargs", dir, home);
    await stack.init({ greeting: "hello", "other:region": "eu-west-1" });
    await stack.up();
    assert.deepStrictEqual(await stack.outputs(), {
      title: "atlas restore e2e",
      configKeys: ["host-nodeargs:config:greeting", "other:config:region"],
      greeting: "hello",
      region: "eu-west-1",
    });
  });

  it("refuses a typescript option that is not a boolean", async () => {
    const dir = project("host-typescript", { typescript: "false" }, "exports.ran = true;\n");
    const stack = new Stack("host-typescript", dir, home);
    await stack.init({});
    const preview = await stack.preview([], true);
    assert.notStrictEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /typescript option must be a boolean/);
  });

  it("pulumi install refuses an unknown package manager", async () => {
    const dir = project("host-packagemanager", { packagemanager: "bogus" }, "exports.ran = true;\n");
    const { code, output } = await startPulumi(["install"], dir).exited;
    assert.notStrictEqual(code, 0);
    // Pulumi's own host words it without the colon.
    assert.match(output, /packagemanager option must be one of auto, npm, yarn, pnpm or bun, got:? "bogus"/);
  });

  it("pulumi about shows the language, the package manager and the dependencies", async () => {
    const dir = project("host-about", {}, "exports.ran = true;\n");
    const { code, output } = await startPulumi(["about"], dir).exited;
    assert.strictEqual(code, 0, output);
    const runtimeLine = output
      .split("\n")
      .find((line) => line.startsWith("This project is written in nodejs:"));
    assert.ok(runtimeLine, output);
    assert.match(runtimeLine, /executable='[^']*\/node' /);
    assert.match(runtimeLine, /version='v\d+\.\d+\.\d+'/);
    assert.match(runtimeLine, /packagemanager='npm'/);
    assert.match(runtimeLine, /packagemanagerVersion='\d+\.\d+\.\d+'/);
    // The project has no lock file of its own: the repository's, found upwards, lists its dependencies.
    const pulumiVersion = (
      JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    assert.match(
      output,
      new RegExp(`Dependencies:[\\s\\S]*@pulumi/pulumi +${pulumiVersion.replace(/\./g, "\\.")}`),
    );
  });

  it("cancelling an update interrupts the program, whose handlers run", async () => {
    const marker = join(home.stateDir, "host-cancel.marker");
    const dir = project(
      "host-cancel",
      {},
      `const fs = require("fs");
process.on("SIGINT", () => {
  fs.writeFileSync(${JSON.stringify(marker)}, "interrupted");
  process.exit(0);
});
fs.writeFileSync(${JSON.stringify(marker)}, "started");
setInterval(() => {}, 60_000); // a program that never finishes on its own
`,
    );
    const stack = new Stack("host-cancel", dir, home);
    await stack.init({});
    const up = startPulumi(
      ["up", "--yes", "--skip-preview", "--stack", stack.name, "--config-file", stack.configFile],
      dir,
    );
    await until(() => readMarker(marker) === "started", up.exited);
    // Only pulumi gets the signal, as from `kill -INT`: the program hears of it through the host.
    up.child.kill("SIGINT");
    const { code, output } = await up.exited;
    assert.notStrictEqual(code, 0);
    assert.match(output, /update canceled/);
    assert.strictEqual(readMarker(marker), "interrupted");
  });
});

function readMarker(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Resolves once `ready()` holds; rejects if the process ends first. */
async function until(ready: () => boolean, exited: Promise<{ output: string }>): Promise<void> {
  let ended: { output: string } | undefined;
  void exited.then((result) => (ended = result));
  while (!ready()) {
    if (ended) throw new Error(`pulumi ended before the program started:\n${ended.output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
