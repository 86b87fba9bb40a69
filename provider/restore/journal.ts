import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import type { Journal, PendingIntent } from "./types";

/** The journal's default folder; `ATLAS_RESTORE_JOURNAL_DIR` moves it (CI runners may keep a cache). */
export function defaultJournalDir(env: Record<string, string | undefined>): string {
  return env.ATLAS_RESTORE_JOURNAL_DIR ?? join(homedir(), ".pulumi-atlas-restore", "journal");
}

/** A journal of one JSON file per intent, each written atomically (temporary file, then rename). */
export function fileJournal(dir: string): Journal {
  const file = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      try {
        return JSON.parse(readFileSync(file(key), "utf8")) as PendingIntent;
      } catch {
        return undefined;
      }
    },
    put(key, intent) {
      mkdirSync(dir, { recursive: true });
      const temporary = `${file(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(intent));
      renameSync(temporary, file(key));
    },
    delete(key) {
      rmSync(file(key), { force: true });
    },
  };
}

/** A journal that lives as long as the process; for tests. */
export function memoryJournal(): Journal & { entries: Map<string, PendingIntent> } {
  const entries = new Map<string, PendingIntent>();
  return {
    entries,
    get: (key) => entries.get(key),
    put: (key, intent) => void entries.set(key, intent),
    delete: (key) => void entries.delete(key),
  };
}

/** The journal key of an intent: a hash of what is restored and where, as the user gave it. */
export function intentKey(noun: string, intent: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(intent)
      .sort()
      .map((k) => [k, intent[k] ?? null]),
  );
  return createHash("sha256").update(`${noun}\n${canonical}`).digest("hex").slice(0, 32);
}
