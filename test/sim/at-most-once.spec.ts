import fc from "fast-check";

import type { KindName } from "./engine";
import { commands, setups } from "./schedules";
import { Simulation } from "./simulation";

/**
 * At most one restore per instance, explored by machine: fast-check generates schedules (a world, then
 * `up`s killed at any await point and retried on the same or a fresh machine, seconds or a day later,
 * `triggers` changes, replaces, refreshes, destroys, a newer snapshot, the serverless sunset, clock
 * skew, two stacks on one target) and runs each against the real lifecycles over the simulated Atlas
 * and engine. Seeded: `SIM_SEED` and `SIM_RUNS` choose them; a failure prints the command that replays
 * it (`SIM_PATH` then replays only the shrunk schedule).
 */

const KINDS: readonly KindName[] = ["serverless", "flex", "cluster", "collection"];
const SEED = Number(process.env.SIM_SEED ?? 22);
const RUNS = Number(process.env.SIM_RUNS ?? 10_000);
const PATH = process.env.SIM_PATH;
const REPLAY = process.env.SIM_REPLAY;

describe("simulator: at most one restore per instance, over generated schedules", function () {
  // Each schedule runs in virtual time; the bound only guards against a schedule that never ends.
  this.timeout(0);

  it(`holds over ${RUNS} schedules of the four kinds (seed ${SEED})`, async () => {
    const property = fc.asyncProperty(setups(KINDS), commands(REPLAY), async (setup, cmds) => {
      const sim = new Simulation(setup);
      await fc.asyncModelRun(() => ({ model: {}, real: sim }), cmds);
      await sim.settle();
      if (sim.engine.violations.length > 0) {
        throw new Error(
          `${sim.engine.violations.join("\n")}\nfailures: ${sim.failures.join("\n  ")}\nrequests: ${sim.atlas.requests.length}`,
        );
      }
    });
    try {
      await fc.assert(property, { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}) });
    } catch (error) {
      const cause = (error as Error).cause;
      const message = `${(error as Error).message}${cause instanceof Error ? `\n\n${cause.message}` : ""}`;
      const path = /path: "([^"]*)"/.exec(message)?.[1];
      const replay = /replayPath="([^"]*)"/.exec(message)?.[1];
      const env = [`SIM_SEED=${SEED}`, path && `SIM_PATH=${path}`, replay && `SIM_REPLAY=${replay}`];
      throw new Error(`${message}\n\nreplay: ${env.filter(Boolean).join(" ")} npm run test:sim`, {
        cause: error,
      });
    }
  });
});
