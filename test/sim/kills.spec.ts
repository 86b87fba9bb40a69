import assert from "node:assert";

import type { KindName } from "./engine";
import { type Setup, Simulation } from "./simulation";

/**
 * A kill at every await point, systematically: for each kind, the await points of a clean `up` are
 * counted, then `up` is killed at each of them in turn and recovered on the same machine or a fresh
 * one, at once or once the job has finished; the same for the `up` that replaces a restore whose job
 * still runs (new `triggers`). Each recovery then runs to its end (see {@link Simulation.settle}) and
 * every invariant must hold.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const KINDS: readonly KindName[] = ["serverless", "flex", "cluster", "collection"];
const RECOVERIES = [
  { machine: "same", afterMs: 0 },
  { machine: "same", afterMs: 3 * HOUR },
  { machine: "fresh", afterMs: 30_000 },
  { machine: "fresh", afterMs: 3 * HOUR },
] as const;

function setup(kind: KindName, latest: boolean): Setup {
  return {
    seed: 7,
    kind,
    latest,
    twoStacks: false,
    sunset: "serving",
    atlas: { postFaults: 0, readFaults: 0, maxLagMs: 3_000, restoreMs: 40 * MINUTE },
  };
}

/** How many await points `prepare` then one `up` pass, in a world without kills. */
async function pointsOf(s: Setup, prepare: (sim: Simulation) => Promise<void>): Promise<number> {
  const sim = new Simulation(s);
  await prepare(sim);
  let points = 0;
  const world = sim.world as unknown as { point(where: string): Promise<void> };
  const point = world.point.bind(sim.world);
  world.point = (where) => (points++, point(where));
  assert.strictEqual(await sim.run(0, "up"), "done", sim.failures.join("\n"));
  return points;
}

/** Kills the `up` after `prepare` at each point, recovers as asked, and checks every invariant. */
async function killEverywhere(s: Setup, prepare: (sim: Simulation) => Promise<void>): Promise<number> {
  const points = await pointsOf(s, prepare);
  let runs = 0;
  for (let at = 1; at <= points; at++) {
    for (const recovery of RECOVERIES) {
      const sim = new Simulation(s);
      await prepare(sim);
      assert.strictEqual(await sim.run(0, "up", at), "killed");
      if (recovery.machine === "fresh") sim.moveTo(0, sim.machine(0));
      sim.world.advance(recovery.afterMs);
      await sim.run(0, "up");
      await sim.settle();
      const where = `kill at point ${at} of ${points}, recovered on the ${recovery.machine} machine after ${recovery.afterMs / 1000} s`;
      assert.deepStrictEqual(
        sim.engine.violations,
        [],
        `${where}\nfailures:\n  ${sim.failures.join("\n  ")}`,
      );
      runs++;
    }
  }
  return runs;
}

/** A first restore whose job still runs, then new `triggers`: the `up` that replaces it. */
async function runningThenNewTriggers(sim: Simulation): Promise<void> {
  // The first wait is cut short by a kill while polling, as a CI job's timeout would.
  assert.strictEqual(
    await sim.run(0, "up", /^before GET .*(restoreJobs|collectionRestoreJobs)\/[a-f0-9]{24}$/),
    "killed",
  );
  sim.change(0, (d) => void (d.inputs = { ...d.inputs, triggers: ["2"] }));
}

describe("simulator: a kill at every await point", function () {
  this.timeout(0);

  for (const kind of KINDS) {
    for (const latest of [true, false]) {
      const snapshot = latest ? "the newest snapshot" : "a given snapshot";
      it(`${kind}, ${snapshot}: the first up`, async () => {
        const runs = await killEverywhere(setup(kind, latest), async () => {});
        assert.ok(runs > 20);
      });
    }
    it(`${kind}: the up that replaces a restore whose job still runs (new triggers)`, async () => {
      const runs = await killEverywhere(setup(kind, true), runningThenNewTriggers);
      assert.ok(runs > 20);
    });
  }
});
