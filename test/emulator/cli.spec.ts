import assert from "node:assert";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { defaultSeed } from "../../emulator";
import { banner, COMMAND, parseArgs } from "../../emulator/cli";

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
      "--restore-duration-cluster-download",
      "600",
      "--snapshot-duration",
      "700",
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
        clusterAutomated: 100,
        clusterDownload: 600,
        clusterPointInTime: 100,
        clusterCollections: 100,
      },
      snapshotDurationMs: 700,
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

  it("is the package's bin, named in --help, with a node shebang", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    assert.deepStrictEqual(pkg.bin, { [COMMAND]: "dist/emulator/cli.js" });
    assert.ok(
      readFileSync(join(__dirname, "../../emulator/cli.ts"), "utf8").startsWith("#!/usr/bin/env node\n"),
    );
    assert.throws(
      () => parseArgs(["--help"]),
      (error: Error) =>
        error.message.startsWith(`Usage: ${COMMAND} [options]`) &&
        /fail on purpose|ends FAILED/.test(error.message),
    );
  });

  it("prints the stack config that points a stack at it, and the snapshots that fail on purpose", () => {
    const seed = defaultSeed();
    const account = seed.serviceAccounts[0]!;
    assert.deepStrictEqual(banner("http://127.0.0.1:41234", seed), [
      "Atlas emulator listening on http://127.0.0.1:41234",
      "Point a stack at it (the seed's credentials open nothing but this emulator):",
      "  pulumi config set mongodbatlas:baseUrl http://127.0.0.1:41234",
      `  pulumi config set mongodbatlas:clientId ${account.clientId} && pulumi config set --secret mongodbatlas:clientSecret ${account.clientSecret}`,
      "Restores of these snapshots fail on purpose: serverless prod-orders snapshot 6650a1b2c3d4e5f6a7b8cb00, flex analytics-flex snapshot 6650a1b2c3d4e5f6a7b8cd11",
    ]);
    const keysOnly = { ...seed, serviceAccounts: [] };
    assert.match(
      banner("http://x", keysOnly)[3]!,
      /mongodbatlas:publicKey emulpubk && pulumi config set --secret mongodbatlas:privateKey /,
    );
  });

  it("takes the first port of the wire-protocol servers", () => {
    assert.strictEqual(parseArgs(["--wire-port", "27100"]).wirePort, 27100);
    assert.throws(() => parseArgs(["--wire-port", "70000"]), /--wire-port must be at most 65535: 70000/);
  });

  it("prints its URL first, then the banner, serves, and exits 0 on SIGTERM", async function () {
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
      const rest: string[] = [];
      for (let i = 0; i < 4; i++) rest.push((await lines.next()).value as string);
      assert.deepStrictEqual(
        rest,
        banner(m[1]!, defaultSeed()).slice(1),
        "then the stack config and the failing snapshots",
      );
      const wire: string[] = [];
      for (let i = 0; i < 9; i++) wire.push((await lines.next()).value as string);
      assert.match(
        wire[0]!,
        /^Clusters serve the MongoDB wire protocol \(a database user of project \w{24}: -u app -p \S+\):$/,
      );
      for (const line of wire.slice(1))
        assert.match(
          line,
          /^ {2}\w{24}\/[\w-]+ mongodb:\/\/127\.0\.0\.1:\d+\/\?authSource=admin/,
          "then one server per cluster",
        );
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      assert.strictEqual(await exit, 0);
      assert.strictEqual((await lines.next()).done, true, "nothing else on stdout");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
