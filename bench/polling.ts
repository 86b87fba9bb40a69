import { seededRandom } from "../emulator/faults";
import type { CollectionRestoreJob } from "../provider/atlas/collection-wire";
import { collectionForecast, flexForecast } from "../provider/atlas/job-history";
import type { FlexRestoreJob } from "../provider/atlas/wire";
import { pollUntil } from "../provider/waiting/poll";
import {
  defaultSchedule,
  type Forecast,
  geometricSchedule,
  type PollSchedule,
  predictedSchedule,
} from "../provider/waiting/schedule";
import {
  finishTimes,
  fixedPoller,
  lowerBound,
  meanOutcome,
  meanOver,
  type Outcome,
  simulate,
} from "../provider/waiting/simulate";

/**
 * Polling in simulated time: the provider's schedules against the fixed pollers of other Atlas
 * tools, and against the lower bound for the same number of calls. Each figure is a mean over 41
 * finish times spread ±20 % around the nominal length.
 */

/** The other tools' pollers, as their sources describe them. */
export const PEERS: readonly { name: string; schedule: PollSchedule }[] = [
  { name: "Atlas CLI `backups restores watch` (4 s)", schedule: fixedPoller(4_000, 4_000) },
  { name: "CloudFormation restore resource (30 s)", schedule: fixedPoller(30_000, 30_000) },
  { name: "Terraform restore resource (30 s, then 60 s)", schedule: fixedPoller(30_000, 60_000) },
];

/** The 60 s poller the targets compare against. */
export const SIXTY_SECONDS = PEERS[2]!.schedule;

/** This provider's poller before: 1.5 s growing by 1.3 up to 105 s, up to 20 % jitter. */
export const PREVIOUS = geometricSchedule({ minDelayMs: 1_500, maxDelayMs: 105_000, factor: 1.3 });

/** Lengths of the tables. */
export const LENGTHS = [
  { label: "10 s", ms: 10_000 },
  { label: "1 min", ms: 60_000 },
  { label: "2 min", ms: 120_000 },
  { label: "3 min", ms: 180_000 },
  { label: "5 min", ms: 300_000 },
  { label: "30 min", ms: 1_800_000 },
  { label: "2 h", ms: 7_200_000 },
  { label: "6 h", ms: 21_600_000 },
];

/** The previous poller with seeded jitter, run through the real loop so the bench measures the code. */
async function previousOutcome(finishMs: number, seed: number): Promise<Outcome> {
  let now = 0;
  const random = seededRandom(seed);
  const result = await pollUntil({
    check: async () => now >= finishMs,
    classify: (done) => (done ? "SUCCESS" : "RETRY"),
    clock: { now: () => now, sleep: async (ms) => void (now += ms), random },
    schedule: PREVIOUS,
    maxWaitMs: 10 * finishMs + 3_600_000,
    checkFirst: false,
  });
  if (result.state !== "SUCCESS") throw new Error(`simulated wait ended ${result.state}`);
  return { calls: result.checks, delayMs: now - finishMs };
}

/** Earlier jobs of the source each simulated job is forecast from. */
const EARLIER_JOBS = 5;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Mean outcome of a kind's forecast over {@link finishTimes}: for each job, `EARLIER_JOBS` earlier
 * jobs of its source as the kind's API lists them (lengths spread ±20 % like its own, drawn from a
 * seeded generator), turned into a forecast by the provider's own conversion for that kind.
 */
function withHistory(
  nominalMs: number,
  forecast: (lengths: readonly number[], random: () => number) => Forecast | undefined,
): Outcome {
  const random = seededRandom(7);
  return meanOutcome(
    finishTimes(nominalMs).map((finish) => {
      const lengths = Array.from({ length: EARLIER_JOBS }, () => nominalMs * (0.8 + 0.4 * random()));
      const predicted = forecast(lengths, random);
      if (predicted === undefined) throw new Error("simulated history predicted nothing");
      return simulate(predictedSchedule(predicted), finish);
    }),
  );
}

/** Flex: completed restores with `restoreScheduledDate` and `restoreFinishedDate`. */
function flexWithHistory(nominalMs: number): Outcome {
  return withHistory(nominalMs, (lengths) => {
    const past: FlexRestoreJob[] = lengths.map((ms, i) => ({
      id: `past-${i}`,
      status: "COMPLETED",
      deliveryType: "RESTORE",
      restoreScheduledDate: iso(i * 86_400_000),
      restoreFinishedDate: iso(i * 86_400_000 + ms),
    }));
    const job: FlexRestoreJob = { id: "new", deliveryType: "RESTORE", restoreScheduledDate: iso(0) };
    return flexForecast(job, past, 0);
  });
}

/**
 * Collection restores: earlier jobs of half to twice this job's documents, each taking time in
 * proportion to its documents (times the ±20 % spread); the forecast scales by `totalDocuments`.
 */
function collectionWithHistory(nominalMs: number): Outcome {
  const DOCUMENTS = 1_000_000;
  const common = {
    targetClusterName: "t",
    targetGroupId: "g",
    writeStrategy: "CREATE_NEW",
    indexStrategy: "ALL",
  } as const;
  return withHistory(nominalMs, (lengths, random) => {
    const past: CollectionRestoreJob[] = lengths.map((ms, i) => {
      const share = 0.5 + 1.5 * random();
      return {
        ...common,
        id: `past-${i}`,
        state: "SUCCESSFUL",
        totalDocuments: Math.round(DOCUMENTS * share),
        createdAt: iso(i * 86_400_000),
        finishedAt: iso(i * 86_400_000 + Math.round(ms * share)),
      };
    });
    const job: CollectionRestoreJob = { ...common, id: "new", createdAt: iso(0), totalDocuments: DOCUMENTS };
    return collectionForecast(job, past, 0);
  });
}

/** One row of the polling table. */
export interface PollingRow {
  readonly label: string;
  readonly ms: number;
  readonly ours: Outcome;
  readonly previous: Outcome;
  readonly peers: readonly Outcome[];
  readonly lowerBoundOurs: Outcome;
  /** Flex restores forecast from the source's earlier restores. */
  readonly history: Outcome;
  readonly lowerBoundHistory: Outcome;
  /** Collection restores forecast from earlier ones, scaled by their documents. */
  readonly collectionHistory: Outcome;
  readonly lowerBoundCollectionHistory: Outcome;
}

/** Every row, plus the worst cases of a sweep from 5 min to 6 h (401 finish times per length). */
export async function polling() {
  const rows: PollingRow[] = [];
  for (const { label, ms } of LENGTHS) {
    const ours = meanOver(defaultSchedule, ms);
    const history = flexWithHistory(ms);
    const collectionHistory = collectionWithHistory(ms);
    const previous = meanOutcome(await Promise.all(finishTimes(ms).map((t, i) => previousOutcome(t, i + 1))));
    rows.push({
      label,
      ms,
      ours,
      previous,
      peers: PEERS.map((p) => meanOver(p.schedule, ms)),
      lowerBoundOurs: meanOver(lowerBound(ms, ours.calls), ms),
      history,
      lowerBoundHistory: meanOver(lowerBound(ms, history.calls), ms),
      collectionHistory,
      lowerBoundCollectionHistory: meanOver(lowerBound(ms, collectionHistory.calls), ms),
    });
  }
  let worstDelayMs = 0;
  let worstDelayAt = 0;
  let worstDelayOverSixty = -Infinity;
  let worstCallsOverSixty = -Infinity;
  let worstCallsAt = 0;
  let lengths = 0;
  for (let ms = 300_000; ms <= 21_600_000; ms = Math.min(21_600_000, Math.round(ms * 1.05))) {
    lengths++;
    const ours = meanOver(defaultSchedule, ms, 401);
    const sixty = meanOver(SIXTY_SECONDS, ms, 401);
    if (ours.delayMs > worstDelayMs) [worstDelayMs, worstDelayAt] = [ours.delayMs, ms];
    worstDelayOverSixty = Math.max(worstDelayOverSixty, ours.delayMs - sixty.delayMs);
    if (ms >= 1_800_000 && ours.calls - sixty.calls > worstCallsOverSixty) {
      [worstCallsOverSixty, worstCallsAt] = [ours.calls - sixty.calls, ms];
    }
    if (ms === 21_600_000) break;
  }
  const checksBefore = (schedule: PollSchedule, ms: number) => simulate(schedule, ms).calls - 1;
  return {
    rows,
    checksBefore4Min: {
      ours: checksBefore(defaultSchedule, 240_001),
      sixty: checksBefore(SIXTY_SECONDS, 240_001),
    },
    sweep: { lengths, worstDelayMs, worstDelayAt, worstDelayOverSixty, worstCallsOverSixty, worstCallsAt },
  };
}
