import { type FaultRule, faultRuleProblems, type RateLimitOptions } from "./faults";
import type { Seed } from "./seed";
import { RESTORE_KINDS, type RestoreKind } from "./state/restore-jobs";

/**
 * How the serverless endpoints behave: `auto` follows the emulator's clock (as before the sunset until
 * {@link SERVERLESS_SUNSET}, then `migrated`); `off`, `gone` and `migrated` force one behaviour.
 */
export type SunsetMode = "auto" | "off" | "gone" | "migrated";

/** When Atlas stopped serving the serverless endpoints (their `x-sunset`), in epoch ms. */
export const SERVERLESS_SUNSET = Date.parse("2026-01-22T00:00:00Z");

/** The sunset behaviour in force at `now`. */
export function sunsetAt(mode: SunsetMode, now: number): Exclude<SunsetMode, "auto"> {
  if (mode !== "auto") return mode;
  return now < SERVERLESS_SUNSET ? "off" : "migrated";
}

/** Every {@link SunsetMode}. */
export const SUNSET_MODES: readonly SunsetMode[] = ["auto", "off", "gone", "migrated"];

/** The options that can change while the emulator runs (`PATCH /__emulator/options`). */
export interface RuntimeOptions {
  /** Restore durations in real milliseconds, per kind (defaults: 3000 each). */
  restoreDurationMs: Record<RestoreKind, number>;
  /** Emulated time runs this many times faster than real time for restores (default: 1). */
  timeScale: number;
  /** Token bucket, or null for no rate limit (default). */
  rateLimit: RateLimitOptions | null;
  /** Fault rules applied to Atlas routes (default: none). */
  faults: FaultRule[];
  /** Seed of the fault rules' random choices (default: 1), so a run can be repeated. */
  faultSeed: number;
  /** Serverless endpoints by the clock (`auto`, default), as before the sunset (`off`), gone (410) or migrated to flex (404). */
  sunset: SunsetMode;
  /** How long a digest nonce stays fresh, ms (default: 300000). */
  nonceTtlMs: number;
  /** Lifetime of OAuth access tokens, seconds (default: 3600). */
  tokenTtlSeconds: number;
  /** How long download links stay valid after a download job finishes, ms (default: 4 hours). */
  downloadTtlMs: number;
  /** How long an on-demand snapshot of a dedicated cluster takes, real ms (default: 3000). */
  snapshotDurationMs: number;
}

/** Everything `startEmulator` takes. */
export interface EmulatorOptions extends Partial<Omit<RuntimeOptions, "restoreDurationMs">> {
  /** Restore durations in real ms: one for every kind, or some kinds (default: 3000 each). */
  restoreDurationMs?: number | Partial<Record<RestoreKind, number>>;
  /** Port on 127.0.0.1 (default: 0, any free port). */
  port?: number;
  /**
   * First port of the wire-protocol servers, one per deployment in seed order (`wirePort + i`);
   * default 0: any free ports.
   */
  wirePort?: number;
  /** The data served (default: the built-in seed). */
  seed?: Seed;
  /** Persist jobs and tokens here, so a restart keeps them. */
  stateFile?: string;
}

/** The defaults: quick restores, no limits, no faults, the sunset by the emulator's clock. */
export function defaultRuntimeOptions(): RuntimeOptions {
  return {
    restoreDurationMs: Object.fromEntries(RESTORE_KINDS.map((k) => [k, 3000])) as Record<RestoreKind, number>,
    timeScale: 1,
    rateLimit: null,
    faults: [],
    faultSeed: 1,
    sunset: "auto",
    nonceTtlMs: 300_000,
    tokenTtlSeconds: 3600,
    downloadTtlMs: 4 * 3600_000,
    snapshotDurationMs: 3000,
  };
}

/**
 * Applies a change to the runtime options; every problem is reported at once, naming the field. A
 * partial `restoreDurationMs` changes only the kinds it names.
 */
export function mergeOptions(current: RuntimeOptions, change: unknown): RuntimeOptions {
  if (typeof change !== "object" || change === null || Array.isArray(change)) {
    throw new OptionsError(["options must be a JSON object"]);
  }
  const c = change as Record<string, unknown>;
  const problems: string[] = [];
  const next: RuntimeOptions = { ...current, restoreDurationMs: { ...current.restoreDurationMs } };
  const known = Object.keys(current);
  for (const key of Object.keys(c)) if (!known.includes(key)) problems.push(`unknown option: ${key}`);

  const positive = (key: string, value: unknown): value is number =>
    typeof value === "number" && Number.isFinite(value) && value > 0
      ? true
      : (problems.push(`${key} must be a positive number`), false);
  // A duration of 0 is allowed: the restore is over at the next request.
  const duration = (key: string, value: unknown): value is number =>
    typeof value === "number" && Number.isFinite(value) && value >= 0
      ? true
      : (problems.push(`${key} must be a number of milliseconds >= 0`), false);

  if (c.restoreDurationMs !== undefined) {
    const durations = c.restoreDurationMs;
    if (typeof durations === "number") {
      if (duration("restoreDurationMs", durations))
        for (const k of RESTORE_KINDS) next.restoreDurationMs[k] = durations;
    } else if (typeof durations === "object" && durations !== null) {
      for (const [kind, ms] of Object.entries(durations)) {
        if (!RESTORE_KINDS.includes(kind as RestoreKind)) problems.push(`unknown restore kind: ${kind}`);
        else if (duration(`restoreDurationMs.${kind}`, ms)) next.restoreDurationMs[kind as RestoreKind] = ms;
      }
    } else problems.push("restoreDurationMs must be a number or an object of numbers");
  }
  for (const key of [
    "timeScale",
    "nonceTtlMs",
    "tokenTtlSeconds",
    "downloadTtlMs",
    "faultSeed",
    "snapshotDurationMs",
  ] as const) {
    if (c[key] !== undefined && positive(key, c[key])) next[key] = c[key] as number;
  }
  if (c.sunset !== undefined) {
    if (SUNSET_MODES.includes(c.sunset as SunsetMode)) next.sunset = c.sunset as SunsetMode;
    else problems.push("sunset must be auto, off, gone or migrated");
  }
  if (c.rateLimit !== undefined) {
    const r = c.rateLimit as Record<string, unknown> | null;
    if (r === null) next.rateLimit = null;
    else if (
      typeof r === "object" &&
      positive("rateLimit.capacity", r.capacity) &&
      positive("rateLimit.refillPerSecond", r.refillPerSecond)
    ) {
      next.rateLimit = {
        capacity: r.capacity as number,
        refillPerSecond: r.refillPerSecond as number,
        scope: r.scope === "global" ? "global" : "credential",
      };
    }
  }
  if (c.faults !== undefined) {
    if (!Array.isArray(c.faults)) problems.push("faults must be an array");
    else {
      c.faults.forEach((rule, i) => problems.push(...faultRuleProblems(rule, `faults[${i}]`)));
      next.faults = c.faults as FaultRule[];
    }
  }
  if (problems.length > 0) throw new OptionsError(problems);
  return next;
}

/** Invalid options; lists every problem. */
export class OptionsError extends Error {
  override readonly name = "OptionsError";
  constructor(readonly problems: string[]) {
    super(`invalid emulator options: ${problems.join("; ")}`);
  }
}
