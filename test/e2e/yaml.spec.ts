import assert from "node:assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, Stack } from "./harness";
import { pluginFolder, yamlHome } from "./languages";
import { outsideFolder, packTarball, run } from "./user-project";

/**
 * The component package from a Pulumi YAML program, under the real engine and Pulumi YAML's language
 * host, against the emulator. The package is packed and installed as a user would, in a folder of its
 * own: the program's folder has no node_modules, so the dynamic providers inside the components load
 * through the package's shim. One program restores every kind; a look-up that depends on all of them
 * must act only once they completed.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
const NEWEST_SERVERLESS = "6650a1b2c3d4e5f6a7b8cb03";
const FAILS_RESTORES = "6650a1b2c3d4e5f6a7b8cb00";
/** A completed snapshot of analytics-flex whose restores succeed (its newest fails on purpose). */
const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd10";
/** The SDK the package is installed with: the one this repository is tested with. */
const SDK = (require(join(REPO_ROOT, "package.json")) as { devDependencies: Record<string, string> })
  .devDependencies["@pulumi/pulumi"]!;

/** Pulumi.yaml of a program named `name` whose `resources:` and `outputs:` sections follow. */
function pulumiYaml(name: string, plugin: string, body: string): string {
  return `name: ${name}
runtime: yaml
packages:
  atlas-restore: ${plugin}
plugins:
  providers:
    - name: pulumi-nodejs
      path: ${plugin}
${body}`;
}

/** Every restore kind and a look-up feeding one; `after` depends on all of them. */
const EVERY_KIND = `resources:
  newest:
    type: atlas-restore:LatestSnapshot
    properties:
      groupId: ${PRODUCTION}
      clusterName: prod-orders
  serverless:
    type: atlas-restore:ServerlessRestoreJob
    properties:
      groupId: ${PRODUCTION}
      clusterName: prod-orders
      deliveryType: automated
      snapshotId: \${newest.snapshot.id}
      targetClusterName: staging-orders
  flex:
    type: atlas-restore:FlexRestoreJob
    properties:
      groupId: ${PRODUCTION}
      name: prod-orders
      targetDeploymentItemName: staging-orders
  cluster:
    type: atlas-restore:ClusterRestoreJob
    properties:
      groupId: ${PRODUCTION}
      clusterName: prod-cluster
      deliveryType: automated
      targetGroupId: ${STAGING}
      targetClusterName: staging-cluster
  collections:
    type: atlas-restore:CollectionRestoreJob
    properties:
      groupId: ${PRODUCTION}
      clusterName: prod-cluster
      targetGroupId: ${STAGING}
      targetClusterName: staging-cluster
      collections:
        - sourceNamespace: orders.orders
          targetNamespace: orders_copy.orders
    options:
      dependsOn:
        - \${cluster}
  detected:
    type: atlas-restore:RestoreJob
    properties:
      groupId: ${PRODUCTION}
      clusterName: analytics-flex
      deliveryType: automated
      snapshotId: ${FLEX_SNAPSHOT}
      targetGroupId: ${STAGING}
      targetClusterName: staging-orders
  after:
    type: atlas-restore:ServerlessSnapshots
    properties:
      groupId: ${STAGING}
      clusterName: staging-orders
    options:
      dependsOn:
        - \${serverless}
        - \${flex}
        - \${collections}
        - \${detected}
outputs:
  newest: \${newest.snapshot.id}
  serverless: \${serverless.status}
  serverlessSnapshot: \${serverless.snapshotId}
  serverlessTargetReady: \${serverless.targetReady}
  flex: \${flex.status}
  cluster: \${cluster.status}
  collections: \${collections.state}
  documents: \${collections.restoredDocuments}
  detected: \${detected.status}
  detectedKind: \${detected.kind}
  after: \${after.snapshots}
`;

/** The YAML program of docs/other-languages.md, with the plugin folder where `plugin` says. */
function docsExample(plugin: string): string {
  const docs = readFileSync(join(REPO_ROOT, "docs", "other-languages.md"), "utf8");
  const program = /^```yaml\n([\s\S]*?)^```$/m.exec(docs)?.[1];
  if (!program) throw new Error("docs/other-languages.md has no YAML program");
  return program.split("./node_modules/pulumi-atlas-restore/provider/component").join(plugin);
}

/** The path the dependent look-up reads: the one request of `after`. */
const AFTER_PATH = `/api/atlas/v2/groups/${STAGING}/serverless/staging-orders/backup/snapshots`;

describe("end to end: the component package from Pulumi YAML", function () {
  this.timeout(15 * 60_000);
  let folder: ReturnType<typeof outsideFolder>;
  /** Where the package is installed. */
  let installed: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;

  /**
   * A stack of a YAML program in a folder of its own (no node_modules), with emulator credentials;
   * `program` writes Pulumi.yaml given the plugin folder relative to the program's, as a user does.
   */
  async function yamlStack(name: string, program: (plugin: string) => string): Promise<Stack> {
    const dir = join(folder.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Pulumi.yaml"), program(relative(dir, pluginFolder(installed))));
    const stack = new Stack(name, dir, home);
    await stack.init(
      { "mongodbatlas:baseUrl": emulator.url, "mongodbatlas:clientId": account.clientId },
      { "mongodbatlas:clientSecret": account.clientSecret },
    );
    return stack;
  }

  before(async () => {
    folder = outsideFolder("atlas-restore-yaml");
    const packageDir = join(folder.dir, "package");
    mkdirSync(packageDir);
    writeFileSync(join(packageDir, "package.json"), '{ "private": true }\n');
    const { tarball } = await packTarball(folder.dir);
    await run("npm", ["install", "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${SDK}`], {
      cwd: packageDir,
    });
    installed = join(packageDir, "node_modules", "pulumi-atlas-restore");
    emulator = await startEmulator({ restoreDurationMs: 1000, snapshotDurationMs: 500, sunset: "off" });
    admin = new EmulatorAdmin(emulator.url);
    home = await yamlHome();
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
    folder?.dispose();
  });

  describe("one program with every kind, from preview to destroy", () => {
    let s: Stack;

    before(async () => {
      await admin.reset();
      s = await yamlStack("every-kind", (plugin) => pulumiYaml("every-kind", plugin, EVERY_KIND));
    });

    it("preview lists the components and starts nothing", async () => {
      const preview = await s.preview();
      for (const component of ["ServerlessRestoreJob", "FlexRestoreJob", "ClusterRestoreJob", "RestoreJob"])
        assert.match(preview.stdout, new RegExp(`\\+ atlas-restore:index:${component}: \\(create\\)`));
      assert.deepStrictEqual(await admin.allJobs(), []);
    });

    it("up restores every kind once, and the look-up that depends on them acts after all completed", async () => {
      const earlier = (await admin.requests()).length;
      const up = await s.up();
      assert.deepStrictEqual(await s.outputs(), {
        newest: NEWEST_SERVERLESS,
        serverless: "COMPLETED",
        serverlessSnapshot: NEWEST_SERVERLESS,
        serverlessTargetReady: true,
        flex: "COMPLETED",
        cluster: "COMPLETED",
        collections: "SUCCESSFUL",
        documents: 120000,
        detected: "COMPLETED",
        detectedKind: "flex",
        after: [],
      });
      // One job per restore: serverless, flex and the detected flex source, cluster, collections.
      assert.deepStrictEqual((await admin.jobs()).map((j) => j.api).sort(), [
        "cluster",
        "flex",
        "flex",
        "serverless",
      ]);
      assert.strictEqual((await admin.collectionJobs()).length, 1);
      // The waits' progress, as a TypeScript program prints it.
      assert.match(up.stdout, /serverless restore job started: \w{24}/);
      assert.match(up.stdout, /serverless restore job \w{24}: COMPLETED/);
      // Every Atlas request of the restores, their last polls included, came before the dependent's.
      const requests = (await admin.requests())
        .slice(earlier)
        .filter((r) => r.path.startsWith("/api/atlas/"));
      assert.strictEqual(requests.filter((r) => r.path === AFTER_PATH).length, 1);
      assert.strictEqual(requests[requests.length - 1]!.path, AFTER_PATH);
    });

    it("refresh reads the jobs and changes nothing", async () => {
      const before = await s.outputs();
      const refresh = await s.refresh();
      // The stack, the seven components and the restores inside them (providers are not counted).
      const count = (await s.resources()).filter((r) => !r.type.startsWith("pulumi:providers:")).length;
      assert.match(refresh.stdout, new RegExp(`Resources:\\n\\s+${count} unchanged\\n`));
      assert.deepStrictEqual(await s.outputs(), before);
    });

    it("a second up changes nothing and starts no job", async () => {
      await s.up(["--expect-no-changes"]);
      assert.strictEqual((await admin.allJobs()).length, 5);
      assert.strictEqual((await s.outputs()).serverless, "COMPLETED");
    });

    it("destroy forgets the jobs and leaves Atlas as it is", async () => {
      await s.destroy();
      assert.deepStrictEqual(await s.resources(), []);
      assert.strictEqual((await admin.allJobs()).length, 5);
      await s.remove();
    });
  });

  it("the program of docs/other-languages.md previews its restore", async () => {
    await admin.reset();
    const s = await yamlStack("docs-example", docsExample);
    const preview = await s.preview();
    assert.match(preview.stdout, /\+ atlas-restore:index:ServerlessRestoreJob: \(create\)/);
    assert.deepStrictEqual(await admin.allJobs(), []);
    await s.remove();
  });

  it("bad inputs fail preview naming each property, as in TypeScript, without calling Atlas", async () => {
    await admin.reset();
    const secretLooking = "mdb_sa_sk_PastedIntoTheWrongField";
    const s = await yamlStack("bad-inputs", (plugin) =>
      pulumiYaml(
        "bad-inputs",
        plugin,
        `resources:
  restore:
    type: atlas-restore:ServerlessRestoreJob
    properties:
      groupId: ${secretLooking}
      clusterName: ""
      deliveryType: restore
      oplogInc: 0
`,
      ),
    );
    const result = await s.preview([], true);
    assert.notStrictEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    for (const property of ["groupId", "clusterName", "deliveryType", "oplogInc"])
      assert.match(output, new RegExp(`${property}: `), `names ${property}:\n${output}`);
    assert.ok(!output.includes(secretLooking));
    assert.strictEqual(await admin.atlasRequests(), 0);
    await s.remove();
  });

  it("a restore that fails in Atlas fails up with TypeScript's message, and the next up starts no other", async () => {
    await admin.reset();
    const s = await yamlStack("fails", (plugin) =>
      pulumiYaml(
        "fails",
        plugin,
        `resources:
  restore:
    type: atlas-restore:ServerlessRestoreJob
    properties:
      groupId: ${PRODUCTION}
      clusterName: prod-orders
      deliveryType: automated
      snapshotId: ${FAILS_RESTORES}
      targetClusterName: staging-orders
`,
      ),
    );
    const result = await s.up([], true);
    assert.notStrictEqual(result.code, 0);
    const [job] = await admin.jobs();
    assert.ok(job, "Atlas has the job");
    // Under the restore's own row, with the job and what to do, as for TypeScript.
    assert.match(
      result.stdout,
      new RegExp(
        `mongodbatlas:ServerlessRestore \\(restore\\):\n\\s+error: .*\n.*restore job ended FAILED: ${job.id}`,
      ),
    );
    assert.match(result.stdout, /pulumi up --replace <urn>/);
    assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /, "no stack trace");
    const again = await s.up([], true);
    assert.notStrictEqual(again.code, 0);
    assert.match(again.stdout, /restore job ended FAILED/);
    assert.strictEqual((await admin.jobs()).length, 1);
    await s.destroy();
    await s.remove();
  });
});
