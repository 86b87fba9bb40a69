import assert from "node:assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator } from "../../../emulator";
import { manualClock } from "../../../emulator/clock";
import {
  AtlasTestClient,
  automatedRestore,
  G,
  group,
  startTestEmulator,
  TestAdmin,
  type TestEmulator,
} from "../helpers";

const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");

describe("emulator state file", () => {
  let dir: string;
  let stateFile: string;
  let t: TestEmulator | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
    stateFile = join(dir, "state.json");
  });
  afterEach(async () => {
    await t?.emulator.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("survives a restart mid-restore: same job, further along, token still valid", async () => {
    const clock = manualClock(Date.parse("2026-01-10T12:00:00Z"));
    t = await startTestEmulator({ stateFile, restoreDurationMs: 1000 }, clock);
    const created = (await t.atlas.post(JOBS, automatedRestore())).body as { id: string };
    clock.advance(400);
    await t.emulator.close();
    assert.ok(existsSync(stateFile));
    assert.deepStrictEqual(readdirSync(dir), ["state.json"], "no temporary file is left behind");

    const restarted = await startEmulator({ stateFile, restoreDurationMs: 1000 }, clock);
    try {
      const atlas = new AtlasTestClient(restarted.url, { kind: "bearer", token: t.token });
      const view = async () => (await atlas.get(`${JOBS}/${created.id}`)).body as { finishedAt?: string };
      assert.strictEqual((await view()).finishedAt, undefined, "still running after the restart");
      clock.advance(600);
      assert.ok((await view()).finishedAt, "finished on time");
      const jobs = await new TestAdmin(restarted.url).jobs();
      assert.deepStrictEqual(
        jobs.map((j) => j.id),
        [created.id],
      );
    } finally {
      await restarted.close();
    }
  });

  it("never stores a usable token or a seed secret", async () => {
    t = await startTestEmulator({ stateFile });
    await t.atlas.post(JOBS, automatedRestore());
    const text = readFileSync(stateFile, "utf8");
    assert.ok(!text.includes(t.token));
    assert.ok(!text.includes("emulatorSecret"));
  });

  it("persists a reset", async () => {
    t = await startTestEmulator({ stateFile });
    await t.atlas.post(JOBS, automatedRestore());
    await t.admin.call("POST", "/reset");
    assert.deepStrictEqual((JSON.parse(readFileSync(stateFile, "utf8")) as { jobs: unknown[] }).jobs, []);
  });

  it("refuses to start on a file that is not a state file, naming it", async () => {
    writeFileSync(stateFile, JSON.stringify({ hello: "world" }));
    await assert.rejects(startEmulator({ stateFile }), (e: Error) => e.message.endsWith(`: ${stateFile}`));
  });
});
