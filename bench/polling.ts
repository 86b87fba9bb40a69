import { beliefFromLengths, rangeOf } from "../provider/waiting/belief";
import { geometricSchedule, type PollSchedule, unknownLengthSchedule } from "../provider/waiting/schedule";
import {
  checkTimes,
  collectionWait,
  earlierLengths,
  finishTimes,
  fixedPoller,
  lowerBound,
  type Outcome,
  outcomeOfTimes,
  seeded,
  summarize,
  type Summary,
  withHistory,
} from "../provider/waiting/simulate";

/**
 * Polling in simulated time: the provider's schedules against the fixed pollers of other Atlas
 * tools, and against the lower bound for the same number of calls. Finish times are spread evenly
 * over ±20 % of each length, shifted by a random fraction of a step so that none lines up with a poll
 * period; histories are drawn from seeded generators, so every run gives the same figures.
 */

/** The other tools' pollers, as their sources describe them. */
export const PEERS: readonly { name: string; schedule: PollSchedule }[] = [
  { name: "Atlas CLI `backups restores watch` (4 s)", schedule: fixedPoller(4_000, 4_000) },
  { name: "CloudFormation restore resource (30 s)", schedule: fixedPoller(30_000, 30_000) },
  { name: "Terraform restore resource (30 s, then 60 s)", schedule: fixedPoller(30_000, 60_000) },
];

/** The reference the targets compare calls against: Terraform's 30 s-then-60 s poller. */
export const REFERENCE = PEERS[2]!.schedule;

/** This provider's poller before the planned schedules: 1.5 s growing by 1.3 up to 105 s. */
export const PREVIOUS = geometricSchedule({ minDelayMs: 1_500, maxDelayMs: 105_000, factor: 1.3 });

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** Histories drawn per length, and finish times per history. */
export const SEEDS = 20;
export const PER_SEED = 401;
/** Earlier jobs of the source each forecast rests on, in the targets' figures. */
export const EARLIER = 5;

/** Lengths of the tables. */
export const LENGTHS = [
  { label: "3 s", ms: 3 * S },
  { label: "10 s", ms: 10 * S },
  { label: "30 s", ms: 30 * S },
  { label: "1 min", ms: MIN },
  { label: "2 min", ms: 2 * MIN },
  { label: "3 min", ms: 3 * MIN },
  { label: "5 min", ms: 5 * MIN },
  { label: "30 min", ms: 30 * MIN },
  { label: "2 h", ms: 2 * HOUR },
  { label: "6 h", ms: 6 * HOUR },
];

/** Lengths from `fromMs` to `toMs`, `step` apart as a ratio, both ends included. */
function sweepOf(fromMs: number, toMs: number, step: number): number[] {
  const lengths: number[] = [];
  for (let ms = fromMs; ms < toMs; ms = Math.round(ms * step)) lengths.push(ms);
  return [...lengths, toMs];
}

const fixedCache = new Map<PollSchedule, Map<number, Summary>>();

/**
 * `SEEDS × PER_SEED` finish times of a fixed schedule (a peer's, or ours without a belief) around a
 * length: its check times are listed once, up to the latest finish, then searched.
 */
function fixedOver(schedule: PollSchedule, nominalMs: number, factor = 1): Summary {
  const lengthMs = factor * nominalMs;
  const cache = fixedCache.get(schedule) ?? new Map<number, Summary>();
  fixedCache.set(schedule, cache);
  const cached = cache.get(lengthMs);
  if (cached) return cached;
  const times = checkTimes(schedule, 1.2 * lengthMs);
  const outcomes: Outcome[] = [];
  for (let s = 0; s < SEEDS; s++) {
    const random = seeded(1000 + s);
    for (const t of finishTimes(lengthMs, PER_SEED, random())) outcomes.push(outcomeOfTimes(times, t));
  }
  const summary = summarize(outcomes);
  cache.set(lengthMs, summary);
  return summary;
}

/** Ours with a forecast from `earlier` earlier jobs, over `SEEDS × PER_SEED` finish times. */
function historyOver(nominalMs: number, factor = 1, earlier = EARLIER): Summary {
  return summarize(withHistory(nominalMs, { earlier, seeds: SEEDS, perSeed: PER_SEED, factor }));
}

/** Finish times per history for collection restores, whose waits re-plan at every reading. */
const COLLECTION_PER_SEED = 21;

/**
 * Collection restores waited for with their copy's progress (set-up 5–15 % of the length, index
 * builds 10–30 %, drawn per job), with or without a forecast from earlier jobs.
 */
function collectionOver(nominalMs: number, withForecast: boolean): Summary {
  const outcomes: Outcome[] = [];
  for (let s = 0; s < SEEDS; s++) {
    const random = seeded(2000 + s);
    const forecast = withForecast
      ? rangeOf(beliefFromLengths(earlierLengths(nominalMs, EARLIER, random))!)
      : undefined;
    for (const finish of finishTimes(nominalMs, COLLECTION_PER_SEED, random())) {
      const phases = { setup: 0.05 + 0.1 * random(), finalize: 0.1 + 0.2 * random() };
      outcomes.push(collectionWait(finish, phases, forecast));
    }
  }
  return summarize(outcomes);
}

/** The worst of a sweep: highest mean and p95 delay, most calls over the reference, and where. */
export interface Worst {
  readonly lengths: number;
  readonly from: number;
  readonly to: number;
  readonly meanMs: number;
  readonly meanAt: number;
  readonly p95Ms: number;
  readonly p95At: number;
  /** Most calls above the reference poller's at the same length (negative: always fewer). */
  readonly callsOver: number;
  readonly callsAt: number;
}

function worstOf(lengths: readonly number[], ours: (ms: number) => Summary, factor = 1): Worst {
  let worst: Worst = {
    lengths: lengths.length,
    from: lengths[0]!,
    to: lengths[lengths.length - 1]!,
    meanMs: -Infinity,
    meanAt: 0,
    p95Ms: -Infinity,
    p95At: 0,
    callsOver: -Infinity,
    callsAt: 0,
  };
  for (const ms of lengths) {
    const o = ours(ms);
    const over = o.calls - fixedOver(REFERENCE, ms, factor).calls;
    worst = {
      ...worst,
      ...(o.delayMs > worst.meanMs ? { meanMs: o.delayMs, meanAt: ms } : {}),
      ...(o.p95DelayMs > worst.p95Ms ? { p95Ms: o.p95DelayMs, p95At: ms } : {}),
      ...(over > worst.callsOver ? { callsOver: over, callsAt: ms } : {}),
    };
  }
  return worst;
}

/** One row of the polling tables. */
export interface PollingRow {
  readonly label: string;
  readonly ms: number;
  /** Without any belief (serverless, dedicated, Flex and collection restores' first jobs). */
  readonly unknown: Summary;
  /** With a forecast from five earlier jobs of the source. */
  readonly history: Summary;
  readonly lowerBoundHistory: Outcome;
  readonly previous: Summary;
  readonly peers: readonly Summary[];
  /** Collection restores from their copy's progress, without and with a forecast. */
  readonly collection: Summary;
  readonly collectionHistory: Summary;
}

/** Forecasts off by these factors: the job takes this many times what its source's earlier jobs took. */
export const OFF_FACTORS = [0.5, 0.67, 1.5, 2];

/** Every row, and the worst cases of the sweeps the targets are judged on. */
export function polling() {
  const rows: PollingRow[] = LENGTHS.map(({ label, ms }) => {
    const history = historyOver(ms);
    return {
      label,
      ms,
      unknown: fixedOver(unknownLengthSchedule, ms),
      history,
      lowerBoundHistory: fixedOver(lowerBound(ms, history.calls), ms),
      previous: fixedOver(PREVIOUS, ms),
      peers: PEERS.map((p) => fixedOver(p.schedule, ms)),
      collection: collectionOver(ms, false),
      collectionHistory: collectionOver(ms, true),
    };
  });
  const long = sweepOf(MIN, 6 * HOUR, 1.05);
  const coarse = sweepOf(MIN, 6 * HOUR, 1.1);
  const short = sweepOf(3 * S, 59 * S, 1.1);
  // The edge between the two goals: a job of 59 s is held to no calls, one of a minute to Terraform's;
  // no forecast tells the two apart, so this is the best a schedule keeping both can do at 59 s.
  const edgeMs = short[short.length - 1]!;
  const edgeCalls = fixedOver(REFERENCE, edgeMs).calls;
  return {
    settings: { seeds: SEEDS, perSeed: PER_SEED, earlier: EARLIER, collectionPerSeed: COLLECTION_PER_SEED },
    rows,
    edge: { ms: edgeMs, calls: edgeCalls, lowerBound: fixedOver(lowerBound(edgeMs, edgeCalls), edgeMs) },
    sweeps: {
      history: worstOf(long, (ms) => historyOver(ms)),
      shortHistory: worstOf(short, (ms) => historyOver(ms)),
      twoEarlier: worstOf(coarse, (ms) => historyOver(ms, 1, 2)),
      tenEarlier: worstOf(coarse, (ms) => historyOver(ms, 1, 10)),
      unknown: worstOf(long, (ms) => fixedOver(unknownLengthSchedule, ms)),
      shortUnknown: worstOf(short, (ms) => fixedOver(unknownLengthSchedule, ms)),
      off: OFF_FACTORS.map((factor) => ({
        factor,
        worst: worstOf(coarse, (ms) => historyOver(ms, factor), factor),
      })),
    },
  };
}
