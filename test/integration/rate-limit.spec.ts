import assert from "node:assert";

import { defaultSeed, type RunningEmulator, type Seed, startEmulator } from "../../emulator";
import { createRateLimiter } from "../../provider/atlas/rate-limiter";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { readProviderConfig } from "../../provider/pulumi/provider-config";
import { createSession } from "../../provider/pulumi/provider-process";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles } from "../../provider/restore/lifecycle";
import { systemClock } from "../../provider/waiting/clock";
import { asTheEngineRunsIt } from "../helpers/engine";

/**
 * The client-side rate limiter against the emulator's token bucket (20 burst, 10/s): parallel
 * restores in one process queue on the client instead of being refused. Only counts are asserted,
 * never times, so the result does not depend on the machine's load.
 */

const RESTORES = 15;

function seedWithTargets(): Seed {
  const seed = defaultSeed();
  const groupId = seed.projects[0]!.id;
  for (let i = 1; i <= RESTORES; i++) {
    seed.serverlessInstances.push({
      id: `6650a1b2c3d4e5f6a7b8${(0xf000 + i).toString(16)}`,
      groupId,
      name: `limit-target-${String(i).padStart(2, "0")}`,
      snapshots: [],
    });
  }
  return seed;
}

type Credentials = "service account" | "API key (digest)";

/** The provider's serverless lifecycles in one process against `emulator`, as the engine runs them. */
function restoresAgainst(emulator: RunningEmulator, seed: Seed, kind: Credentials) {
  const account = seed.serviceAccounts[0]!;
  const key = seed.apiKeys[0]!;
  const credentials =
    kind === "service account"
      ? { MONGODB_ATLAS_CLIENT_ID: account.clientId, MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret }
      : { MONGODB_ATLAS_PUBLIC_API_KEY: key.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: key.privateKey };
  const config = readProviderConfig(() => undefined, {
    MONGODB_ATLAS_BASE_URL: emulator.url,
    ...credentials,
    ATLAS_RESTORE_POLL_MIN_DELAY_MS: "200",
  });
  const session = createSession(config, {
    journal: memoryJournal(),
    log: { info: () => {}, warn: () => {} },
    // Its own limiter: the process's shared one would carry what an earlier test taught it.
    limiter: createRateLimiter(systemClock),
  });
  const serverless = asTheEngineRunsIt(createLifecycles(serverlessSpec, () => session, session.clock));
  return Promise.all(
    Array.from({ length: RESTORES }, async (_, i) => {
      const checked = await serverless.check(
        {},
        {
          __provider: "provider",
          groupId: seed.projects[0]!.id,
          clusterName: "prod-orders",
          deliveryType: "automated",
          targetClusterName: `limit-target-${String(i + 1).padStart(2, "0")}`,
        },
      );
      assert.deepStrictEqual(checked.failures, []);
      return serverless.create(checked.inputs!);
    }),
  );
}

async function apiRequests(emulator: RunningEmulator) {
  const { requests } = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
    requests: { method: string; path: string; status: number }[];
  };
  return requests.filter((r) => r.path.startsWith("/api/atlas/"));
}

describe("integration: client-side rate limiting against the emulator's limit", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());
  const limit = { capacity: 20, refillPerSecond: 10 };

  for (const kind of ["service account", "API key (digest)"] as const) {
    it(`runs ${RESTORES} parallel restores with at most 5 % of requests refused and no create refused: ${kind}`, async () => {
      const seed = seedWithTargets();
      emulator = await startEmulator({ seed, sunset: "off", restoreDurationMs: 500, rateLimit: limit });
      const results = await restoresAgainst(emulator, seed, kind);
      assert.deepStrictEqual(
        results.map((r) => r.outs.status),
        results.map(() => "COMPLETED"),
      );

      const api = await apiRequests(emulator);
      const refused = api.filter((r) => r.status === 429);
      assert.ok(api.length >= RESTORES * 3, `only ${api.length} API requests`);
      assert.ok(refused.length <= 0.05 * api.length, `${refused.length} of ${api.length} requests refused`);
      assert.deepStrictEqual(
        refused.filter((r) => r.method === "POST"),
        [],
      );
    });
  }

  it("refuses nothing when an early answer arrives after later ones (its RateLimit-Remaining is stale)", async () => {
    const seed = seedWithTargets();
    // The first create is counted by the bucket at once but answered only once the other creates have
    // spent the burst: its Remaining then reports tokens long gone. (Listings cannot be held so: the
    // restores of one source share them, so holding one would hold every create.)
    emulator = await startEmulator({
      seed,
      sunset: "off",
      restoreDurationMs: 500,
      rateLimit: limit,
      faults: [
        {
          operationId: "createGroupServerlessBackupRestoreJob",
          action: "hold-response-after-commit",
          skip: 0,
          count: 1,
        },
      ],
    });
    const admin = (path: string, init?: RequestInit) =>
      fetch(`${emulator.url}/__emulator${path}`, init).then(async (r) => {
        assert.strictEqual(r.status, 200, `${path}: ${await r.clone().text()}`);
        return r.json() as Promise<Record<string, unknown>>;
      });
    const restores = restoresAgainst(emulator, seed, "service account");
    const { held } = (await admin("/held?count=1&timeoutMs=30000")) as { held: { id: string }[] };
    try {
      await admin(`/arrivals/createGroupServerlessBackupRestoreJob?count=${RESTORES - 1}&timeoutMs=60000`);
    } finally {
      // Even when the creates never came, the held answer must go, or closing the emulator waits for it.
      await admin(`/held/${held[0]!.id}/release`, { method: "POST", body: "{}" });
    }
    const results = await restores;
    assert.strictEqual(results.length, RESTORES);

    const refused = (await apiRequests(emulator)).filter((r) => r.status === 429);
    assert.deepStrictEqual(
      refused.map((r) => `${r.method} ${r.path}`),
      [],
    );
  });
});
