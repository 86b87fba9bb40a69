import assert from "node:assert";
import { EventEmitter } from "node:events";

import { type EngineWatchProbes, watchEngine } from "../../../provider/pulumi/engine-watch";

/** Probes whose answers the test sets, and a timer the test ticks by hand. */
function probes(overrides: Partial<EngineWatchProbes> = {}) {
  let tick: () => void = () => {};
  const state = { ppid: 10, alive: new Set([10, 5]), engine: "up" as "up" | "refused" | "unknown" };
  const stdout = new EventEmitter();
  const p: EngineWatchProbes = {
    ancestors: [10, 5],
    ppid: () => state.ppid,
    alive: (pid) => state.alive.has(pid),
    engine: async () => state.engine,
    streams: [stdout],
    every: (_ms, run) => ((tick = run), { stop: () => (tick = () => {}) }),
    ...overrides,
  };
  return { p, state, stdout, tick: () => tick() };
}

describe("engine watch", () => {
  it("stays quiet while the engine lives", async () => {
    const t = probes();
    const reasons: string[] = [];
    watchEngine(t.p, (r) => reasons.push(r));
    for (let i = 0; i < 8; i++) t.tick();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(reasons, []);
  });

  it("notices a broken output stream (EPIPE) once, and stops looking", () => {
    const t = probes();
    const reasons: string[] = [];
    watchEngine(t.p, (r) => reasons.push(r));
    t.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    t.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    t.state.ppid = 1;
    t.tick();
    assert.deepStrictEqual(reasons, ["output stream failed: EPIPE"]);
  });

  it("notices the engine (the grandparent, behind the plugin's shell) exit", () => {
    const t = probes();
    const reasons: string[] = [];
    watchEngine(t.p, (r) => reasons.push(r));
    t.state.alive.delete(5);
    t.tick();
    assert.deepStrictEqual(reasons, ["ancestor process exited: 5"]);
  });

  it("looks at once when asked (before an Atlas call), between two periodic looks", () => {
    const t = probes();
    const reasons: string[] = [];
    const watch = watchEngine(t.p, (r) => reasons.push(r));
    assert.strictEqual(watch.checkNow(), true);
    t.state.alive.delete(5);
    assert.strictEqual(watch.checkNow(), false);
    assert.deepStrictEqual(reasons, ["ancestor process exited: 5"]);
  });

  it("notices being reparented", () => {
    const t = probes();
    const reasons: string[] = [];
    watchEngine(t.p, (r) => reasons.push(r));
    t.state.ppid = 1;
    t.tick();
    assert.deepStrictEqual(reasons, ["parent process changed"]);
  });

  it("notices the engine's address refusing connections", async () => {
    const t = probes();
    const reasons: string[] = [];
    watchEngine(t.p, (r) => reasons.push(r));
    t.state.engine = "refused";
    t.tick();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(reasons, ["engine connection refused"]);
  });
});
