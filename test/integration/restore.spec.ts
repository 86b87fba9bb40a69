import assert from "node:assert";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { AtlasApiError } from "../../provider/atlas/errors";
import { flexSpec } from "../../provider/kinds/flex/spec";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { readProviderConfig } from "../../provider/pulumi/provider-config";
import { createSession } from "../../provider/pulumi/provider-process";
import { InputNotFoundError } from "../../provider/restore/errors";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle } from "../../provider/restore/types";
import { asTheEngineRunsIt } from "../helpers/engine";

/**
 * The provider's lifecycle over real HTTP against the emulator, without the engine: both APIs, the
 * sunset fallback, and a fallback that must not happen.
 */

const seed = defaultSeed();
const G = seed.projects[0]!.id;

describe("integration: restores over HTTP against the emulator", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let serverless: Lifecycle;
  let flex: Lifecycle;
  const messages: string[] = [];

  const setOptions = (options: Record<string, unknown>) =>
    fetch(`${emulator.url}/__emulator/options`, { method: "PATCH", body: JSON.stringify(options) });
  const checked = async (lifecycle: Lifecycle, raw: Record<string, unknown>) => {
    const result = await lifecycle.check({}, { ...raw, __provider: "provider" });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };

  beforeEach(async () => {
    emulator = await startEmulator({ sunset: "off", restoreDurationMs: 300 });
    const key = seed.apiKeys[0]!;
    const config = readProviderConfig(() => undefined, {
      MONGODB_ATLAS_BASE_URL: emulator.url,
      MONGODB_ATLAS_PUBLIC_API_KEY: key.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: key.privateKey,
      ATLAS_RESTORE_POLL_MIN_DELAY_MS: "100",
    });
    const session = createSession(config, {
      journal: memoryJournal(),
      log: { info: (m) => messages.push(m), warn: (m) => messages.push(`warning: ${m}`) },
    });
    serverless = asTheEngineRunsIt(createLifecycles(serverlessSpec, () => session, session.clock));
    flex = asTheEngineRunsIt(createLifecycles(flexSpec, () => session, session.clock));
    messages.length = 0;
  });
  afterEach(() => emulator.close());

  const automated = {
    groupId: G,
    clusterName: "prod-orders",
    deliveryType: "automated",
    targetClusterName: "staging-orders",
  };

  it("restores a serverless snapshot with API-key digest auth and waits for the target", async () => {
    const { id, outs } = await serverless.create(await checked(serverless, automated));
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.api, "serverless");
    assert.strictEqual(outs.targetReady, true);
    const read = await serverless.read(id, outs);
    assert.strictEqual(read.props.status, "COMPLETED");
  });

  it("restores a flex snapshot", async () => {
    const inputs = await checked(flex, {
      groupId: G,
      name: "prod-orders",
      targetDeploymentItemName: "staging-orders",
    });
    const { outs } = await flex.create(inputs);
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.atlasStatus, "COMPLETED");
  });

  for (const sunset of ["gone", "migrated"]) {
    it(`falls back to the Flex API when the serverless API is ${sunset}`, async () => {
      await setOptions({ sunset });
      const { outs } = await serverless.create(await checked(serverless, automated));
      assert.strictEqual(outs.api, "flex");
      assert.strictEqual(outs.status, "COMPLETED");
      assert.ok(messages.some((m) => m.includes("restoring through the Flex API instead")));
    });
  }

  it("falls back to a Flex download for a download restore", async () => {
    await setOptions({ sunset: "gone" });
    const inputs = await checked(serverless, {
      groupId: G,
      clusterName: "prod-orders",
      deliveryType: "download",
    });
    const { outs } = await serverless.create(inputs);
    assert.strictEqual(outs.api, "flex");
    assert.match((outs.deliveryUrl as string[])[0]!, /^http/);
  });

  it("does not fall back for a missing instance that is no Flex cluster either", async () => {
    await setOptions({ sunset: "migrated" });
    const inputs = await checked(serverless, { ...automated, clusterName: "ghost" });
    const error = await serverless.create(inputs).catch((e: unknown) => e);
    assert.ok(error instanceof InputNotFoundError);
    assert.strictEqual(error.property, "clusterName");
    assert.strictEqual(
      error.message,
      "clusterName names nothing Atlas has (404 SERVERLESS_INSTANCE_NOT_FOUND); check its spelling and project: ghost",
    );
    assert.ok(error.cause instanceof AtlasApiError);
    assert.strictEqual(error.cause.status, 404);
    assert.ok(!messages.some((m) => m.includes("Flex API instead")));
  });

  describe("a target that Atlas does not have is told by the input that names it", () => {
    const refused = async (lifecycle: Lifecycle, raw: Record<string, unknown>) => {
      const error = await lifecycle.create(await checked(lifecycle, raw)).catch((e: unknown) => e);
      assert.ok(error instanceof InputNotFoundError, String(error));
      return error;
    };

    it("serverless: targetClusterName, and no job", async () => {
      const error = await refused(serverless, { ...automated, targetClusterName: "staging-ordrs" });
      assert.strictEqual(
        error.message,
        "targetClusterName names nothing Atlas has (404 SERVERLESS_INSTANCE_NOT_FOUND); check its spelling and project: staging-ordrs",
      );
      const { jobs } = (await fetch(`${emulator.url}/__emulator/jobs`).then((r) => r.json())) as {
        jobs: unknown[];
      };
      assert.deepStrictEqual(jobs, []);
    });

    it("serverless after the sunset (through Flex): targetClusterName", async () => {
      await setOptions({ sunset: "migrated" });
      const error = await refused(serverless, { ...automated, targetClusterName: "staging-ordrs" });
      assert.strictEqual(error.property, "targetClusterName");
      assert.strictEqual(error.errorCode, "FLEX_CLUSTER_NOT_FOUND");
    });

    it("flex: targetDeploymentItemName", async () => {
      const error = await refused(flex, {
        groupId: G,
        name: "prod-orders",
        targetDeploymentItemName: "staging-ordrs",
      });
      assert.strictEqual(error.property, "targetDeploymentItemName");
    });
  });

  it("does not fall back when apiFallback is none", async () => {
    await setOptions({ sunset: "gone" });
    const inputs = await checked(serverless, { ...automated, apiFallback: "none" });
    await assert.rejects(serverless.create(inputs), { name: "AtlasApiError", status: 410 });
  });

  it("refuses a point-in-time restore after the sunset with a clear error", async () => {
    await setOptions({ sunset: "gone" });
    const inputs = await checked(serverless, {
      ...automated,
      deliveryType: "pointInTime",
      pointInTimeUTCSeconds: Math.floor(Date.parse("2025-11-04T12:00:00Z") / 1000),
    });
    await assert.rejects(
      serverless.create(inputs),
      /pointInTime restores have no Flex equivalent: prod-orders/,
    );
  });

  it("adopts an existing job instead of starting one", async () => {
    const first = await serverless.create(await checked(serverless, automated));
    const adopted = await serverless.create(
      await checked(serverless, { ...automated, existingRestoreJobId: first.id }),
    );
    assert.strictEqual(adopted.id, first.id);
    const jobs = (await (await fetch(`${emulator.url}/__emulator/jobs`)).json()) as { jobs: unknown[] };
    assert.strictEqual(jobs.jobs.length, 1);
  });
});
