import assert from "node:assert";
import { join } from "node:path";

import { type RunningEmulator, startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, Stack, type StateResource } from "./harness";

/**
 * Restores the engine can see, for every kind in one stack, each with three dependents (one naming it
 * in `dependsOn`, one using its `restoreJobId`, one its child): preview, plans, `--target`, refresh,
 * state and destroy mean what they mean for any resource. One stack and one emulator serve the cases
 * in order, as a user's stack would live.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
const PROGRAM = join(REPO_ROOT, "test", "e2e", "program-many");
/** A completed snapshot of analytics-flex whose restores succeed (its newest fails on purpose). */
const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd10";

const RESTORES = [
  {
    name: "serverless",
    kind: "serverless",
    args: {
      groupId: PRODUCTION,
      clusterName: "prod-orders",
      deliveryType: "automated",
      targetGroupId: STAGING,
      targetClusterName: "staging-orders",
    },
  },
  {
    name: "flex",
    kind: "flex",
    args: {
      groupId: PRODUCTION,
      name: "analytics-flex",
      snapshotId: FLEX_SNAPSHOT,
      targetDeploymentItemName: "staging-orders",
    },
  },
  {
    name: "cluster",
    kind: "cluster",
    args: {
      groupId: PRODUCTION,
      clusterName: "prod-cluster",
      deliveryType: "automated",
      targetGroupId: STAGING,
      targetClusterName: "staging-cluster",
    },
  },
  {
    name: "collection",
    kind: "collection",
    args: {
      groupId: PRODUCTION,
      clusterName: "prod-sharded",
      targetGroupId: STAGING,
      targetClusterName: "staging-sharded",
      collections: [{ sourceNamespace: "sales.events", targetNamespace: "sales_copy.events" }],
      writeStrategy: "CREATE_NEW",
    },
  },
  {
    name: "detected",
    kind: "detect",
    args: { groupId: PRODUCTION, clusterName: "prod-cluster", deliveryType: "download" },
  },
];
const WITH_TARGET = new Set(["serverless", "flex", "cluster", "collection"]);
/**
 * One read of each finished restore's job: the serverless restore goes through the Flex API (the
 * emulator is Atlas after the sunset) and the detected one through the clusters API; a collection
 * restore's job is read alone (its record read its collections once, when the job had ended).
 */
const ONE_READ_EACH = {
  getGroupFlexClusterBackupRestoreJob: 2,
  getGroupClusterBackupRestoreJob: 2,
  getGroupClusterCollectionRestoreJob: 1,
};
/** How the emulator's job lists say "done": collection-level jobs by their `state`. */
const DONE = (name: string) => (name === "collection" ? "SUCCESSFUL" : "COMPLETED");
const DEPENDENTS = ["after", "uses", "child"];

/** One line of `up --json`: what the engine told the CLI, in order. */
interface EngineEvent {
  diagnosticEvent?: { urn?: string; message: string };
  resOutputsEvent?: { metadata: { urn: string; op: string } };
}

function events(stdout: string): EngineEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith('{"sequence"'))
    .map((line) => JSON.parse(line) as EngineEvent);
}

/** The resources of one restore in state: its job (0.1's type) and its record. */
function restoreOf(resources: StateResource[], name: string) {
  const mine = resources.filter(
    (r) => r.urn.endsWith(`::${name}`) && r.type.includes("dynamic/mongodbatlas:"),
  );
  const job = mine.find((r) => r.type.endsWith("RestoreJob"));
  const record = mine.find((r) => !r.type.endsWith("RestoreJob"));
  assert.ok(
    job && record,
    `${name}: a job and a record in state, found ${mine.map((r) => r.type).join(", ")}`,
  );
  return { job, record };
}

describe("end to end: restores the engine can see", function () {
  this.timeout(30 * 60_000);
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let stack: Stack;

  /** Atlas requests per operation made by `step`. */
  async function requestsDuring(step: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = (await admin.counters()).byOperation;
    await step();
    const after = (await admin.counters()).byOperation;
    return Object.fromEntries(
      Object.entries(after)
        .map(([operation, n]) => [operation, n - (before[operation] ?? 0)] as const)
        .filter(([operation, n]) => n > 0 && !/oauth/i.test(operation)),
    );
  }

  async function newStack(name: string, config: Record<string, string> = {}): Promise<Stack> {
    const s = new Stack(name, PROGRAM, home);
    await s.init(
      {
        restores: JSON.stringify(RESTORES),
        dependents: "true",
        "mongodbatlas:baseUrl": emulator.url,
        "mongodbatlas:clientId": account.clientId,
        ...config,
      },
      { "mongodbatlas:clientSecret": account.clientSecret },
    );
    return s;
  }

  const flag = (s: Stack) => ["--config-file", s.configFile];

  before(async () => {
    emulator = await startEmulator({ restoreDurationMs: 2000, snapshotDurationMs: 500 });
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
    stack = await newStack("engine");
  });
  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("a new stack: preview --save-plan, then up --plan; dependents find their restore COMPLETED", async () => {
    const plan = join(home.stateDir, "new.plan.json");
    await stack.run(["preview", "--save-plan", plan, ...flag(stack)]);
    const up = await stack.run(["up", "--yes", "--plan", plan, "--json", ...flag(stack)]);

    const outputs = await stack.outputs();
    const jobIds = outputs.jobIds as Record<string, string>;
    const seen = outputs.seenByDependents as Record<string, Record<string, string>>;
    for (const { name } of RESTORES) {
      assert.strictEqual((outputs.statuses as Record<string, string>)[name], "COMPLETED", name);
      for (const via of DEPENDENTS) {
        assert.strictEqual(seen[`${name}-${via}`]![jobIds[name]!], DONE(name), `${name}-${via}`);
      }
    }

    // State holds each restore's outcome, on its record; the job keeps 0.1's type and the id.
    const resources = await stack.resources();
    for (const { name } of RESTORES) {
      const { job, record } = restoreOf(resources, name);
      assert.strictEqual(job.id, jobIds[name]);
      assert.strictEqual(record.outputs.restoreJobId, jobIds[name]);
      assert.strictEqual(record.outputs.status, "COMPLETED", name);
      assert.strictEqual(record.outputs.targetReady, WITH_TARGET.has(name) ? true : null, name);
      assert.strictEqual(record.initErrors, undefined);
      assert.ok(!JSON.stringify(record).includes('deliveryUrl":["'), "no download link in state");
      const child = resources.find((r) => r.urn.endsWith(`::${name}-child`))!;
      assert.strictEqual(child.parent, record.urn, "a child of the restore is the record's");
    }
    const finished = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/mongodbatlas:ClusterRestore");
    assert.match(String(finished[0]!.outputs.finishedAt), /^\d{4}-\d\d-\d\dT/);

    // Progress is the job's: every message of the program's waits sits under the job's row, and
    // the record's row appears ("created") only after its job completed.
    const stream = events(up.stdout);
    for (const { name } of RESTORES) {
      const { job, record } = restoreOf(resources, name);
      const progress = stream.filter((e) => e.diagnosticEvent?.message.includes(`job ${jobIds[name]}: `));
      assert.ok(progress.length > 0, `${name}: progress lines`);
      for (const e of progress)
        assert.strictEqual(e.diagnosticEvent!.urn, job.urn, e.diagnosticEvent!.message);
      const createdAt = stream.findIndex((e) => e.resOutputsEvent?.metadata.urn === record.urn);
      const completedAt = stream.findIndex(
        (e) => e.diagnosticEvent?.urn === job.urn && e.diagnosticEvent.message.includes(`: ${DONE(name)}, `),
      );
      assert.ok(
        completedAt >= 0 && completedAt < createdAt,
        `${name}: the record is created after COMPLETED`,
      );
    }
  });

  it("unchanged: preview --expect-no-changes exits 0, --diff shows nothing, one read per restore", async () => {
    let result!: Awaited<ReturnType<Stack["run"]>>;
    const requests = await requestsDuring(async () => {
      result = await stack.run(["preview", "--expect-no-changes", "--diff", ...flag(stack)]);
    });
    assert.doesNotMatch(result.stdout, /^\s*[-+~]/m, result.stdout);
    assert.match(result.stdout, /unchanged/);
    assert.deepStrictEqual(requests, ONE_READ_EACH);
  });

  it("unchanged: preview --save-plan then up --plan; up reads each finished job once and nothing else", async () => {
    const plan = join(home.stateDir, "unchanged.plan.json");
    await stack.run(["preview", "--save-plan", plan, ...flag(stack)]);
    let result!: Awaited<ReturnType<Stack["run"]>>;
    const requests = await requestsDuring(async () => {
      result = await stack.run(["up", "--yes", "--skip-preview", "--plan", plan, ...flag(stack)]);
    });
    assert.match(result.stdout, /Resources:\n\s+\d+ unchanged\n/, result.stdout);
    assert.deepStrictEqual(requests, ONE_READ_EACH, "no target read, no write");
  });

  it("refresh of finished restores changes nothing", async () => {
    await stack.run(["refresh", "--yes", "--expect-no-changes", ...flag(stack)]);
  });

  it("up --target a dependent of a restore not in state is refused, and starts nothing", async () => {
    const other = await newStack("engine-target");
    const urn = `urn:pulumi:engine-target::atlas-restore-e2e-many::pulumi-nodejs:dynamic:Resource::cluster-after`;
    const requests = await requestsDuring(async () => {
      const result = await other.run(["up", "--yes", "--target", urn, ...flag(other)], true);
      assert.notStrictEqual(result.code, 0, result.stdout);
      // Pulumi's own words ("which was was not specified"), about the record: the restore itself.
      assert.match(
        `${result.stdout}${result.stderr}`,
        /depends on '[^']*dynamic\/mongodbatlas:ClusterRestore::cluster' which (was )+not specified in --target list/,
      );
    });
    assert.deepStrictEqual(
      Object.keys(requests).filter((operation) => /^create|^take/.test(operation)),
      [],
      JSON.stringify(requests),
    );
    assert.deepStrictEqual(
      (await other.resources()).filter((r) => r.type.startsWith("pulumi-nodejs:")),
      [],
      "nothing was created",
    );
    await other.remove();
  });

  it("destroy of finished restores calls Atlas for nothing", async () => {
    const requests = await requestsDuring(() => stack.destroy());
    assert.deepStrictEqual(requests, {});
    assert.strictEqual((await stack.resources()).length, 0);
  });
});
