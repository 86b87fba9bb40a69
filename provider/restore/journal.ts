import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import type { Journal, PendingIntent } from "./types";

/**
 * How long an entry may be used. An entry matters between a killed run and the next `up`; after
 * that, adopting the job it names would report a restore that happened long ago (for example after
 * a `destroy`, an `up` a day later must restore again).
 */
export const JOURNAL_TTL_MS = 3 * 60 * 60 * 1000;

/** The journal's default folder; `ATLAS_RESTORE_JOURNAL_DIR` moves it (CI runners may keep a cache). */
export function defaultJournalDir(env: Record<string, string | undefined>): string {
  return env.ATLAS_RESTORE_JOURNAL_DIR ?? join(homedir(), ".pulumi-atlas-restore", "journal");
}

/** The entry if it is still usable at `now`: written by an attempt that began less than the TTL ago. */
export function unexpired(entry: PendingIntent | undefined, now: number): PendingIntent | undefined {
  if (entry === undefined) return undefined;
  const age = now - entry.attemptStartedAt;
  return Number.isFinite(age) && age >= 0 && age <= JOURNAL_TTL_MS ? entry : undefined;
}

/** A journal of one JSON file per intent, each written atomically (temporary file, then rename). */
export function fileJournal(dir: string): Journal {
  const file = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      try {
        return parseEntry(readFileSync(file(key), "utf8"), () => statSync(file(key)).mtimeMs);
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

/**
 * Reads an entry. Version 0.1 wrote `{knownJobIds, jobId}` without times; the file's modification
 * time stands in for when its attempt began.
 */
export function parseEntry(text: string, modifiedAt: () => number): PendingIntent | undefined {
  const raw = JSON.parse(text) as Partial<PendingIntent> | null;
  if (raw === null || typeof raw !== "object" || !Array.isArray(raw.knownJobIds)) return undefined;
  const knownJobIds = raw.knownJobIds.filter((id): id is string => typeof id === "string");
  const jobId = typeof raw.jobId === "string" ? raw.jobId : undefined;
  const attemptStartedAt = typeof raw.attemptStartedAt === "number" ? raw.attemptStartedAt : modifiedAt();
  // A 0.1 entry was written before its POST or once the answer arrived; either way a POST may exist.
  const posts = typeof raw.posts === "number" ? raw.posts : 1;
  return { attemptStartedAt, knownJobIds, posts, ...(jobId !== undefined ? { jobId } : {}) };
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
