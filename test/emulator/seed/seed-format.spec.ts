import assert from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { defaultSeed, loadSeedFile, parseSeed, SeedError } from "../../../emulator/seed/seed-format";

describe("emulator seed", () => {
  it("ships a valid default seed, fresh on each call", () => {
    const a = defaultSeed();
    a.projects.pop();
    assert.strictEqual(defaultSeed().projects.length, 2);
    assert.ok(defaultSeed().serverlessInstances.some((c) => c.snapshots.some((s) => s.failRestores)));
  });

  it("lists every problem, with its path, and never prints a secret", () => {
    const secret = "TOP-SECRET-VALUE";
    const json = {
      projects: [{ id: "nope", name: "p" }],
      serverlessInstances: [
        {
          id: "6650a1b2c3d4e5f6a7b8ca00",
          groupId: "6650a1b2c3d4e5f6a7b8c9d9",
          name: "-bad",
          snapshots: [{ id: "6650a1b2c3d4e5f6a7b8cb00", createdAt: "yesterday", status: "done" }],
        },
      ],
      flexClusters: [],
      apiKeys: [{ publicKey: "k", privateKey: 42, projects: [] }],
      serviceAccounts: [{ clientId: "c", clientSecret: secret, projects: ["6650a1b2c3d4e5f6a7b8c9d8"] }],
    };
    assert.throws(
      () => parseSeed(json),
      (error: unknown) => {
        assert.ok(error instanceof SeedError);
        assert.ok(!error.message.includes(secret));
        assert.deepStrictEqual(error.problems, [
          "projects[0].id must match ^([a-f0-9]{24})$: nope",
          "serverlessInstances[0].name must match ^[a-zA-Z0-9][a-zA-Z0-9-]*$: -bad",
          "serverlessInstances[0].snapshots[0].status must be one of queued, inProgress, completed, failed",
          "serverlessInstances[0].snapshots[0].createdAt must be an ISO 8601 date or -<n>m|h|d: yesterday",
          "serverlessInstances[0].groupId names an unknown project: 6650a1b2c3d4e5f6a7b8c9d9",
          "apiKeys[0].privateKey must be a non-empty string",
          "serviceAccounts[0].projects[0] names an unknown project: 6650a1b2c3d4e5f6a7b8c9d8",
        ]);
        return true;
      },
    );
  });

  it("reads a seed file, naming the file it cannot read", () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
    try {
      const file = join(dir, "seed.json");
      writeFileSync(file, JSON.stringify(defaultSeed()));
      assert.deepStrictEqual(loadSeedFile(file), defaultSeed());
      writeFileSync(file, "{");
      assert.throws(
        () => loadSeedFile(file),
        (e: Error) => e.message.includes(file),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
