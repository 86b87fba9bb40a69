import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import type { Journal, PendingIntent, StartContext } from "./types";

/**
 * How long an entry may be used. An entry matters between a killed run and the next `up`; after
 * that, adopting the job it names would report a restore that happened long ago (for example after
 * a `destroy`, an `up` a day later must restore again).
 */
export const JOURNAL_TTL_MS = 3 * 60 * 60 * 1000;

/**
 * How long the jobs state held for a resource stay known. They only spare a later restore of the
 * same resource a stop (see `UndecidedRestoreError`), so they may outlive attempts by far.
 */
export const HELD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The most held jobs a resource's entry keeps (the newest). */
const MAX_HELD = 20;

/** The most held jobs the machine's entry keeps, of all resources (the newest). */
const MAX_HELD_ON_MACHINE = 500;

/**
 * The key of the machine's own entry: every job state was seen to hold here, whatever the resource.
 * Such a job is never the job of an interrupted attempt (that one never reached state), so it never
 * stops a restore; a resource's own entry, keyed apart, may be keyed by an intent that changed since.
 */
export const HELD_ON_MACHINE = intentKey("jobs held in state", {});

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
 * time stands in for when its attempt began. Fields of the wrong type are left out.
 */
export function parseEntry(text: string, modifiedAt: () => number): PendingIntent | undefined {
  const raw = JSON.parse(text) as Record<string, unknown> | null;
  if (raw === null || typeof raw !== "object" || !Array.isArray(raw.knownJobIds)) return undefined;
  const strings = (list: unknown[]) => list.filter((id): id is string => typeof id === "string");
  const attemptStartedAt = typeof raw.attemptStartedAt === "number" ? raw.attemptStartedAt : modifiedAt();
  // A 0.1 entry was written before its POST or once the answer arrived; either way a POST may exist.
  const posts = typeof raw.posts === "number" ? raw.posts : 1;
  const optional = {
    jobId: typeof raw.jobId === "string" ? raw.jobId : undefined,
    intentKey: typeof raw.intentKey === "string" ? raw.intentKey : undefined,
    request: raw.request !== null && typeof raw.request === "object" ? raw.request : undefined,
    snapshotId: typeof raw.snapshotId === "string" ? raw.snapshotId : undefined,
    snapshotSource: typeof raw.snapshotSource === "string" ? raw.snapshotSource : undefined,
    committed: raw.committed === true ? true : undefined,
    heldJobIds: Array.isArray(raw.heldJobIds) ? strings(raw.heldJobIds) : undefined,
    heldAt: typeof raw.heldAt === "number" ? raw.heldAt : undefined,
  };
  const present = Object.entries(optional).filter(([, v]) => v !== undefined);
  return { attemptStartedAt, knownJobIds: strings(raw.knownJobIds), posts, ...Object.fromEntries(present) };
}

/** The journal key of a resource: its kind and owner (`<project>/<stack>/<resource name>`). */
export function ownerKey(noun: string, owner: string): string {
  return intentKey(`${noun} resource`, { owner });
}

/** Whether an entry records an attempt that may have started a job (a POST sent, or a job known). */
function startedSomething(entry: PendingIntent): boolean {
  return entry.posts > 0 || entry.jobId !== undefined;
}

/** The jobs an entry knows state held for its resource, unless that knowledge expired. */
function heldOf(entry: PendingIntent | undefined, now: number): string[] {
  if (entry?.heldJobIds === undefined || entry.heldAt === undefined) return [];
  const age = now - entry.heldAt;
  return age >= 0 && age <= HELD_TTL_MS ? [...entry.heldJobIds] : [];
}

/** An entry's attempt alone, its held jobs left out. */
function attemptOnly(entry: PendingIntent): PendingIntent {
  const { heldJobIds: _held, heldAt: _at, ...attempt } = entry;
  return attempt;
}

/** Job ids named in a value (a resource's `triggers`): the user's "restore again after these". */
export function namedJobIds(value: unknown): string[] {
  return JSON.stringify(value ?? null).match(/(?<![a-f0-9])[a-f0-9]{24}(?![a-f0-9])/g) ?? [];
}

/**
 * What this machine's journal tells a resource's `create` (see {@link StartContext}), and how the
 * attempt is recorded. One entry per resource (`key`) holds the attempt, for one intent of the
 * resource (`intent`), and the jobs state held for it earlier.
 */
export function journalContext(
  journal: Journal,
  key: string,
  intent: string,
  now: number,
  triggers: unknown,
): StartContext {
  const entry = journal.get(key);
  const onMachine = heldOf(journal.get(HELD_ON_MACHINE), now);
  // An attempt whose job state was seen to hold is done, whichever key that was recorded under.
  const open = entry && startedSomething(entry) && !onMachine.includes(entry.jobId ?? "");
  const attempt = open ? unexpired(attemptOnly(entry), now) : undefined;
  const ours = attempt !== undefined && (attempt.intentKey ?? intent) === intent;
  // Another intent's attempt whose POST got no answer: its job may not be listed yet.
  const unsettled = attempt !== undefined && !ours && attempt.jobId === undefined;
  const withHeld = (record: PendingIntent): PendingIntent => {
    const current = journal.get(key);
    const held = heldOf(current, now);
    return held.length > 0 ? { ...record, heldJobIds: held, heldAt: current!.heldAt! } : record;
  };
  return {
    ...(ours ? { pending: attempt } : {}),
    held: heldOf(entry, now),
    past: [...onMachine, ...namedJobIds(triggers)],
    ...(unsettled ? { unsettled } : {}),
    remember: (record) => journal.put(key, withHeld({ ...attemptOnly(record), intentKey: intent })),
    forget: () => {
      const kept = withHeld(noAttempt(now));
      if (kept.heldJobIds === undefined) journal.delete(key);
      else journal.put(key, kept);
    },
  };
}

/**
 * Pulumi state holds `jobId` for the resource of `key`: the attempt that started it has done its work,
 * and a later restore of the resource never takes that job for its own. Writes only on a change.
 */
export function stateHolds(journal: Journal, key: string, jobId: string | undefined, now: number): void {
  if (jobId === undefined) return;
  const entry = journal.get(key);
  const done = entry?.jobId === jobId;
  const held = heldOf(entry, now);
  if (done || !held.includes(jobId)) {
    const attempt = entry && !done && startedSomething(entry) ? attemptOnly(entry) : noAttempt(now);
    journal.put(key, { ...attempt, ...withJob(held, jobId, MAX_HELD, now) });
  }
  const machine = heldOf(journal.get(HELD_ON_MACHINE), now);
  if (!machine.includes(jobId))
    journal.put(HELD_ON_MACHINE, { ...noAttempt(now), ...withJob(machine, jobId, MAX_HELD_ON_MACHINE, now) });
}

/** An entry's fields when it records no attempt. */
function noAttempt(now: number): PendingIntent {
  return { attemptStartedAt: now, knownJobIds: [], posts: 0 };
}

/** Held jobs with `jobId` added as the newest, at most `max`. */
function withJob(held: readonly string[], jobId: string, max: number, now: number) {
  return { heldJobIds: [...held.filter((id) => id !== jobId), jobId].slice(-max), heldAt: now };
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

/**
 * The newest snapshot an interrupted attempt of this restore chose: a rerun restores that one again,
 * though a newer one may have completed since, so that it recognises the attempt's job.
 */
export function earlierChoice(context: StartContext): string | undefined {
  const pending = context.pending;
  return pending?.snapshotSource === "latest" ? pending.snapshotId : undefined;
}
