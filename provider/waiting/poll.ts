import type { Clock } from "./clock";
import { GEOMETRIC_FACTOR, geometricSchedule, type PollSchedule } from "./schedule";

/** What a poll should do next with a job in some state. */
export type JobClass = "SUCCESS" | "FAILURE" | "RETRY";

/** Settings of one wait. */
export interface PollOptions<T> {
  /** Reads the current state; an error it throws ends the wait and propagates. */
  readonly check: () => Promise<T>;
  /** Classifies what `check` returned. */
  readonly classify: (value: T) => JobClass;
  readonly clock: Clock;
  /** First wait between checks in ms (default: 1_500). */
  readonly minDelayMs?: number;
  /** Cap of the wait between checks in ms (default: 105_000). */
  readonly maxDelayMs?: number;
  /** Growth of the wait from one check to the next (default: 1.3). */
  readonly factor?: number;
  /** Total time allowed in ms, counted from the call. */
  readonly maxWaitMs: number;
  /** Ends the wait early with state `ABORTED`. */
  readonly signal?: AbortSignal;
  /** Called after each check, e.g. to report progress. */
  readonly onCheck?: (value: T, elapsedMs: number) => void;
  /** Whether to check once before the first wait (default: true). */
  readonly checkFirst?: boolean;
  /**
   * When to check (see `waiting/schedule.ts`); wins over `minDelayMs`, `maxDelayMs` and `factor`,
   * which otherwise make a geometric schedule.
   */
  readonly schedule?: PollSchedule;
  /**
   * When the job started, epoch ms (default: the call). A schedule counts from here, so a wait that
   * resumes a job started earlier keeps the job's plan instead of starting it over.
   */
  readonly startedAtMs?: number;
  /**
   * Progress between checks: before each sleep `dueInMs` says when a line falls due, and if that
   * comes before the next check the wait wakes then and calls `report` with the time elapsed and the
   * time left until the check. So a wait with checks minutes apart still says something as often
   * as the caller wants.
   */
  readonly progress?: {
    dueInMs(): number;
    report(elapsedMs: number, untilCheckMs: number): void;
  };
}

/** How a wait ended. */
export type PollResult<T> =
  | {
      readonly state: "SUCCESS" | "FAILURE";
      readonly value: T;
      readonly checks: number;
      readonly elapsedMs: number;
    }
  | {
      readonly state: "TIMEOUT" | "ABORTED";
      readonly value?: T;
      readonly checks: number;
      readonly elapsedMs: number;
    };

/** Defaults of {@link PollOptions}; see docs/waiting.md. */
export const pollDefaults = { minDelayMs: 1_500, maxDelayMs: 105_000, factor: GEOMETRIC_FACTOR } as const;

/**
 * Checks until the classifier says SUCCESS or FAILURE, the deadline passes, or the signal aborts.
 * The deadline is computed once; the waits come from `schedule` (see `waiting/schedule.ts`), or grow
 * geometrically from `minDelayMs` to `maxDelayMs` without one.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const settings = validatePollOptions(options);
  const schedule = options.schedule ?? geometricSchedule(settings);
  const { clock, signal } = options;
  const started = clock.now();
  const origin = Math.min(started, options.startedAtMs ?? started);
  const deadline = started + options.maxWaitMs;
  let checks = 0;
  let last: T | undefined;

  let waits = 0;
  for (;;) {
    if (checks > 0 || options.checkFirst === false) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) return { state: "TIMEOUT", value: last, checks, elapsedMs: clock.now() - started };
      const delayMs = schedule({ waits: waits++, elapsedMs: clock.now() - origin, random: clock.random() });
      const progress = options.progress;
      await sleepReporting(
        clock,
        Math.min(remaining, delayMs),
        signal,
        progress && {
          dueInMs: () => progress.dueInMs(),
          report: (untilCheckMs) => progress.report(clock.now() - started, untilCheckMs),
        },
      );
    }
    if (signal?.aborted) return { state: "ABORTED", value: last, checks, elapsedMs: clock.now() - started };

    last = await options.check();
    checks++;
    const elapsedMs = clock.now() - started;
    options.onCheck?.(last, elapsedMs);
    const verdict = options.classify(last);
    if (verdict !== "RETRY") return { state: verdict, value: last, checks, elapsedMs };
  }
}

/** Wait number `round` (1 for the first) of the geometric schedule; see {@link geometricSchedule}. */
export function nextDelayMs(
  settings: { minDelayMs: number; maxDelayMs: number; factor: number },
  round: number,
  random: number,
): number {
  return geometricSchedule(settings)({ waits: Math.max(0, round - 1), elapsedMs: 0, random });
}

/** Checks the numeric options up front, naming the field and its value. */
export function validatePollOptions(
  options: Pick<PollOptions<unknown>, "minDelayMs" | "maxDelayMs" | "factor" | "maxWaitMs">,
) {
  const settings = {
    minDelayMs: options.minDelayMs ?? pollDefaults.minDelayMs,
    maxDelayMs: options.maxDelayMs ?? pollDefaults.maxDelayMs,
    factor: options.factor ?? pollDefaults.factor,
  };
  const problems: string[] = [];
  if (!(settings.minDelayMs > 0)) problems.push(`minDelayMs must be greater than 0: ${settings.minDelayMs}`);
  if (!(settings.maxDelayMs >= settings.minDelayMs)) {
    problems.push(`maxDelayMs must be at least minDelayMs: ${settings.maxDelayMs}`);
  }
  if (!(settings.factor >= 1)) problems.push(`factor must be at least 1: ${settings.factor}`);
  if (!(options.maxWaitMs > 0)) problems.push(`maxWaitMs must be greater than 0: ${options.maxWaitMs}`);
  if (problems.length > 0) throw new RangeError(`invalid poll options: ${problems.join("; ")}`);
  return settings;
}

/** Sleeps `ms`, waking whenever a progress line falls due before the end to report it. */
async function sleepReporting(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  progress: { dueInMs(): number; report(untilCheckMs: number): void } | undefined,
): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    const left = end - clock.now();
    const due = progress === undefined ? Infinity : Math.max(1, progress.dueInMs());
    if (due >= left) return sleepUnlessAborted(clock, left, signal);
    await sleepUnlessAborted(clock, due, signal);
    if (signal?.aborted) return;
    progress!.report(end - clock.now());
  }
}

async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    void clock.sleep(ms).then(done);
  });
}
