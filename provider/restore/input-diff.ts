import type * as pulumi from "@pulumi/pulumi";

/** Which inputs replace the resource when they change, and which only update it in place. */
export interface DiffRules {
  readonly replaceOnChange: readonly string[];
  readonly updateOnChange: readonly string[];
  /**
   * The old value of an input as the user gave it. `diff` receives old *outputs*, where some inputs
   * hold resolved values (a chosen snapshot id); this undoes that.
   */
  readonly oldInput?: (key: string, olds: Record<string, unknown>) => unknown;
}

/**
 * `oldInput` for kinds that choose a snapshot when none is given: the outputs hold the snapshot
 * actually restored, which the user gave only when `snapshotSource` says so.
 */
export function snapshotIdAsGiven(key: string, olds: Record<string, unknown>): unknown {
  return key === "snapshotId" && olds.snapshotSource !== "input" ? undefined : olds[key];
}

/**
 * Compares old outputs with new inputs. Any change to what is restored or where is a replacement (a
 * new restore job); the rest are in-place updates that never start one.
 */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  rules: DiffRules,
): pulumi.dynamic.DiffResult {
  const oldValue = (key: string) => (rules.oldInput ? rules.oldInput(key, olds) : olds[key]);
  const changed = (key: string) => !sameValue(oldValue(key), news[key]);
  const replaces = rules.replaceOnChange.filter(changed);
  const updates = [...rules.updateOnChange, "__provider"].filter(changed);
  return {
    changes: replaces.length > 0 || updates.length > 0,
    ...(replaces.length > 0 ? { replaces } : {}),
    deleteBeforeReplace: false,
  };
}

/** Structural equality for JSON-like values; absent and null are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
