import assert from "node:assert";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import sinon from "sinon";

import {
  earlierChoice,
  fileJournal,
  HELD_ON_MACHINE,
  HELD_TTL_MS,
  intentKey,
  JOURNAL_TTL_MS,
  journalContext,
  memoryJournal,
  namedJobIds,
  ownerKey,
  parseEntry,
  stateHolds,
  unexpired,
} from "../../../provider/restore/journal";

describe("restore journal", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "journal-spec-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const now = Date.UTC(2026, 10, 28, 12);
  const entry = { attemptStartedAt: now, knownJobIds: ["a"], posts: 1, jobId: "b" };

  it("writes, reads and deletes one file per intent", () => {
    const journal = fileJournal(dir);
    journal.put("k", entry);
    assert.deepStrictEqual(journal.get("k"), entry);
    journal.delete("k");
    assert.strictEqual(journal.get("k"), undefined);
    journal.delete("k");
  });

  it("expires entries: an attempt older than the TTL, or from the future, is not used", () => {
    assert.deepStrictEqual(unexpired(entry, now + JOURNAL_TTL_MS), entry);
    assert.strictEqual(unexpired(entry, now + JOURNAL_TTL_MS + 1), undefined);
    // A day later, as in the stale-adoption report.
    assert.strictEqual(unexpired(entry, now + 86_400_000), undefined);
    assert.strictEqual(unexpired(entry, now - 1), undefined);
    assert.strictEqual(unexpired(undefined, now), undefined);
  });

  it("reads a 0.1 entry, dated by its file, as one whose POST may have been sent", () => {
    const journal = fileJournal(dir);
    const file = join(dir, "old.json");
    writeFileSync(file, JSON.stringify({ knownJobIds: ["a"], jobId: "b" }));
    utimesSync(file, new Date(now), new Date(now));
    assert.deepStrictEqual(journal.get("old"), {
      attemptStartedAt: now,
      knownJobIds: ["a"],
      posts: 1,
      jobId: "b",
    });
  });

  it("ignores what it cannot read", () => {
    assert.strictEqual(
      parseEntry("null", () => now),
      undefined,
    );
    assert.strictEqual(
      parseEntry('{"jobId": "x"}', () => now),
      undefined,
    );
    writeFileSync(join(dir, "bad.json"), "{");
    assert.strictEqual(fileJournal(dir).get("bad"), undefined);
  });

  it("keys an intent by its values, whatever their order, and by kind", () => {
    assert.strictEqual(intentKey("k", { a: 1, b: 2 }), intentKey("k", { b: 2, a: 1 }));
    assert.notStrictEqual(intentKey("k", { a: 1 }), intentKey("other", { a: 1 }));
    assert.strictEqual(intentKey("k", { a: undefined }), intentKey("k", { a: null }));
  });

  it("reads the fields of this version and leaves out those of the wrong type", () => {
    const full = {
      ...entry,
      intentKey: "i",
      request: { snapshotId: "s" },
      snapshotId: "s",
      snapshotSource: "latest",
      committed: true,
      heldJobIds: ["h", 3],
      heldAt: now,
    };
    assert.deepStrictEqual(
      parseEntry(JSON.stringify(full), () => 0),
      { ...full, heldJobIds: ["h"] },
    );
    assert.deepStrictEqual(
      parseEntry(
        JSON.stringify({ ...entry, intentKey: 1, request: "x", committed: "yes", heldJobIds: "h" }),
        () => 0,
      ),
      entry,
    );
  });

  it("keys a resource by kind and owner: two stacks restoring the same data never share an entry", () => {
    assert.notStrictEqual(ownerKey("k", "p/a/restore"), ownerKey("k", "p/b/restore"));
    assert.notStrictEqual(ownerKey("k", "p/a/restore"), ownerKey("other", "p/a/restore"));
    assert.strictEqual(ownerKey("k", "p/a/restore"), ownerKey("k", "p/a/restore"));
  });

  it("finds job ids named in triggers", () => {
    assert.deepStrictEqual(
      namedJobIds(["after 6b0ac2403fb64afebede10d4", { x: "6b0ac2403fb64afebede10d5" }]),
      ["6b0ac2403fb64afebede10d4", "6b0ac2403fb64afebede10d5"],
    );
    assert.deepStrictEqual(namedJobIds(["2026-11-28", "6b0ac2403fb64afebede10d4aa"]), []);
    assert.deepStrictEqual(namedJobIds(undefined), []);
  });

  describe("one resource's entry: its attempt and the jobs state held for it", () => {
    const attempt = { attemptStartedAt: now, knownJobIds: ["k"], posts: 1, intentKey: "one" };

    it("hands the attempt only to the intent it was for; another intent's unanswered POST is unsettled", () => {
      const journal = memoryJournal();
      journal.put("r", attempt);
      assert.deepStrictEqual(journalContext(journal, "r", "one", now, undefined).pending, attempt);
      const other = journalContext(journal, "r", "two", now, undefined);
      assert.strictEqual(other.pending, undefined);
      assert.strictEqual(other.unsettled, true);
      journal.put("r", { ...attempt, jobId: "j" });
      assert.strictEqual(journalContext(journal, "r", "two", now, undefined).unsettled, undefined);
      // Written before resources had an owner: keyed by the intent, so it is this intent's.
      journal.put("legacy", { attemptStartedAt: now, knownJobIds: [], posts: 1 });
      assert.ok(journalContext(journal, "legacy", "any", now, undefined).pending);
    });

    it("records the attempt under the intent and keeps the held jobs through remember and forget", () => {
      const journal = memoryJournal();
      stateHolds(journal, "r", "old", now);
      const context = journalContext(journal, "r", "one", now, ["6b0ac2403fb64afebede10d4"]);
      assert.deepStrictEqual(context.held, ["old"]);
      assert.deepStrictEqual(context.past, ["old", "6b0ac2403fb64afebede10d4"]);
      context.remember({ attemptStartedAt: now, knownJobIds: [], posts: 1 });
      assert.deepStrictEqual(journal.get("r"), {
        attemptStartedAt: now,
        knownJobIds: [],
        posts: 1,
        intentKey: "one",
        heldJobIds: ["old"],
        heldAt: now,
      });
      context.forget();
      assert.deepStrictEqual(journal.get("r"), {
        attemptStartedAt: now,
        knownJobIds: [],
        posts: 0,
        heldJobIds: ["old"],
        heldAt: now,
      });
    });

    it("state holding the attempt's job closes the attempt; another intent's attempt is kept", () => {
      const journal = memoryJournal();
      journal.put("r", { ...attempt, jobId: "j1" });
      stateHolds(journal, "r", "j1", now);
      assert.deepStrictEqual(journal.get("r"), {
        attemptStartedAt: now,
        knownJobIds: [],
        posts: 0,
        heldJobIds: ["j1"],
        heldAt: now,
      });
      journal.put("r", { ...attempt, intentKey: "two", heldJobIds: ["j1"], heldAt: now });
      // The replaced resource's job, seen by its diff while the replacement's attempt is in flight.
      stateHolds(journal, "r", "j0", now);
      assert.deepStrictEqual(journal.get("r"), {
        ...attempt,
        intentKey: "two",
        heldJobIds: ["j1", "j0"],
        heldAt: now,
      });
    });

    it("writes only on a change, and forgets held jobs after their TTL", () => {
      const journal = memoryJournal();
      const put = sinon.spy(journal, "put");
      stateHolds(journal, "r", "j1", now);
      sinon.assert.calledTwice(put); // the resource's entry, and the machine's
      stateHolds(journal, "r", "j1", now + 1000);
      stateHolds(journal, "r", undefined, now);
      sinon.assert.calledTwice(put);
      assert.deepStrictEqual(journalContext(journal, "r", "one", now + HELD_TTL_MS, undefined).held, ["j1"]);
      assert.deepStrictEqual(journalContext(journal, "r", "one", now + HELD_TTL_MS + 1, undefined).held, []);
    });

    it("a job held for any resource on this machine is past for every other (a replace whose key changed)", () => {
      const journal = memoryJournal();
      // State written before resources had an owner: keyed by the old intent, which a replace changes.
      stateHolds(journal, "old-intent", "j1", now);
      const replacement = journalContext(journal, "new-intent", "new-intent", now, undefined);
      assert.deepStrictEqual(replacement.held, []);
      assert.deepStrictEqual(replacement.past, ["j1"]);
      assert.deepStrictEqual(journal.get(HELD_ON_MACHINE)!.heldJobIds, ["j1"]);
    });

    it("an attempt whose job state was seen to hold under another key is closed (a wait without the owner)", () => {
      const journal = memoryJournal();
      journal.put("owner", { ...attempt, jobId: "j1" });
      stateHolds(journal, "intent", "j1", now);
      const again = journalContext(journal, "owner", "one", now, undefined);
      assert.strictEqual(again.pending, undefined);
      assert.deepStrictEqual(again.past, ["j1"]);
    });

    it("hands a rerun the newest snapshot its attempt chose, and only that", () => {
      const chose = (extra: object) =>
        earlierChoice({ pending: { ...attempt, ...extra }, remember: () => {}, forget: () => {} });
      assert.strictEqual(chose({ snapshotId: "s", snapshotSource: "latest" }), "s");
      assert.strictEqual(chose({ snapshotId: "s", snapshotSource: "input" }), undefined);
      assert.strictEqual(earlierChoice({ remember: () => {}, forget: () => {} }), undefined);
    });
  });
});
