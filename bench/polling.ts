import { seededRandom } from "../emulator/faults";
import { pollDefaults, pollUntil } from "../provider/waiting/poll";

/**
 * Polling efficiency in simulated time: the provider's real poller, driven by a fake clock, against
 * the fixed-interval pollers of other Atlas tools. Figures are averaged over finish times spread
 * ±20 % around each nominal duration, so that no poller looks perfect by happening to align with it.
 */

/** A fixed-interval poller: first check after `firstMs`, then every `everyMs`. */
export interface FixedPoller {
  readonly name: string;
  readonly firstMs: number;
  readonly everyMs: number;
}

/** The peers, as their sources describe them. */
export const PEERS: readonly FixedPoller[] = [
  { name: "Atlas CLI `backups restores watch` (4 s)", firstMs: 4_000, everyMs: 4_000 },
  { name: "`atlas api … --watch` (1 s)", firstMs: 1_000, everyMs: 1_000 },
  { name: "CloudFormation restore resource (30 s)", firstMs: 30_000, everyMs: 30_000 },
  { name: "Terraform restore resource (30 s, then 60 s)", firstMs: 30_000, everyMs: 60_000 },
];

/** Calls and detection delay of one poller for one finish time. */
export interface Outcome {
  readonly calls: number;
  readonly delayMs: number;
}

/** A fixed poller's checks until the first one at or after the finish. */
export function fixedOutcome(poller: FixedPoller, finishMs: number): Outcome {
  const k = Math.max(0, Math.ceil((finishMs - poller.firstMs) / poller.everyMs));
  const detectedAt = poller.firstMs + k * poller.everyMs;
  return { calls: k + 1, delayMs: detectedAt - finishMs };
}

/** The provider's poller (the real `pollUntil`) on a simulated clock, with seeded jitter. */
export async function providerOutcome(
  finishMs: number,
  seed: number,
  settings: { minDelayMs: number; maxDelayMs: number; factor: number } = pollDefaults,
): Promise<Outcome> {
  let now = 0;
  let calls = 0;
  const random = seededRandom(seed);
  const result = await pollUntil({
    check: async () => {
      calls++;
      return now >= finishMs;
    },
    classify: (done) => (done ? "SUCCESS" : "RETRY"),
    clock: { now: () => now, sleep: async (ms) => void (now += ms), random },
    ...settings,
    maxWaitMs: 10 * finishMs + 3_600_000,
    checkFirst: false,
  });
  if (result.state !== "SUCCESS") throw new Error(`simulated wait ended ${result.state}`);
  return { calls, delayMs: now - finishMs };
}

/** Finish times spread evenly over ±20 % of a nominal duration. */
export function finishTimes(nominalMs: number, count = 41): number[] {
  return Array.from({ length: count }, (_, i) => nominalMs * (0.8 + (0.4 * i) / (count - 1)));
}

/** Mean calls and mean detection delay over many finish times. */
export function mean(outcomes: readonly Outcome[]): Outcome {
  const sum = outcomes.reduce((a, o) => ({ calls: a.calls + o.calls, delayMs: a.delayMs + o.delayMs }), {
    calls: 0,
    delayMs: 0,
  });
  return { calls: sum.calls / outcomes.length, delayMs: sum.delayMs / outcomes.length };
}
