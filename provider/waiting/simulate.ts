import { beliefFromLengths } from "./belief";
import { nextCheck, planFor, plannedSchedule, type PollSchedule, type PollSettings } from "./schedule";
import { waitPlan } from "./wait-plan";

/**
 * Schedules judged in simulated time: how many checks each makes and how late it notices a job
 * finishing at a given time. Pure arithmetic, shared by the unit tests and the bench.
 */

/** Calls and detection delay of one schedule for one job. */
export interface Outcome {
  /** Checks until the first one at or after the finish, that one included. */
  readonly calls: number;
  /** Time from the finish to that check, ms. */
  readonly delayMs: number;
}

/** Runs `schedule` (no check before the first wait, as after a create) against a job finishing at `finishMs`. */
export function simulate(schedule: PollSchedule, finishMs: number, random: () => number = () => 0): Outcome {
  let now = 0;
  for (let waits = 0; ; waits++) {
    now += schedule({ waits, elapsedMs: now, random: random() });
    if (now >= finishMs) return { calls: waits + 1, delayMs: now - finishMs };
  }
}

/** The check times of `schedule` (ms since the start), up to and including the first at or after `finishMs`. */
export function checkTimes(schedule: PollSchedule, finishMs: number): number[] {
  const times: number[] = [];
  for (let now = 0, waits = 0; now < finishMs; waits++) {
    now += schedule({ waits, elapsedMs: now, random: 0 });
    times.push(now);
  }
  return times;
}

/** A fixed-interval poller, as other Atlas tools have: first check after `firstMs`, then every `everyMs`. */
export function fixedPoller(firstMs: number, everyMs: number): PollSchedule {
  return plannedSchedule([firstMs], everyMs);
}

/**
 * `count` finish times spread evenly over ±20 % of a nominal length, shifted by `offset` (in [0, 1)) of
 * one step, so that none lines up with a poll period. Whole milliseconds.
 */
export function finishTimes(nominalMs: number, count = 41, offset = 0.5): number[] {
  return Array.from({ length: count }, (_, i) =>
    Math.round(nominalMs * (0.8 + (0.4 * (i + offset)) / count)),
  );
}

/** Mean calls and mean delay over many outcomes. */
export function meanOutcome(outcomes: readonly Outcome[]): Outcome {
  const n = Math.max(1, outcomes.length);
  return {
    calls: outcomes.reduce((sum, o) => sum + o.calls, 0) / n,
    delayMs: outcomes.reduce((sum, o) => sum + o.delayMs, 0) / n,
  };
}

/** Mean calls and delay, and the 95th percentile of the delay, over many outcomes. */
export interface Summary extends Outcome {
  readonly p95DelayMs: number;
  /** How many outcomes. */
  readonly n: number;
}

/** The {@link Summary} of some outcomes. */
export function summarize(outcomes: readonly Outcome[]): Summary {
  const delays = outcomes.map((o) => o.delayMs).sort((a, b) => a - b);
  return {
    ...meanOutcome(outcomes),
    p95DelayMs: delays[Math.min(delays.length - 1, Math.floor(0.95 * delays.length))] ?? 0,
    n: outcomes.length,
  };
}

/**
 * The lower bound for a number of calls: a schedule that knows the job's window (its nominal length
 * ±20 %) and spreads evenly inside it as many checks as make `meanCalls` calls on average (about
 * twice as many, since a job finishing early needs only the first ones). For finish times spread
 * evenly over the window, no schedule making that many calls on average has a lower mean delay.
 */
export function lowerBound(nominalMs: number, meanCalls: number): PollSchedule {
  const low = 0.8 * nominalMs;
  const width = 0.4 * nominalMs;
  const checks = Math.max(1, Math.round(2 * meanCalls - 1));
  const gap = width / checks;
  return plannedSchedule(
    Array.from({ length: checks }, (_, i) => Math.round(low + gap * (i + 1))),
    gap,
  );
}

/** A small seeded generator (mulberry32), so that simulated histories repeat from run to run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lengths of `count` earlier jobs spread like the job's own: ±20 % around `nominalMs`. */
export function earlierLengths(nominalMs: number, count: number, random: () => number): number[] {
  return Array.from({ length: count }, () => nominalMs * (0.8 + 0.4 * random()));
}

/**
 * Outcome of checks at `times` (ascending, ms since the start) for a job finishing by the last one:
 * a binary search, so that thousands of finish times cost little.
 */
export function outcomeOfTimes(times: readonly number[], finishMs: number): Outcome {
  const i = firstAtOrAfter(times, finishMs);
  if (i === times.length) throw new RangeError(`no check at or after the finish: ${finishMs}`);
  return { calls: i + 1, delayMs: times[i]! - finishMs };
}

function firstAtOrAfter(times: readonly number[], finishMs: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid]! >= finishMs) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Outcome of checks planned from a belief (`planFor`, from the job's start) for a job finishing at
 * `finishMs`: a binary search in the plan, then the late rule past its end.
 */
export function outcomeOfPlan(plan: ReturnType<typeof planFor>, finishMs: number): Outcome {
  const { times } = plan;
  const low = firstAtOrAfter(times, finishMs);
  if (low < times.length) return { calls: low + 1, delayMs: times[low]! - finishMs };
  let calls = times.length;
  let now = times[times.length - 1] ?? 0;
  while (now < finishMs) {
    now = nextCheck(plan, now);
    calls++;
  }
  return { calls, delayMs: now - finishMs };
}

/**
 * Waits predicted from `earlier` earlier jobs of the same source whose lengths are spread like the
 * job's own (±20 % around the nominal length), for `seeds` draws of that history, each against
 * `perSeed` finish times at `factor` × the nominal length (±20 %): 1 is a good forecast, 0.5 a job
 * twice as quick as its source's earlier ones.
 */
export function withHistory(
  nominalMs: number,
  options: { earlier: number; seeds: number; perSeed: number; factor?: number },
): Outcome[] {
  const outcomes: Outcome[] = [];
  for (let s = 0; s < options.seeds; s++) {
    const random = seeded(7 + 131 * s);
    const belief = beliefFromLengths(earlierLengths(nominalMs, options.earlier, random));
    if (belief === undefined) throw new Error("simulated history predicted nothing");
    const plan = planFor(belief, 0);
    for (const finish of finishTimes((options.factor ?? 1) * nominalMs, options.perSeed, random()))
      outcomes.push(outcomeOfPlan(plan, finish));
  }
  return outcomes;
}

/** A collection restore's phases as shares of its length: set-up, then the copy, then index builds. */
export interface CopyPhases {
  /** Share spent before any document is copied. */
  readonly setup: number;
  /** Share spent after the last one is (FINALIZING). */
  readonly finalize: number;
}

/** What a collection restore of `lengthMs` reports `atMs` after its start, in the kinds' output names. */
export function collectionJobAt(
  lengthMs: number,
  phases: CopyPhases,
  atMs: number,
): { state: string; restoredDocuments: number; totalDocuments: number } {
  const total = 1_000_000;
  const copyFrom = phases.setup * lengthMs;
  const copyTo = (1 - phases.finalize) * lengthMs;
  const share = Math.min(1, Math.max(0, (atMs - copyFrom) / (copyTo - copyFrom)));
  const state =
    atMs >= lengthMs
      ? "SUCCESSFUL"
      : atMs < copyFrom
        ? "INITIALIZING"
        : atMs < copyTo
          ? "IN_PROGRESS"
          : "FINALIZING";
  return { state, restoredDocuments: Math.floor(total * share), totalDocuments: total };
}

/**
 * One collection restore's wait run through {@link waitPlan} in simulated time: each check reads the
 * job as {@link collectionJobAt} reports it and is fed back into the plan, as the lifecycle does.
 */
export function collectionWait(
  finishMs: number,
  phases: CopyPhases,
  forecast?: { expectedMs: number; lowMs: number; highMs: number; basedOn: number },
): Outcome {
  const settings: PollSettings = { minDelayMs: 1_500, maxDelayMs: 105_000, mode: "planned" };
  const read = (atMs: number) => ({ restoreJobId: "job", ...collectionJobAt(finishMs, phases, atMs) });
  const plan = waitPlan({
    settings,
    ...(forecast ? { forecast: { ...forecast, startedAt: 0 } } : {}),
    job: read(0),
    nowMs: 0,
  });
  let now = 0;
  for (let calls = 1; ; calls++) {
    now += plan.schedule({ waits: calls - 1, elapsedMs: now, random: 0 });
    if (now >= finishMs) return { calls, delayMs: now - finishMs };
    plan.observe(read(now), now);
  }
}
