import assert from "node:assert";

import { defaultSeed, manualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { flexSpec } from "../../provider/kinds/flex/spec";
import { readProviderConfig } from "../../provider/pulumi/provider-config";
import { createSession } from "../../provider/pulumi/provider-process";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles } from "../../provider/restore/lifecycle";
import { beliefFromRange } from "../../provider/waiting/belief";
import type { Clock } from "../../provider/waiting/clock";
import type { Forecast } from "../../provider/waiting/forecast";
import { planFor, unknownLengthSchedule } from "../../provider/waiting/schedule";
import { checkTimes } from "../../provider/waiting/simulate";

/**
 * Waiting from history over real HTTP: once a Flex cluster has restored twice, the next restore's
 * starter forecasts its length from the job listing it makes anyway, and its waiter polls on the
 * schedule built around it. Time is the emulator's manual clock, shared with the provider, so the
 * GETs in the emulator's request log fall at exact, load-independent moments.
 */

const S = 1_000;
const MIN = 60 * S;
const LENGTH_MS = 10 * MIN;
const START = Date.UTC(2026, 10, 30, 9);

describe("integration: waiting from the source's earlier Flex restores", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  it("the third restore of a source polls on the forecast, noticing the finish sooner than the default", async () => {
    const seed = defaultSeed();
    const groupId = seed.projects[0]!.id;
    const time = manualClock(START);
    emulator = await startEmulator({ seed, restoreDurationMs: { flexRestore: LENGTH_MS } }, time);
    // The provider sleeps on the emulator's clock; the test moves it to each sleep's end.
    let sleeping: number | undefined;
    const clock: Clock = {
      now: () => time.now(),
      sleep: async (ms) => {
        sleeping = time.now() + ms;
        await time.sleep(ms);
      },
      random: () => 0,
    };
    const account = seed.serviceAccounts[0]!;
    const config = readProviderConfig(() => undefined, {
      MONGODB_ATLAS_BASE_URL: emulator.url,
      MONGODB_ATLAS_CLIENT_ID: account.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
    });
    assert.strictEqual(config.poll.mode, "planned");
    // Each restore is another of the same data into the same target: it names the earlier jobs in
    // `triggers`, as a stop would tell it to (nothing else tells them from its own on a fresh machine).
    const earlier: string[] = [];
    const restore = async (target: string, wait: boolean) => {
      const session = createSession(config, {
        clock,
        journal: memoryJournal(),
        log: { info: () => {}, warn: () => {} },
      });
      const { start, wait: waitFor } = createLifecycles(flexSpec, () => session, clock);
      const raw = {
        __provider: "p",
        groupId,
        name: "prod-orders",
        snapshotId: "6650a1b2c3d4e5f6a7b8cd01",
        targetDeploymentItemName: target,
        waitForTarget: false,
        ...(earlier.length > 0 ? { triggers: [...earlier] } : {}),
      };
      const started = await start.create((await start.check({}, raw)).inputs!);
      earlier.push(started.id);
      const job = { restoreJobId: started.id, forecast: started.outs.forecast ?? undefined };
      if (!wait) return { job, done: Promise.resolve(undefined) };
      return { job, done: waitFor({ ...raw, job }) };
    };

    // Two earlier restores of the source, each left to finish: the history.
    for (const target of ["staging-orders", "staging-orders"]) {
      const { job } = await restore(target, false);
      assert.strictEqual(job.forecast, undefined, "fewer than two earlier jobs predict nothing");
      time.advance(LENGTH_MS + MIN);
    }
    const jobStart = time.now();
    const { job, done } = await restore("staging-orders", true);
    const forecast = job.forecast as Forecast;
    assert.deepStrictEqual(
      {
        expectedMs: Math.round(forecast.expectedMs / 1000),
        basedOn: forecast.basedOn,
        startedAt: forecast.startedAt,
      },
      { expectedMs: LENGTH_MS / 1000, basedOn: 2, startedAt: jobStart },
    );
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      if (sleeping !== undefined) {
        const due = sleeping;
        sleeping = undefined;
        time.set(due);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await done;
    assert.strictEqual(result?.outs.status, "COMPLETED");

    const { requests } = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
      requests: { method: string; path: string; time: string }[];
    };
    const reads = requests
      .filter((r) => r.method === "GET" && r.path.endsWith(`/restoreJobs/${job.restoreJobId}`))
      .map((r) => Date.parse(r.time) - jobStart);
    const times = planFor(beliefFromRange(forecast), 0).times.map(Math.ceil);
    const planned = times.slice(0, times.findIndex((t) => t >= LENGTH_MS) + 1);
    // The waiter's first look at what state holds, then the planned checks.
    assert.deepStrictEqual(reads, [0, ...planned]);
    const delay = planned[planned.length - 1]! - LENGTH_MS;
    const plain = checkTimes(unknownLengthSchedule, LENGTH_MS);
    const plainDelay = plain[plain.length - 1]! - LENGTH_MS;
    assert.ok(delay < plainDelay / 2, `noticed ${delay} ms late; the default ${plainDelay} ms`);
  });
});
