import assert from "node:assert";

import {
  collectionJobStatus,
  percentRestored,
  unrestoredCollections,
} from "../../../../provider/kinds/collection/outputs";

describe("collection restore outputs", () => {
  it("maps every job state onto a status", () => {
    const table: [string, string][] = [
      ["INITIALIZING", "RUNNING"],
      ["IN_PROGRESS", "RUNNING"],
      ["FINALIZING", "RUNNING"],
      ["SUCCESSFUL", "COMPLETED"],
      ["CANCELED", "CANCELLED"],
      ["FAILED", "FAILED"],
    ];
    for (const [state, status] of table) assert.strictEqual(collectionJobStatus({ state }), status, state);
  });

  it("reads a state added later as running until Atlas says the job finished", () => {
    assert.strictEqual(collectionJobStatus({ state: "PAUSED" }), "RUNNING");
    assert.strictEqual(
      collectionJobStatus({ state: "PAUSED", finishedAt: "2026-11-28T12:00:00Z" }),
      "FAILED",
    );
  });

  it("gives a whole percentage, capped at 100, and 0 before the total is known", () => {
    assert.strictEqual(percentRestored(50000, 125000), 40);
    assert.strictEqual(percentRestored(1, 3), 33);
    assert.strictEqual(percentRestored(130, 125), 100, "the total may first be an estimate");
    assert.strictEqual(percentRestored(0, 0), 0);
  });

  it("names every collection that ended unrestored, and none that was restored or still runs", () => {
    const summary = (sourceNamespace: string, state: string) => ({
      sourceNamespace,
      state,
      restoredDocuments: 0,
      totalDocuments: 0,
    });
    const states = ["NOT_FOUND", "ROLLBACK", "INDEX_BUILD_FAILED", "UNSUPPORTED", "NOT_RESTORED", "FAILED"];
    const ended = states.map((s, i) => summary(`db.c${i}`, s));
    const fine = ["SUCCESSFUL", "IN_PROGRESS", "NOT_STARTED", "FINALIZING"].map((s) => summary(`db.${s}`, s));
    assert.deepStrictEqual(
      unrestoredCollections([...fine, ...ended]),
      states.map((s, i) => `db.c${i} (${s})`),
    );
  });
});
