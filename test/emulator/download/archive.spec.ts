import assert from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

import { downloadArchive, downloadPath, tar } from "../../../emulator/download/archive";
import type { StoredJob } from "../../../emulator/state/restore-jobs";

const job: StoredJob = {
  id: "aaaaaaaaaaaaaaaaaaaaaaaa",
  api: "serverless",
  groupId: "6650a1b2c3d4e5f6a7b8c9d0",
  clusterName: "prod-orders",
  snapshotId: "6650a1b2c3d4e5f6a7b8cb03",
  snapshotCreatedAt: "2025-11-04T02:00:00Z",
  deliveryType: "download",
  createdAt: 0,
  durationMs: 100,
  downloadTtlMs: 100,
  fails: false,
};

describe("emulator download links", () => {
  it("serve a gzipped tar once the job completed, until the link expires", () => {
    const path = downloadPath(job);
    assert.strictEqual(path, "/download/aaaaaaaaaaaaaaaaaaaaaaaa/prod-orders.tar.gz");
    assert.deepStrictEqual(downloadArchive([job], path, 50), { refusal: "not-ready" });
    assert.deepStrictEqual(downloadArchive([job], path, 200), { refusal: "expired" });
    assert.deepStrictEqual(downloadArchive([job], "/download/x/y.tar.gz", 150), { refusal: "not-found" });
    const served = downloadArchive([job], path, 150);
    assert.ok("archive" in served);
    const archive = gunzipSync(served.archive);
    assert.strictEqual(
      archive.subarray(0, 30).toString("ascii").replace(/\0+$/, ""),
      "prod-orders/restore-info.json",
    );
    assert.ok(archive.toString("utf8").includes('"snapshotId": "6650a1b2c3d4e5f6a7b8cb03"'));
  });

  it("writes ustar headers with a valid checksum and 512-byte blocks", () => {
    const archive = tar([{ name: "a.txt", content: "hello" }], 0);
    assert.strictEqual(archive.length, 512 + 512 + 1024);
    const header = Buffer.from(archive.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString("ascii"), 8);
    header.fill(" ", 148, 156);
    assert.strictEqual(
      stored,
      header.reduce((sum, byte) => sum + byte, 0),
    );
    assert.strictEqual(header.subarray(257, 262).toString("ascii"), "ustar");
  });

  it("keeps names longer than a ustar header in pax headers, and binary contents byte for byte", () => {
    const long = `${"d".repeat(60)}/${"c".repeat(80)}.metadata.json`;
    const dir = mkdtempSync(join(tmpdir(), "emulator-tar-"));
    try {
      writeFileSync(
        join(dir, "a.tar"),
        tar(
          [
            { name: long, content: Buffer.from([0, 1, 255]) },
            { name: "short.txt", content: "x" },
          ],
          0,
        ),
      );
      assert.deepStrictEqual(
        execFileSync("tar", ["-tf", "a.tar"], { cwd: dir, encoding: "utf8" }).split("\n"),
        [long, "short.txt", ""],
      );
      execFileSync("tar", ["-xf", "a.tar"], { cwd: dir });
      assert.deepStrictEqual([...readFileSync(join(dir, long))], [0, 1, 255]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
