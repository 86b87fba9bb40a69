import assert from "node:assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { parseArgs } from "../../emulator/cli";

describe("emulator CLI", () => {
  it("parses every flag", () => {
    const options = parseArgs([
      "--port",
      "4010",
      "--time-scale",
      "10",
      "--restore-duration",
      "100",
      "--restore-duration-point-in-time",
      "400",
      "--restore-duration-flex",
      "500",
      "--rate-limit",
      "10/2",
      "--sunset",
      "migrated",
      "--fault",
      "*=503%0.5",
      "--fault",
      "createGroupServerlessBackupRestoreJob=drop-response-after-commit*1",
      "--fault-seed",
      "9",
      "--state-file",
      "/tmp/state.json",
    ]);
    assert.deepStrictEqual(options, {
      port: 4010,
      timeScale: 10,
      restoreDurationMs: {
        automated: 100,
        download: 100,
        pointInTime: 400,
        flexRestore: 500,
        flexDownload: 100,
      },
      rateLimit: { capacity: 10, refillPerSecond: 2 },
      sunset: "migrated",
      faults: [
        { action: "503", probability: 0.5 },
        {
          operationId: "createGroupServerlessBackupRestoreJob",
          action: "drop-response-after-commit",
          count: 1,
        },
      ],
      faultSeed: 9,
      stateFile: "/tmp/state.json",
    });
  });

  it("refuses unknown flags and bad values, naming them", () => {
    assert.throws(() => parseArgs(["--colour", "red"]), /^Error: unknown option: --colour\n/);
    assert.throws(() => parseArgs(["--port"]), /^Error: missing value: --port\n/);
    assert.throws(() => parseArgs(["--port", "http"]), /--port needs a non-negative integer: http/);
    assert.throws(
      () => parseArgs(["--sunset", "soon"]),
      /--sunset must be auto, off, gone or migrated: soon$/,
    );
  });

  it("prints one line with its URL, serves, and exits 0 on SIGTERM", async function () {
    this.timeout(15_000);
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        join(__dirname, "../../emulator/cli.ts"),
        "--restore-duration",
        "10",
      ],
      { cwd: join(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      const m = /^Atlas emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
      assert.ok(m, first);
      const options = (await (await fetch(`${m[1]}/__emulator/options`)).json()) as {
        restoreDurationMs: Record<string, number>;
      };
      assert.strictEqual(options.restoreDurationMs.flexDownload, 10);
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      assert.strictEqual(await exit, 0);
      assert.strictEqual((await lines.next()).done, true, "nothing else on stdout");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
