// Fault injection. Rules match operations and fire by count, sequence or probability; probabilities draw from
// a seeded PRNG, so a given seed and request order always give the same faults.

/**
 * What a fault does to one request. `ok` (in sequences) lets it through. `hold` keeps the request
 * waiting before it is carried out, `hold-response-after-commit` after, until an admin call releases
 * it (`POST /__emulator/held/{id}/release`): a test can then kill a client while its call is in flight.
 */
export type FaultStep =
  | "ok"
  | "429"
  | "500"
  | "503"
  | "reset"
  | "drop-response-after-commit"
  | "hold"
  | "hold-response-after-commit"
  | `latency:${number}`;

/** One fault rule (the `faults` option; `--fault` on the command line). */
export interface FaultRule {
  /** Operation it applies to (an operationId); absent or `*` for every Atlas operation. */
  operationId?: string;
  /** HTTP method it applies to (default: any). */
  method?: string;
  /** The step applied each time the rule fires (exclusive with `sequence`). */
  action?: FaultStep;
  /** Steps applied to successive matching requests, then the rule stops (exclusive with `action`). */
  sequence?: FaultStep[];
  /** Chance in [0, 1] that the rule fires on a matching request (default: 1). */
  probability?: number;
  /** Fire at most this many times (default: no limit). */
  count?: number;
  /** Let this many matching requests through before the rule starts (default: 0). */
  skip?: number;
  /** `Retry-After` seconds of injected 429s and 503s (default: 1). */
  retryAfterSeconds?: number;
}

/** The combined effect of the rules on one request. */
export interface FaultDecision {
  /** Real milliseconds to wait before handling the request. */
  latencyMs: number;
  /** The failure to inject, if any. */
  action?: Exclude<FaultStep, "ok" | `latency:${number}`>;
  /** `Retry-After` for a 429 or 503. */
  retryAfterSeconds: number;
}

const STEP_RE =
  /^(ok|429|500|503|reset|drop-response-after-commit|hold|hold-response-after-commit|latency:\d+)$/;

/** Whether a string is a {@link FaultStep}. */
export function isFaultStep(value: unknown): value is FaultStep {
  return typeof value === "string" && STEP_RE.test(value);
}

/** Checks a rule; returns its problems (empty when valid). */
export function faultRuleProblems(rule: unknown, where: string): string[] {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return [`${where} must be an object`];
  const r = rule as Record<string, unknown>;
  const problems: string[] = [];
  const known = [
    "operationId",
    "method",
    "action",
    "sequence",
    "probability",
    "count",
    "skip",
    "retryAfterSeconds",
  ];
  for (const key of Object.keys(r))
    if (!known.includes(key)) problems.push(`${where} has an unknown field: ${key}`);
  if ((r["action"] === undefined) === (r["sequence"] === undefined)) {
    problems.push(`${where} needs exactly one of action and sequence`);
  }
  if (r["action"] !== undefined && !isFaultStep(r["action"])) {
    problems.push(
      `${where}.action must be ok, 429, 500, 503, reset, drop-response-after-commit, hold, hold-response-after-commit or latency:<ms>`,
    );
  }
  if (r["sequence"] !== undefined && (!Array.isArray(r["sequence"]) || !r["sequence"].every(isFaultStep))) {
    problems.push(`${where}.sequence must be an array of fault steps`);
  }
  for (const key of ["operationId", "method"]) {
    if (r[key] !== undefined && typeof r[key] !== "string") problems.push(`${where}.${key} must be a string`);
  }
  const p = r["probability"];
  if (p !== undefined && (typeof p !== "number" || p < 0 || p > 1)) {
    problems.push(`${where}.probability must be a number in [0, 1]`);
  }
  for (const key of ["count", "skip", "retryAfterSeconds"]) {
    const v = r[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0)) {
      problems.push(`${where}.${key} must be a non-negative integer`);
    }
  }
  return problems;
}

/**
 * Parses the `--fault` syntax: `<operationId|*>[:<METHOD>]=<steps>[*<count>][%<probability>][+<skip>]`, where
 * `<steps>` is one step or a comma-separated sequence; or a JSON rule when the text starts with `{`.
 * Examples: `*=503%0.2`, `createGroupServerlessBackupRestoreJob=drop-response-after-commit*1`,
 * `getGroupServerlessBackupRestoreJob=503,ok,500`, `*=latency:200`.
 */
export function parseFaultSpec(text: string): FaultRule {
  let rule: FaultRule;
  if (text.trim().startsWith("{")) {
    try {
      rule = JSON.parse(text) as FaultRule;
    } catch {
      throw new Error(`fault is not valid JSON: ${text}`);
    }
  } else {
    const m = /^([A-Za-z*]+)(?::([A-Za-z]+))?=([a-z0-9:,-]+)(?:\*(\d+))?(?:%([\d.]+))?(?:\+(\d+))?$/.exec(
      text.trim(),
    );
    if (!m)
      throw new Error(`fault must look like <operationId|*>=<step>[,<step>…][*count][%prob][+skip]: ${text}`);
    const steps = (m[3] as string).split(",");
    rule = {};
    if (m[1] !== "*") rule.operationId = m[1] as string;
    if (m[2]) rule.method = (m[2] as string).toUpperCase();
    if (steps.length === 1) rule.action = steps[0] as FaultStep;
    else rule.sequence = steps as FaultStep[];
    if (m[4]) rule.count = Number(m[4]);
    if (m[5]) rule.probability = Number(m[5]);
    if (m[6]) rule.skip = Number(m[6]);
  }
  const problems = faultRuleProblems(rule, "fault");
  if (problems.length > 0) throw new Error(`invalid fault (${problems.join("; ")}): ${text}`);
  return rule;
}

/** mulberry32: a small, well-known 32-bit PRNG; good enough for test faults and fully reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies rules to requests, keeping each rule's counters; rebuilt whenever the rules or seed change. */
export class FaultInjector {
  private readonly seen: number[];
  private readonly fired: number[];
  private readonly random: () => number;

  constructor(
    private readonly rules: readonly FaultRule[],
    seed: number,
  ) {
    this.seen = rules.map(() => 0);
    this.fired = rules.map(() => 0);
    this.random = seededRandom(seed);
  }

  /** Decides the faults for one request to `operationId` with `method`. */
  decide(operationId: string, method: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, retryAfterSeconds: 1 };
    this.rules.forEach((rule, i) => {
      if (rule.operationId && rule.operationId !== "*" && rule.operationId !== operationId) return;
      if (rule.method && rule.method.toUpperCase() !== method) return;
      const seen = ++this.seen[i];
      if (seen <= (rule.skip ?? 0)) return;
      let step: FaultStep | undefined;
      if (rule.sequence) {
        step = rule.sequence[seen - (rule.skip ?? 0) - 1];
      } else {
        if (rule.count !== undefined && this.fired[i] >= rule.count) return;
        // Draw only for probabilistic rules, so adding a certain rule does not shift another rule's draws.
        if (rule.probability !== undefined && rule.probability < 1 && this.random() >= rule.probability)
          return;
        step = rule.action;
      }
      if (step === undefined || step === "ok") return;
      this.fired[i]++;
      if (step.startsWith("latency:")) {
        decision.latencyMs += Number(step.slice("latency:".length));
      } else if (decision.action === undefined) {
        decision.action = step as FaultDecision["action"];
        decision.retryAfterSeconds = rule.retryAfterSeconds ?? 1;
      }
    });
    return decision;
  }
}
