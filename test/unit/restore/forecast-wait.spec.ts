import assert from "node:assert";

import type { CollectionRestoreJob } from "../../../provider/atlas/collection-wire";
import type { FlexRestoreJob } from "../../../provider/atlas/wire";
import { collectionSpec } from "../../../provider/kinds/collection/spec";
import { flexSpec } from "../../../provider/kinds/flex/spec";
import { memoryJournal } from "../../../provider/restore/journal";
import { createLifecycles } from "../../../provider/restore/lifecycle";
import type { RestoreLifecycles, Session } from "../../../provider/restore/types";
import { beliefFromRange } from "../../../provider/waiting/belief";
import { type Forecast, forecastFrom } from "../../../provider/waiting/forecast";
import { planFor, unknownLengthSchedule } from "../../../provider/waiting/schedule";
import { checkTimes } from "../../../provider/waiting/simulate";
import { fakeAtlasClient, fakeClock } from "../../helpers/fakes";

/**
 * History-based waiting as the lifecycle wires it, in simulated time: the starter turns the source's
 * earlier jobs (from the listing it makes anyway) into a forecast, and the waiter polls on the
 * schedule built around it, counted from the job's start.
 */

const GROUP = "0123456789abcdef01234567";
const SNAPSHOT = "bbbbbbbbbbbbbbbbbbbbbbbb";
const NEW_JOB = "65a1b2c3d4e5f6a7b8c9d0e1";
const S = 1_000;
const MIN = 60 * S;
const START = Date.UTC(2026, 10, 28, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/** The checks a wait begun `fromMs` after the job's start plans around `forecast`, up to `lengthMs`. */
function plannedReads(forecast: Forecast, fromMs: number, lengthMs: number): number[] {
  const times = planFor(beliefFromRange(forecast), fromMs).times;
  return times.slice(0, times.findIndex((t) => t >= lengthMs) + 1).map(Math.ceil);
}

/** A session over `client`, on the planned schedule, with a fake clock that sleeps move. */
function sessionOver(clock: ReturnType<typeof fakeClock>, client: Session["client"]): Session {
  return {
    client,
    clock,
    log: { info: () => {}, warn: () => {} },
    journal: memoryJournal(),
    poll: { minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" },
  };
}

/** Runs a restore's starter, then its waiter with the starter's job, as the engine does. */
async function startThenWait(lifecycles: RestoreLifecycles, raw: Record<string, unknown>) {
  const checked = await lifecycles.start.check({}, { ...raw, __provider: "p", resourceName: "r" });
  assert.deepStrictEqual(checked.failures, []);
  const started = await lifecycles.start.create(checked.inputs!);
  const outs = started.outs as Record<string, unknown>;
  const job = Object.fromEntries(
    ["restoreJobId", "api", "snapshotId", "snapshotSource", "forecast"]
      .filter((key) => outs[key] !== undefined && outs[key] !== null)
      .map((key) => [key, outs[key]]),
  );
  return {
    forecast: (outs.forecast ?? undefined) as Forecast | undefined,
    inputs: { ...checked.inputs!, job },
    job,
  };
}

/**
 * A flex source whose earlier restores took `earlier` (ms each) and whose new job finishes
 * `lengthMs` after its start; each read of the new job is recorded (ms since the start).
 */
function flexClient(
  clock: ReturnType<typeof fakeClock>,
  earlier: readonly number[],
  lengthMs: number,
  reads: number[],
) {
  const past: FlexRestoreJob[] = earlier.map((ms, i) => ({
    id: `${String(i).padStart(2, "0")}a1b2c3d4e5f6a7b8c9d0e1`,
    status: "COMPLETED",
    deliveryType: "RESTORE",
    snapshotId: SNAPSHOT,
    targetDeploymentItemName: `old-${i}`,
    restoreScheduledDate: iso(START - (i + 1) * 10 * 3600 * S),
    restoreFinishedDate: iso(START - (i + 1) * 10 * 3600 * S + ms),
  }));
  const job = (): FlexRestoreJob => {
    const done = clock.now() >= START + lengthMs;
    return {
      id: NEW_JOB,
      deliveryType: "RESTORE",
      snapshotId: SNAPSHOT,
      targetDeploymentItemName: "staging",
      restoreScheduledDate: iso(START),
      status: done ? "COMPLETED" : "RUNNING",
      ...(done ? { restoreFinishedDate: iso(clock.now()) } : {}),
    };
  };
  return fakeAtlasClient({
    listFlexRestoreJobs: async () => past,
    createFlexRestoreJob: async () => job(),
    getFlexRestoreJob: async () => {
      reads.push(clock.now() - START);
      return job();
    },
  });
}

/** The flex lifecycles over {@link flexClient}, with its clock and the reads it records. */
function flexRestore(earlier: readonly number[], lengthMs: number) {
  const clock = fakeClock(START, 0);
  const reads: number[] = [];
  const client = flexClient(clock, earlier, lengthMs, reads);
  return { clock, reads, lifecycles: createLifecycles(flexSpec, () => sessionOver(clock, client), clock) };
}

const flexRaw = {
  groupId: GROUP,
  name: "prod-orders",
  snapshotId: SNAPSHOT,
  targetDeploymentItemName: "staging",
  waitForTarget: false,
};

describe("waiting from history (simulated time)", () => {
  const cases: { label: string; earlier: number[]; lengthMs: number }[] = [
    {
      label: "three 10 min jobs, this one 10 min",
      earlier: [10 * MIN, 10 * MIN, 10 * MIN],
      lengthMs: 10 * MIN,
    },
    {
      label: "jobs of 28 to 34 min, this one 31 min",
      earlier: [28 * MIN, 34 * MIN, 30 * MIN],
      lengthMs: 31 * MIN,
    },
    { label: "two 2 h jobs, this one 2 h 5 min", earlier: [120 * MIN, 121 * MIN], lengthMs: 125 * MIN },
  ];
  for (const { label, earlier, lengthMs } of cases) {
    it(`a Flex restore polls on the forecast's schedule from the job's start: ${label}`, async () => {
      const { reads, lifecycles } = flexRestore(earlier, lengthMs);
      const { forecast, inputs } = await startThenWait(lifecycles, flexRaw);
      const result = await lifecycles.wait(inputs);
      const expected = forecastFrom(
        earlier.map((ms) => ({ startedAt: 0, finishedAt: ms })),
        START,
        START,
      );
      assert.deepStrictEqual(forecast, expected);
      assert.strictEqual(result.outs.status, "COMPLETED");
      // The waiter's first look (what state holds may be old), then the planned checks.
      const planned = plannedReads(expected!, 0, lengthMs);
      assert.deepStrictEqual(reads, [0, ...planned]);
      const plain = checkTimes(unknownLengthSchedule, lengthMs);
      const delay = (times: number[]) => times[times.length - 1]! - lengthMs;
      assert.ok(delay(planned) < delay(plain), `${delay(planned)} ms against ${delay(plain)} ms`);
    });
  }

  const plainCases: { label: string; earlier: number[] }[] = [
    { label: "no earlier job", earlier: [] },
    { label: "one earlier job (could be an outlier)", earlier: [10 * MIN] },
  ];
  for (const { label, earlier } of plainCases) {
    it(`without a usable history a Flex restore waits as for an unknown length: ${label}`, async () => {
      const { reads, lifecycles } = flexRestore(earlier, 10 * MIN);
      const { forecast, inputs } = await startThenWait(lifecycles, flexRaw);
      assert.strictEqual(forecast, undefined);
      await lifecycles.wait(inputs);
      assert.deepStrictEqual(reads, [0, ...checkTimes(unknownLengthSchedule, 10 * MIN)]);
    });
  }

  it("a wait resumed by a later up keeps the plan counted from the job's start", async () => {
    const earlier = [20 * MIN, 20 * MIN, 20 * MIN];
    const lengthMs = 20 * MIN;
    const { clock, reads, lifecycles } = flexRestore(earlier, lengthMs);
    const { inputs: waiterInputs, job } = await startThenWait(lifecycles, {
      ...flexRaw,
      waitTimeoutSeconds: 300,
    });
    const { wait } = lifecycles;
    // The first wait gives up after 5 minutes; state still holds the job.
    const first = await wait(waiterInputs);
    assert.match(first.failure ?? "", /still running after 300 s/);
    clock.advance(14 * MIN - (clock.now() - START));
    const resumed = reads.length;
    // The next `up` waits again, for the same job, with the same forecast.
    const result = await wait({ ...waiterInputs, waitTimeoutSeconds: 3600 });
    assert.strictEqual(result.outs.status, "COMPLETED");
    // The resumed wait plans from where the job is, 14 minutes after its start.
    const planned = plannedReads(job.forecast as Forecast, 14 * MIN, lengthMs);
    assert.deepStrictEqual(reads.slice(resumed), [14 * MIN, ...planned]);
  });

  it("a collection restore's forecast scales earlier lengths by their documents", async () => {
    const past = (i: number, ms: number, documents: number): CollectionRestoreJob => ({
      id: `${String(i).padStart(2, "0")}a1b2c3d4e5f6a7b8c9d0e1`,
      state: "SUCCESSFUL",
      createdAt: iso(START - (i + 1) * 3600 * S),
      finishedAt: iso(START - (i + 1) * 3600 * S + ms),
      totalDocuments: documents,
      targetClusterName: "elsewhere",
      targetGroupId: GROUP,
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
    });
    const history = [past(0, 10 * MIN, 1_000_000), past(1, 20 * MIN, 2_000_000)];
    const clock = fakeClock(START, 0);
    const job = (): CollectionRestoreJob => ({
      id: NEW_JOB,
      state: clock.now() >= START + 40 * MIN ? "SUCCESSFUL" : "IN_PROGRESS",
      createdAt: iso(START),
      totalDocuments: 4_000_000,
      targetClusterName: "target",
      targetGroupId: GROUP,
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
      snapshotId: SNAPSHOT,
      ...(clock.now() >= START + 40 * MIN ? { finishedAt: iso(clock.now()) } : {}),
    });
    const reads: number[] = [];
    const client = fakeAtlasClient({
      listCollectionRestoreJobs: async () => history,
      createCollectionRestoreJob: async () => job(),
      getCollectionRestoreJob: async () => {
        reads.push(clock.now() - START);
        return job();
      },
      listCollectionRestoreStates: async () => [],
    });
    const lifecycles = createLifecycles(collectionSpec, () => sessionOver(clock, client), clock);
    const { forecast, inputs } = await startThenWait(lifecycles, {
      groupId: GROUP,
      clusterName: "prod",
      snapshotId: SNAPSHOT,
      targetClusterName: "target",
      collections: [{ sourceNamespace: "shop.orders" }],
      waitForTarget: false,
    });
    // 10 min for 1 M documents and 20 min for 2 M are both 40 min for this job's 4 M.
    assert.deepStrictEqual(
      { expectedMs: forecast!.expectedMs, basedOn: forecast!.basedOn, startedAt: forecast!.startedAt },
      { expectedMs: 40 * MIN, basedOn: 2, startedAt: START },
    );
    const result = await lifecycles.wait(inputs);
    assert.strictEqual(result.outs.status, "COMPLETED");
    assert.deepStrictEqual(reads, [0, ...plannedReads(forecast!, 0, 40 * MIN)]);
  });
});
