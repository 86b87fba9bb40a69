import assert from "node:assert";
import { inspect } from "node:util";

import * as pulumi from "@pulumi/pulumi";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { AtlasApiError } from "../../provider/atlas/errors";
import {
  getFlexSnapshots,
  getLatestSnapshot,
  getServerlessSnapshots,
  SnapshotLookupError,
} from "../../provider/resources/snapshot-lookups";

/**
 * The snapshot look-ups a program calls, over HTTP against the emulator, credentials from the
 * environment as in a program without stack config. Every failure is one line that says what was
 * looked up and Atlas's status and error code, and is a RunError, which Pulumi prints without a stack.
 */

const seed = defaultSeed();
const [G, SANDBOX] = seed.projects.map((p) => p.id) as [string, string];
const [key, restrictedKey] = seed.apiKeys as [(typeof seed.apiKeys)[0], (typeof seed.apiKeys)[0]];
const VARIABLES = [
  "MONGODB_ATLAS_BASE_URL",
  "MONGODB_ATLAS_PUBLIC_API_KEY",
  "MONGODB_ATLAS_PRIVATE_API_KEY",
  "ATLAS_RESTORE_MAX_ATTEMPTS",
];

describe("integration: snapshot look-ups", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

  const useCredentials = (publicKey: string, privateKey: string, baseUrl = emulator.url) => {
    process.env.MONGODB_ATLAS_BASE_URL = baseUrl;
    process.env.MONGODB_ATLAS_PUBLIC_API_KEY = publicKey;
    process.env.MONGODB_ATLAS_PRIVATE_API_KEY = privateKey;
  };

  /** Runs a look-up that must fail and returns its error after the checks every failure passes. */
  const failure = async (lookUp: () => Promise<unknown>): Promise<SnapshotLookupError> => {
    const error = await lookUp().then(
      () => assert.fail("the look-up succeeded"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SnapshotLookupError, `a SnapshotLookupError: ${String(error)}`);
    assert.ok(pulumi.RunError.isInstance(error), "Pulumi prints it without a stack");
    assert.strictEqual(error.name, "SnapshotLookupError");
    assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
    assert.ok(!/\.ts\b|\bat \w/.test(error.message), `no source path or frame: ${error.message}`);
    assert.ok(!error.message.includes(key.privateKey), "no credential");
    // What Pulumi's handler formats, besides printing the message: no frames, so no frame paths.
    assert.ok(!/\n\s+at /.test(inspect(error, { colors: true })), "no stack frames, the cause's included");
    return error;
  };

  before(async () => {
    emulator = await startEmulator({ sunset: "off" });
    process.env.ATLAS_RESTORE_MAX_ATTEMPTS = "1";
  });
  beforeEach(() => useCredentials(key.publicKey, key.privateKey));
  after(async () => {
    await emulator.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("finds the newest completed snapshot and lists every snapshot", async () => {
    assert.strictEqual(
      (await getLatestSnapshot({ groupId: G, clusterName: "prod-orders" })).id,
      "6650a1b2c3d4e5f6a7b8cb03",
    );
    assert.strictEqual((await getServerlessSnapshots({ groupId: G, clusterName: "prod-orders" })).length, 5);
    assert.strictEqual((await getFlexSnapshots({ groupId: G, clusterName: "prod-orders" })).length, 4);
  });

  it("after the serverless sunset (Atlas as today), the newest snapshot of a migrated instance comes from its Flex cluster (issue 22, item 10)", async () => {
    const today = await startEmulator();
    try {
      useCredentials(key.publicKey, key.privateKey, today.url);
      const flexNewest = (await getLatestSnapshot({ groupId: G, clusterName: "prod-orders", api: "flex" }))
        .id;
      assert.strictEqual(
        (await getLatestSnapshot({ groupId: G, clusterName: "prod-orders" })).id,
        flexNewest,
      );
      const listed = await getServerlessSnapshots({ groupId: G, clusterName: "prod-orders" });
      assert.ok(listed.some((s) => s.id === flexNewest && s.status === "completed"));
    } finally {
      await today.close();
    }
  });

  it("a refused API key: the status and Atlas's error code, the cause kept", async () => {
    useCredentials(key.publicKey, "00000000-0000-4000-8000-00000000dead");
    const error = await failure(() => getLatestSnapshot({ groupId: G, clusterName: "prod-orders" }));
    assert.strictEqual(
      error.message,
      `cannot look up the newest completed snapshot of serverless instance prod-orders in project ${G}: ` +
        "Atlas answered 401 UNAUTHORIZED (You are not authorized for this resource.)",
    );
    assert.ok(error.cause instanceof AtlasApiError);
    assert.strictEqual(error.cause.status, 401);
    assert.strictEqual(error.message.split(": ").slice(1).join(": "), error.reason);
  });

  it("an unknown serverless instance", async () => {
    const error = await failure(() =>
      getServerlessSnapshots({ groupId: G, clusterName: "no-such-instance" }),
    );
    assert.strictEqual(
      error.message,
      `cannot look up the snapshots of serverless instance no-such-instance in project ${G}: ` +
        `Atlas answered 404 SERVERLESS_INSTANCE_NOT_FOUND (No serverless instance with name no-such-instance exists in group ${G}.)`,
    );
  });

  it("an unknown flex cluster", async () => {
    const error = await failure(() =>
      getLatestSnapshot({ groupId: G, clusterName: "no-such-cluster", api: "flex" }),
    );
    assert.strictEqual(
      error.message,
      `cannot look up the newest completed snapshot of flex cluster no-such-cluster in project ${G}: ` +
        `Atlas answered 404 FLEX_CLUSTER_NOT_FOUND (No flex cluster with name no-such-cluster exists in group ${G}.)`,
    );
  });

  it("a project the key may not read", async () => {
    useCredentials(restrictedKey.publicKey, restrictedKey.privateKey);
    const error = await failure(() => getFlexSnapshots({ groupId: SANDBOX, clusterName: "staging-orders" }));
    assert.strictEqual(
      error.message,
      `cannot look up the snapshots of flex cluster staging-orders in project ${SANDBOX}: ` +
        `Atlas answered 403 USER_UNAUTHORIZED (Current user is not authorized to use project: ${SANDBOX})`,
    );
  });

  it("no completed snapshot", async () => {
    const error = await failure(() => getLatestSnapshot({ groupId: SANDBOX, clusterName: "staging-orders" }));
    assert.strictEqual(
      error.message,
      `cannot look up the newest completed snapshot of serverless instance staging-orders in project ${SANDBOX}: there is none`,
    );
  });

  it("no credentials: the settings to use, on one line", async () => {
    delete process.env.MONGODB_ATLAS_PUBLIC_API_KEY;
    delete process.env.MONGODB_ATLAS_PRIVATE_API_KEY;
    const error = await failure(() => getServerlessSnapshots({ groupId: G, clusterName: "prod-orders" }));
    assert.match(
      error.message,
      /: invalid provider configuration: no Atlas credentials: set a service account/,
    );
  });

  it("no answer at all", async () => {
    const stopped = await startEmulator();
    await stopped.close();
    useCredentials(key.publicKey, key.privateKey, stopped.url);
    const error = await failure(() => getServerlessSnapshots({ groupId: G, clusterName: "prod-orders" }));
    assert.match(error.message, /: no answer from Atlas \(ECONNREFUSED\)$/);
  });
});
