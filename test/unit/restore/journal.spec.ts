import assert from "node:assert";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  fileJournal,
  intentKey,
  JOURNAL_TTL_MS,
  parseEntry,
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
});
