import { plannedSchedule, type PollSchedule, predictDuration, predictedSchedule } from "./schedule";

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

/** Finish times spread evenly over ±20 % of a nominal length, so that no schedule looks perfect by aligning with it. */
export function finishTimes(nominalMs: number, count = 41): number[] {
  // Whole milliseconds: 1.2 × 10 s must be 12 000, not 12 000.000000000002, a miss for a check at 12 s.
  return Array.from({ length: count }, (_, i) => Math.round(nominalMs * (0.8 + (0.4 * i) / (count - 1))));
}

/** Mean calls and mean delay over many outcomes. */
export function meanOutcome(outcomes: readonly Outcome[]): Outcome {
  const n = Math.max(1, outcomes.length);
  return {
    calls: outcomes.reduce((sum, o) => sum + o.calls, 0) / n,
    delayMs: outcomes.reduce((sum, o) => sum + o.delayMs, 0) / n,
  };
}

/** Mean outcome of a schedule over {@link finishTimes} of a nominal length. */
export function meanOver(schedule: PollSchedule, nominalMs: number, count = 41): Outcome {
  return meanOutcome(finishTimes(nominalMs, count).map((t) => simulate(schedule, t)));
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
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mean outcome of {@link predictedSchedule} when each job is predicted from `earlier` earlier jobs of
 * the same source whose lengths are spread like its own (±20 % around the nominal length), as Flex
 * `restoreScheduledDate`/`restoreFinishedDate` give them.
 */
export function meanWithHistory(nominalMs: number, earlier = 5, seed = 7): Outcome {
  const random = seeded(seed);
  return meanOutcome(
    finishTimes(nominalMs).map((finish) => {
      const history = Array.from({ length: earlier }, () => ({
        startedAt: 0,
        finishedAt: nominalMs * (0.8 + 0.4 * random()),
      }));
      return simulate(predictedSchedule(predictDuration(history)!), finish);
    }),
  );
}
