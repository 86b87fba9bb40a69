import assert from "node:assert";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

import { defaultSeed } from "../../emulator";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { type E2eHome, e2eHome, Stack } from "./harness";
import {
  type EmulatorProcess,
  outsideFolder,
  packTarball,
  readmeFiles,
  readmeInstallCommand,
  readmeSection,
  run,
  startInstalledEmulator,
  writeFiles,
} from "./user-project";

/**
 * What a user gets: the packed tarball, installed with npm's default choices into a new project
 * outside the repository, built from docs/your-project.md alone, run with
 * the real CLI against the emulator started from the installed package. One install serves every case.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;

/** Another `@pulumi/pulumi` version to install instead of npm's choice, e.g. `3.200.0` (docs/your-project.md lists those tried). */
const SDK = process.env.ATLAS_RESTORE_E2E_PULUMI_SDK;

/**
 * The line Pulumi prints for a look-up failure. Newer SDKs prefix the input it fed (3.200 does not),
 * once per resource it passes through: the restore's record, then the input of the restore.
 */
const errorLine = (message: string) =>
  new RegExp(
    `error: (error serializing property "(snapshotId|record)": ){0,2}${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`,
  );

/** Files every tarball must hold: the entry points, the compatibility path, the emulator, the docs. */
const REQUIRED = [
  "package.json",
  "README.md",
  "LICENSE",
  "CHANGELOG.md",
  "dist/provider/index.js",
  "dist/provider/index.d.ts",
  "dist/provider/pulumi/provider-process.js",
  "dist/provider/pulumi/serialized-provider.js",
  "dist/provider/runtime.js",
  "dist/emulator/index.js",
  "dist/emulator/index.d.ts",
  "dist/emulator/cli.js",
  "dist/emulator/seed/default-seed.json",
  "emulator/README.md",
  "emulator/seed/default-seed.json",
  // The component package for other languages: Pulumi infers its schema from the TypeScript source.
  "provider/component/index.ts",
  "provider/component/PulumiPlugin.yaml",
  "provider/component/pulumi-resource-atlas-restore",
];

describe("end to end: the installed package in a project of the user's own", function () {
  this.timeout(15 * 60_000);
  let folder: ReturnType<typeof outsideFolder>;
  let project: string;
  let files: string[];
  let emulator: EmulatorProcess;
  let home: E2eHome;
  const section = readmeSection();

  /** A stack of the docs' project; type checking on, as `pulumi up` does by default. */
  async function readmeStack(name: string, config: Record<string, string>, secret = account.clientSecret) {
    const stack = new Stack(name, project, home, { PULUMI_NODEJS_TRANSPILE_ONLY: "" });
    await stack.init(
      { "mongodbatlas:baseUrl": emulator.url, "mongodbatlas:clientId": account.clientId, ...config },
      { "mongodbatlas:clientSecret": secret },
    );
    return stack;
  }

  before(async function () {
    folder = outsideFolder("atlas-restore-user");
    const packed = await packTarball(folder.dir);
    files = packed.files;
    project = join(folder.dir, "restore-staging");
    writeFiles(project, readmeFiles(section));
    const [npm, install, ...packages] = readmeInstallCommand(section);
    const args = packages.map((p) =>
      p === "pulumi-atlas-restore" ? packed.tarball : p === "@pulumi/pulumi" && SDK ? `${p}@${SDK}` : p,
    );
    await run(npm!, [install!, "--no-audit", "--no-fund", ...args], { cwd: project });
    // As docs/your-project.md starts it: answering as Atlas does today.
    emulator = await startInstalledEmulator(project);
    home = await e2eHome();
  });

  after(async () => {
    await emulator?.stop();
    home?.dispose();
    folder?.dispose();
  });

  it("docs/your-project.md gives the four files and installs the package with npm's default TypeScript", async () => {
    assert.deepStrictEqual(Object.keys(readmeFiles(section)).sort(), [
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    assert.ok(relative(REPO_ROOT, project).startsWith(".."), "outside the repository");
    // The docs' offline commands are the ones these stacks run.
    for (const line of [
      `pulumi config set groupId ${PRODUCTION}`,
      `pulumi config set stagingGroupId ${STAGING}`,
      `pulumi config set mongodbatlas:clientId ${account.clientId}`,
      `pulumi config set --secret mongodbatlas:clientSecret ${account.clientSecret}`,
    ])
      assert.ok(section.includes(`\n${line}\n`), line);
    const fromProject = createRequire(join(project, "index.js"));
    const typescript = fromProject("typescript/package.json") as { version: string };
    const sdk = fromProject("@pulumi/pulumi/package.json") as { version: string };
    // What npm chooses today on this Node (unless told otherwise); the docs list it as tested.
    assert.match(typescript.version, SDK ? /^[56]\./ : /^6\./);
    const minor = sdk.version.split(".").slice(0, 2).join("\\.");
    assert.match(section.slice(section.indexOf("Tested:")), new RegExp(`\\b${minor}\\b`), sdk.version);
  });

  it("the tarball holds the built package and the docs, nothing else", () => {
    for (const file of REQUIRED) assert.ok(files.includes(file), `the tarball holds ${file}`);
    const unexpected = files.filter(
      (f) =>
        !REQUIRED.includes(f) &&
        !/^dist\/(provider|emulator)\/[\w/-]+(\.js|\.d\.ts)$/.test(f) &&
        !f.startsWith("provider/component/"),
    );
    assert.deepStrictEqual(unexpected, [], "no source maps, sources, tests, examples or scripts");
  });

  it("the exports map: documented entry points resolve, internals do not", () => {
    const fromProject = createRequire(join(project, "index.js"));
    const installed = join(project, "node_modules", "pulumi-atlas-restore");
    const resolves = (request: string, file: string) =>
      assert.strictEqual(fromProject.resolve(request), join(installed, file), request);
    resolves("pulumi-atlas-restore", "dist/provider/index.js");
    resolves("pulumi-atlas-restore/emulator", "dist/emulator/index.js");
    resolves("pulumi-atlas-restore/dist/emulator", "dist/emulator/index.js");
    // What serialized providers in state require: today's implementation, and 0.1's.
    resolves(
      "pulumi-atlas-restore/dist/provider/pulumi/provider-process",
      "dist/provider/pulumi/provider-process.js",
    );
    resolves("pulumi-atlas-restore/dist/provider/runtime", "dist/provider/runtime.js");
    for (const internal of [
      "pulumi-atlas-restore/dist/provider/atlas/client",
      "pulumi-atlas-restore/dist/emulator/store",
    ])
      assert.throws(() => fromProject.resolve(internal), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }, internal);
    const library = fromProject("pulumi-atlas-restore") as Record<string, unknown>;
    for (const name of [
      "ServerlessRestoreJob",
      "FlexRestoreJob",
      "getLatestSnapshotOutput",
      "inlineProjectSettings",
    ])
      assert.strictEqual(typeof library[name], "function", name);
  });

  it("preview, up, refresh and destroy of the docs' program; what state holds about credentials", async () => {
    const stack = await readmeStack("dev", { groupId: PRODUCTION, stagingGroupId: STAGING });
    const preview = await stack.preview();
    assert.match(
      preview.stdout,
      /\+ pulumi-nodejs:dynamic\/mongodbatlas:ClusterRestoreJob: \(create\)\n.*::prod-into-staging\]/,
    );
    assert.match(preview.stdout, /snapshotId +: "6650a1b2c3d4e5f6a7b8ce02"/);
    await stack.up();
    const outputs = await stack.outputs();
    assert.strictEqual(outputs.status, "COMPLETED");
    assert.match(String(outputs.restoreJobId), /^[a-f0-9]{24}$/);

    // As docs/configuration.md says: the stack config is the default pulumi-nodejs provider's inputs, the
    // secret as ciphertext, the rest in plain text; the restore job itself holds no credential.
    const exported = JSON.parse(await stack.exportText()) as {
      deployment: { resources: { urn: string; type: string; inputs?: Record<string, unknown> }[] };
    };
    const provider = exported.deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs")!;
    assert.match(provider.urn, /::pulumi:providers:pulumi-nodejs::default$/);
    assert.strictEqual(provider.inputs!["mongodbatlas:clientId"], account.clientId);
    assert.strictEqual(provider.inputs!["restore-staging:groupId"], PRODUCTION);
    assert.match(JSON.stringify(provider.inputs!["mongodbatlas:clientSecret"]), /"ciphertext":"v1:/);
    assert.ok(!JSON.stringify(exported).includes(account.clientSecret), "the secret only as ciphertext");
    const [job] = await stack.restoreJobs();
    assert.ok(!JSON.stringify(job).includes(account.clientId), "no credential in the restore job");

    // Loaded from node_modules, each provider object is its module's whole exports, so Pulumi stores
    // it as one require of that module, not as serialized closures: the job's, and the record's.
    const dynamic = exported.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    assert.deepStrictEqual(
      dynamic.map((r) => r.type),
      [
        "pulumi-nodejs:dynamic/mongodbatlas:ClusterRestoreJob",
        "pulumi-nodejs:dynamic/mongodbatlas:ClusterRestore",
      ],
      "two resources per restore",
    );
    for (const [resource, module] of [
      [dynamic[0]!, "cluster-start"],
      [dynamic[1]!, "restore-record"],
    ] as const) {
      const text = String(resource.inputs!.__provider);
      assert.match(
        text,
        new RegExp(`require\\("pulumi-atlas-restore/dist/provider/pulumi/providers/${module}"\\)`),
      );
      assert.ok(text.length < 600, `serialized provider of ${text.length} characters`);
    }

    assert.match((await stack.refresh()).stdout, /unchanged/);
    await stack.destroy();
    assert.deepStrictEqual(await stack.restoreJobs(), []);
    await stack.remove();
  });

  it("errors are one line: an unknown cluster and a refused secret in a look-up, a refused secret in a resource", async () => {
    const unknown = await readmeStack("unknown", {
      groupId: PRODUCTION,
      stagingGroupId: STAGING,
      clusterName: "no-such-cluster",
    });
    const preview = await unknown.preview([], true);
    assert.notStrictEqual(preview.code, 0);
    assert.match(
      preview.stdout + preview.stderr,
      errorLine(
        `cannot look up the newest completed snapshot of cluster no-such-cluster in project ${PRODUCTION}: ` +
          `Atlas answered 404 CLUSTER_NOT_FOUND (No cluster named no-such-cluster exists in group ${PRODUCTION}.)`,
      ),
    );
    await unknown.remove();

    const refusedLookUp = await readmeStack(
      "refused",
      { groupId: PRODUCTION, stagingGroupId: STAGING },
      "mdb_sa_sk_notTheSecret",
    );
    const up = await refusedLookUp.up([], true);
    assert.notStrictEqual(up.code, 0);
    assert.match(
      up.stdout + up.stderr,
      errorLine(
        `cannot look up the newest completed snapshot of cluster prod-cluster in project ${PRODUCTION}: ` +
          "Atlas answered 401 (the service account credentials were refused)",
      ),
    );
    await refusedLookUp.remove();

    // A program without a look-up: the resource's own call is refused, in the provider process.
    const resourceOnly = join(project, "resource-only");
    writeFiles(resourceOnly, {
      "Pulumi.yaml": "name: resource-only\nruntime: nodejs\n",
      "tsconfig.json": readmeFiles(section)["tsconfig.json"]!,
      "index.ts": [
        'import { ClusterRestoreJob } from "pulumi-atlas-restore";',
        `new ClusterRestoreJob("prod-into-staging", { groupId: "${PRODUCTION}", clusterName: "prod-cluster", ` +
          `deliveryType: "automated", targetGroupId: "${STAGING}", targetClusterName: "staging-cluster" });`,
        "",
      ].join("\n"),
    });
    const refusedResource = new Stack("refused-resource", resourceOnly, home, {
      PULUMI_NODEJS_TRANSPILE_ONLY: "",
    });
    await refusedResource.init(
      { "mongodbatlas:baseUrl": emulator.url, "mongodbatlas:clientId": account.clientId },
      { "mongodbatlas:clientSecret": "mdb_sa_sk_notTheSecret" },
    );
    const resourceUp = await refusedResource.up([], true);
    assert.notStrictEqual(resourceUp.code, 0);
    assert.match(
      resourceUp.stdout + resourceUp.stderr,
      /ClusterRestoreJob \(prod-into-staging\):\n {4}error: Atlas API answered 401 \(the service account credentials were refused\): POST \/api\/oauth\/token\n/,
    );
    await refusedResource.remove();

    for (const printed of [preview, up, resourceUp].map((r) => r.stdout + r.stderr)) {
      assert.ok(!/^\s+at /m.test(printed), `no stack frame: ${printed}`);
      assert.ok(!/\.ts:\d+/.test(printed), `no source path: ${printed}`);
      assert.ok(!/\[Circular|Promise \{|errorCode: '/.test(printed), `no object dump: ${printed}`);
      assert.ok(!printed.includes("mdb_sa_sk_notTheSecret"), "no secret");
    }
  });

  it("the inline Automation API example, compiled in the project and run from another folder", async () => {
    // Compiled with the docs' tsconfig.json, by the TypeScript npm installed.
    writeFiles(project, {
      "clone.ts": readFileSync(join(REPO_ROOT, "examples", "clone-automation", "index.ts"), "utf8"),
      "tsconfig.clone.json": JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { outDir: "out" },
        files: ["clone.ts"],
      }),
    });
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "-p", "tsconfig.clone.json"], { cwd: project });
    const elsewhere = outsideFolder("atlas-restore-cwd");
    try {
      const result = await run(process.execPath, [join(project, "out", "clone.js"), PRODUCTION, STAGING], {
        cwd: elsewhere.dir,
        env: {
          ...home.env,
          // LocalWorkspace makes a folder for the inline program's project in the temporary folder.
          TMPDIR: elsewhere.dir,
          MONGODB_ATLAS_BASE_URL: emulator.url,
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
        },
      });
      assert.match(result.stdout, /^prod-cluster -> staging-cluster: [a-f0-9]{24}\n$/);
    } finally {
      elsewhere.dispose();
    }
  });
});
