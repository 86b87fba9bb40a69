import assert from "node:assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { type E2eHome, e2eHome } from "./harness";
import { pluginFolder } from "./languages";
import { outsideFolder, run } from "./user-project";

/**
 * The component package's Python and Go SDKs, generated from the schema the real CLI reads from the
 * plugin folder (through the Node language host's RunPlugin, as `pulumi package add <folder>` does),
 * by Pulumi's own code generators (scripts/gen-sdk), then compiled: Go with `go build` and `go vet`,
 * Python installed beside Pulumi's Python SDK and imported. Neither language runs a program here: the
 * Go module proxy serves neither Pulumi's Python nor its Go language host.
 */

/** The Python SDK the generated one is imported with: the release of the Node SDK tested here. */
const PYTHON_SDK = "3.270.0";
const CACHE = process.env.PULUMI_ATLAS_RESTORE_CACHE ?? join(homedir(), ".cache", "pulumi-atlas-restore");

/** The Go SDK version the language host builds with (scripts/pulumi-host/go.mod). */
function goSdkVersion(): string {
  const goMod = readFileSync(join(REPO_ROOT, "scripts", "pulumi-host", "go.mod"), "utf8");
  const version = /^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)$/m.exec(goMod)?.[1];
  if (!version)
    throw new Error("scripts/pulumi-host/go.mod does not require github.com/pulumi/pulumi/sdk/v3");
  return version;
}

/** A Python with Pulumi's SDK, made once in the cache (a virtual environment; PyPI the first time). */
async function pythonWithSdk(): Promise<string> {
  const venv = join(CACHE, `python-sdk-${PYTHON_SDK}`);
  const python = join(venv, "bin", "python");
  const stamp = join(venv, "stamp");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === PYTHON_SDK) return python;
  mkdirSync(CACHE, { recursive: true });
  await run("python3", ["-m", "venv", "--clear", venv], { cwd: CACHE });
  // `wheel` lets pip build the generated SDK from its setup.py without fetching build tools.
  await run(
    python,
    ["-m", "pip", "install", "-q", "--disable-pip-version-check", `pulumi==${PYTHON_SDK}`, "wheel"],
    {
      cwd: CACHE,
    },
  );
  writeFileSync(stamp, PYTHON_SDK);
  return python;
}

describe("end to end: the component package's Python and Go SDKs", function () {
  this.timeout(15 * 60_000);
  let folder: ReturnType<typeof outsideFolder>;
  let home: E2eHome;
  let sdk: string;

  before(async () => {
    folder = outsideFolder("atlas-restore-sdks");
    home = await e2eHome();
    const schema = await run(
      "pulumi",
      ["package", "get-schema", pluginFolder(REPO_ROOT), "--non-interactive"],
      {
        cwd: folder.dir,
        env: home.env,
      },
    );
    writeFileSync(join(folder.dir, "schema.json"), schema.stdout);
    const genSdk = join(folder.dir, "gen-sdk");
    await run("go", ["build", "-trimpath", "-o", genSdk, "."], {
      cwd: join(REPO_ROOT, "scripts", "gen-sdk"),
      env: { ...process.env, CGO_ENABLED: "0" },
    });
    sdk = join(folder.dir, "sdk");
    await run(genSdk, [join(folder.dir, "schema.json"), sdk, "python", "go"], { cwd: folder.dir });
  });

  after(() => {
    home?.dispose();
    folder?.dispose();
  });

  it("the CLI reads the schema through the plugin folder's PulumiPlugin.yaml", () => {
    const schema = JSON.parse(readFileSync(join(folder.dir, "schema.json"), "utf8")) as {
      name: string;
      resources: Record<string, unknown>;
    };
    assert.strictEqual(schema.name, "atlas-restore");
    assert.strictEqual(Object.keys(schema.resources).length, 11);
  });

  it("the Go SDK builds and passes go vet", async () => {
    const dir = join(sdk, "go");
    const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
    // The generated go.mod asks for an older SDK, one of whose modules the Go module proxy no longer
    // serves; the one the language host builds with is newer and is what `go get` resolves anyway.
    await run("go", ["mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@${goSdkVersion()}`], {
      cwd: dir,
      env,
    });
    await run("go", ["mod", "tidy"], { cwd: dir, env });
    await run("go", ["build", "./..."], { cwd: dir, env });
    await run("go", ["vet", "./..."], { cwd: dir, env });
    const packages = (await run("go", ["list", "./..."], { cwd: dir, env })).stdout.trim().split("\n");
    assert.ok(
      packages.some((p) => p.endsWith("/atlasrestore")),
      packages.join("\n"),
    );
  });

  it("the Python SDK installs beside Pulumi's and imports with every component and its inputs", async () => {
    const python = await pythonWithSdk();
    const site = join(folder.dir, "site-packages");
    const pip = [
      "-m",
      "pip",
      "install",
      "-q",
      "--disable-pip-version-check",
      "--no-deps",
      "--no-build-isolation",
    ];
    await run(python, [...pip, "--target", site, join(sdk, "python")], { cwd: folder.dir });
    await run(python, ["-m", "compileall", "-q", site], { cwd: folder.dir });
    const probe = `
import inspect, json, pulumi, pulumi_atlas_restore as m
components = sorted(n for n, c in vars(m).items() if inspect.isclass(c) and issubclass(c, pulumi.ComponentResource))
args = list(inspect.signature(m.ServerlessRestoreJobArgs.__init__).parameters)[1:]
print(json.dumps({"components": components, "args": args}))
`;
    const { stdout } = await run(python, ["-c", probe], {
      cwd: folder.dir,
      env: { ...process.env, PYTHONPATH: site },
    });
    const { components, args } = JSON.parse(stdout) as { components: string[]; args: string[] };
    const schema = JSON.parse(readFileSync(join(folder.dir, "schema.json"), "utf8")) as {
      resources: Record<string, unknown>;
    };
    assert.deepStrictEqual(
      components,
      Object.keys(schema.resources)
        .map((token) => token.split(":")[2]!)
        .sort(),
    );
    for (const input of [
      "group_id",
      "cluster_name",
      "delivery_type",
      "snapshot_id",
      "wait_for_completion",
      "triggers",
    ])
      assert.ok(args.includes(input), `ServerlessRestoreJobArgs takes ${input}: ${args.join(", ")}`);
  });
});
