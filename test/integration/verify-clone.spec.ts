import assert from "node:assert";

import { MongoClient } from "mongodb";

import { defaultSeed, manualClock, type RunningEmulator, startEmulator } from "../../emulator";
import {
  CloneCheckError,
  connectionStringOf,
  readDatabaseCredentials,
  verifyClone,
  type VerifyCloneInputs,
} from "../../provider/verify";

/**
 * A clone check against the emulator: a collection-level restore lands on the emulator's clock, then
 * `verifyClone` reads the target with the official driver through the connection string its cluster
 * GET answers, logging in with a database user taken from (fake) stack config.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const stagingUser = seed.databaseUsers!.find((u) => u.groupId === STAGING)!;
const COLLECTIONS = `/api/atlas/v2/groups/${PRODUCTION}/clusters/prod-cluster/collectionRestoreJobs`;

describe("integration: verifyClone against the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let token: string;
  const clock = manualClock(Date.now());

  const atlas = async (path: string, version: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: `application/vnd.atlas.${version}+json`,
        ...(body === undefined ? {} : { "Content-Type": `application/vnd.atlas.${version}+json` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.status < 300, `${path} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  /** Restores orders.customers (as crm.clients) and inventory.items into staging-cluster; the source's counts. */
  const restore = async (): Promise<Map<string, number>> => {
    const job = await atlas(COLLECTIONS, "2025-03-12", {
      snapshotId: "6650a1b2c3d4e5f6a7b8ce02",
      targetClusterName: "staging-cluster",
      targetGroupId: STAGING,
      writeStrategy: "OVERWRITE_EXISTING",
      indexStrategy: "ALL",
      collections: [
        { sourceNamespace: "orders.customers", targetNamespace: "crm.clients" },
        { sourceNamespace: "inventory.items" },
      ],
    });
    clock.advance(1000);
    const states = (await atlas(`${COLLECTIONS}/${String(job.id)}/collections`, "2025-03-12"))
      .results as Array<Record<string, unknown>>;
    assert.ok(states.every((s) => s.state === "SUCCESSFUL"));
    // What Atlas reports: the source's documents, by the namespace they landed in.
    return new Map(states.map((s) => [s.effectiveTargetNamespace as string, s.totalDocuments as number]));
  };
  const target = async () =>
    connectionStringOf(
      (await atlas(`/api/atlas/v2/groups/${STAGING}/clusters/staging-cluster`, "2024-08-05"))
        .connectionStrings as {
        standard?: string;
      },
    )!;
  // The password comes from stack config, per target (set with --secret), never from inputs.
  const credentials = readDatabaseCredentials(
    (key) =>
      key === "atlasRestore:databaseCredentials"
        ? JSON.stringify({
            [`${STAGING}/staging-cluster`]: {
              username: stagingUser.username,
              password: stagingUser.password,
            },
          })
        : undefined,
    {},
    { groupId: STAGING, clusterName: "staging-cluster" },
  );
  const inputs: VerifyCloneInputs = {
    collections: [
      {
        namespace: "crm.clients",
        documents: { sameAsSource: true },
        query: { filter: { n: { $lte: 10 } }, atLeast: 10 },
      },
      { namespace: "inventory.items", documents: { exactly: 800 } },
    ],
  };

  beforeEach(async () => {
    emulator = await startEmulator({ restoreDurationMs: 1000 }, clock);
    const account = seed.serviceAccounts[0]!;
    const response = await fetch(`${emulator.url}/api/oauth/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  afterEach(() => emulator.close());

  it("passes on a fresh clone, with the source's counts as Atlas reports them", async () => {
    const sourceCounts = await restore();
    assert.deepStrictEqual(
      sourceCounts,
      new Map([
        ["crm.clients", 5000],
        ["inventory.items", 800],
      ]),
    );
    const result = await verifyClone({ connectionString: await target(), credentials, inputs, sourceCounts });
    assert.deepStrictEqual(result, {
      ok: true,
      collections: [
        {
          namespace: "crm.clients",
          expected: "as the source: 5000",
          found: 5000,
          exists: true,
          query: { expectedAtLeast: 10, matching: 10, ok: true },
          ok: true,
        },
        { namespace: "inventory.items", expected: "exactly 800", found: 800, exists: true, ok: true },
      ],
    });
  });

  it("fails with a line naming the collection and the counts once the clone changed", async () => {
    const sourceCounts = await restore();
    const client = new MongoClient(await target(), { auth: credentials });
    try {
      await client
        .db("crm")
        .collection("clients")
        .deleteMany({ n: { $lte: 3 } });
    } finally {
      await client.close();
    }
    const result = await verifyClone({ connectionString: await target(), credentials, inputs, sourceCounts });
    assert.strictEqual(
      result.failure,
      "clone check failed: crm.clients: expected the source's 5000 documents, found 4997, query matched 7 documents, expected at least 10",
    );
  });

  it("refuses a wrong password with a CloneCheckError that does not show it", async () => {
    await assert.rejects(
      verifyClone({
        connectionString: await target(),
        credentials: { username: stagingUser.username, password: "wrong-password" },
        inputs,
        timeoutMs: 30_000,
      }),
      (error: unknown) => {
        assert.ok(error instanceof CloneCheckError);
        assert.strictEqual(error.code, 18);
        assert.match(
          error.message,
          /^cannot connect to the clone: MongoServerError: Authentication failed\.$/,
        );
        return true;
      },
    );
  });
});
