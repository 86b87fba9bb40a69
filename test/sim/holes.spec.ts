import assert from "node:assert";

import type { Fault } from "./atlas";
import type { KindName } from "./engine";
import { type Setup, Simulation } from "./simulation";

/**
 * The holes of issue 22, each as a schedule written by hand: it failed before its fix (the
 * simulator's invariants name what went wrong), and passes since.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const KINDS: readonly KindName[] = ["serverless", "flex", "cluster", "collection"];
const POST = /^POST .*(restoreJobs|collectionRestoreJobs|download)$/;
const AFTER_POST = /^after POST .*(restoreJobs|collectionRestoreJobs|download)$/;

function simulation(setup: Partial<Setup> = {}): Simulation {
  return new Simulation({
    seed: 1,
    kind: "serverless",
    latest: false,
    twoStacks: false,
    sunset: "serving",
    atlas: { postFaults: 0, readFaults: 0, maxLagMs: 0, restoreMs: 20 * MINUTE },
    ...setup,
  });
}

async function assertSafe(sim: Simulation): Promise<void> {
  await sim.settle();
  assert.deepStrictEqual(sim.engine.violations, [], `failures:\n  ${sim.failures.join("\n  ")}`);
}

describe("simulator: the holes of issue 22, one schedule each", () => {
  for (const sunset of ["migrated", "gone"] as const) {
    it(`1. a serverless job recorded before the sunset (${sunset}) stays in state: refresh keeps it, up restores nothing`, async () => {
      const sim = simulation();
      assert.strictEqual(await sim.run(0, "up"), "done");
      sim.world.advance(HOUR);
      sim.atlas.sunset = sunset;
      assert.strictEqual(await sim.run(0, "refresh"), "done", sim.failures.join("\n"));
      assert.ok(sim.stacks[0]!.state.has("restore"), "refresh dropped the restore from state");
      assert.strictEqual(await sim.run(0, "up"), "done", sim.failures.join("\n"));
      assert.strictEqual(sim.atlas.jobs.length, 1);
      await assertSafe(sim);
    });
  }

  for (const kind of KINDS) {
    for (const fault of ["nulls", "garbled"] as Fault[]) {
      it(`2. ${kind}: a 2xx answer to the POST that does not decode (${fault}) never leads to a second POST`, async () => {
        const sim = simulation({ kind });
        sim.atlas.inject(POST, fault);
        await sim.run(0, "up");
        // The next up comes once the job has finished: it cannot be taken for a running restore.
        sim.world.advance(3 * HOUR);
        await sim.run(0, "up");
        assert.strictEqual(sim.atlas.jobs.length, 1, sim.failures.join("\n"));
        await assertSafe(sim);
      });
    }
  }

  it("3. changing triggers while the old job runs: the new restore never adopts it, and only its own resource cancels it", async () => {
    const sim = simulation({
      kind: "cluster",
      atlas: { postFaults: 0, readFaults: 0, maxLagMs: 0, restoreMs: 90 * MINUTE },
    });
    // The wait is cut short (a kill while polling), so the old job is still running at the change.
    assert.strictEqual(await sim.run(0, "up", /^before GET .*restoreJobs\/[a-f0-9]{24}$/), "killed");
    sim.change(0, (d) => void (d.inputs = { ...d.inputs, triggers: ["2"] }));
    await sim.run(0, "up");
    await assertSafe(sim);
  });

  it("3. `up --replace` while the old job runs: the same", async () => {
    const sim = simulation({
      kind: "cluster",
      atlas: { postFaults: 0, readFaults: 0, maxLagMs: 0, restoreMs: 90 * MINUTE },
    });
    assert.strictEqual(await sim.run(0, "up", /^before GET .*restoreJobs\/[a-f0-9]{24}$/), "killed");
    sim.change(0, (d) => void (d.replacing = true));
    await sim.run(0, "up");
    await assertSafe(sim);
  });

  it("3. a resource registered without an owner (state written before owners): new triggers restore again, without a stop", async () => {
    const sim = simulation({ kind: "flex", ownerless: true });
    assert.strictEqual(await sim.run(0, "up"), "done");
    sim.change(0, (d) => void (d.inputs = { ...d.inputs, triggers: ["2"] }));
    assert.strictEqual(await sim.run(0, "up"), "done", sim.failures.join("\n"));
    assert.strictEqual(sim.atlas.jobs.length, 2);
    await assertSafe(sim);
  });

  for (const kind of KINDS) {
    it(`4. ${kind}: a newer snapshot between a killed run and its rerun does not start a second restore`, async () => {
      const sim = simulation({ kind, latest: true });
      assert.strictEqual(await sim.run(0, "up", AFTER_POST), "killed");
      sim.atlas.addSnapshot(
        kind === "serverless" ? "prod-orders" : kind === "flex" ? "prod-flex" : "prod-cluster",
      );
      sim.world.advance(MINUTE);
      await sim.run(0, "up");
      await assertSafe(sim);
    });
  }

  for (const kind of ["flex", "collection"] as const) {
    it(`5. ${kind}: a machine clock minutes ahead of Atlas still recognises its own job after an unclear POST`, async () => {
      const sim = simulation({ kind });
      sim.moveTo(0, sim.machine(5 * MINUTE));
      sim.atlas.inject(POST, "reset-after");
      await sim.run(0, "up");
      await assertSafe(sim);
    });
  }

  for (const kind of KINDS) {
    it(`6. ${kind}: a rerun right after a kill waits out the listing's lag before it sends the POST again`, async () => {
      const sim = simulation({
        kind,
        atlas: { postFaults: 0, readFaults: 0, minLagMs: 4_500, maxLagMs: 4_900, restoreMs: 20 * MINUTE },
      });
      assert.strictEqual(await sim.run(0, "up", AFTER_POST), "killed");
      await sim.run(0, "up");
      await assertSafe(sim);
    });
  }

  it("8. two stacks restoring the same data into one target, on one machine: neither adopts the other's job", async () => {
    const sim = simulation({ kind: "flex", twoStacks: true, sharedMachine: true });
    assert.strictEqual(await sim.run(0, "up", /^checkpoint$/), "killed");
    await sim.run(1, "up");
    await sim.run(0, "up");
    await assertSafe(sim);
  });

  for (const kind of KINDS) {
    for (const [when, ms] of [
      ["still running", 30_000],
      ["finished", 3 * HOUR],
    ] as const) {
      it(`fresh runner, ${kind}: a kill before the checkpoint, the job ${when} at the retry: no second restore in silence`, async () => {
        const sim = simulation({ kind });
        assert.strictEqual(await sim.run(0, "up", /^checkpoint$/), "killed");
        sim.moveTo(0, sim.machine(0));
        sim.world.advance(ms);
        await sim.run(0, "up");
        assert.strictEqual(sim.atlas.jobs.length, 1, sim.failures.join("\n"));
        await assertSafe(sim);
      });
    }
  }
});
