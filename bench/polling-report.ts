import { PEERS, type polling, type Worst } from "./polling";
import { atMost, s1, type Target } from "./targets";

/** What `polling()` returned, as results.json holds it. */
type Polling = ReturnType<typeof polling>;

const at = (ms: number) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : s1(ms));
const calls = (v: number) => `${v.toFixed(2)} calls`;

/** The three goals of one sweep with a forecast: mean, 95th percentile, calls against the reference. */
function sweepTargets(label: string, worst: Worst, limits = { meanMs: 10_000, p95Ms: 60_000 }): Target[] {
  const range = `${worst.lengths} lengths from ${at(worst.from)} to ${at(worst.to)}`;
  return [
    atMost(
      `${label}: mean delay ≤ ${s1(limits.meanMs)} at every length (${range}; worst at ${at(worst.meanAt)})`,
      worst.meanMs,
      limits.meanMs,
      s1,
    ),
    atMost(
      `${label}: 95th percentile of the delay ≤ ${s1(limits.p95Ms)} (worst at ${at(worst.p95At)})`,
      worst.p95Ms,
      limits.p95Ms,
      s1,
    ),
    atMost(
      `${label}: calls no more than Terraform's 30 s-then-60 s poller's at every length (most over, at ${at(worst.callsAt)})`,
      worst.callsOver,
      0,
      calls,
    ),
  ];
}

/** The polling targets, each with its figure. */
export function pollingTargets(p: Polling): Target[] {
  const { sweeps, settings } = p;
  const measure = `${settings.seeds} histories × ${settings.perSeed} finish times`;
  const offWorst = sweeps.off.reduce((a, b) => (b.worst.p95Ms > a.worst.p95Ms ? b : a));
  return [
    ...sweepTargets(
      `polling with a forecast from ${settings.earlier} earlier jobs (${measure})`,
      sweeps.history,
    ),
    atMost(
      `polling with a forecast: jobs under a minute noticed within 3 s on average (${sweeps.shortHistory.lengths} lengths from 3 s to 59 s; worst at ${at(sweeps.shortHistory.meanAt)})`,
      sweeps.shortHistory.meanMs,
      3_000,
      s1,
    ),
    atMost(
      `polling with a forecast off by ${sweeps.off.map((o) => `${o.factor}×`).join(", ")}: 95th percentile ≤ 120 s at every length (${offWorst.worst.lengths} lengths 10 % apart; worst: ${offWorst.factor}× at ${at(offWorst.worst.p95At)})`,
      offWorst.worst.p95Ms,
      120_000,
      s1,
    ),
    ...sweepTargets("the same with only 2 earlier jobs", sweeps.twoEarlier),
    ...sweepTargets("the same with 10 earlier jobs", sweeps.tenEarlier),
    atMost(
      `polling without a forecast: jobs under a minute noticed within 3 s on average (worst at ${at(sweeps.shortUnknown.meanAt)})`,
      sweeps.shortUnknown.meanMs,
      3_000,
      s1,
    ),
    ...sweepTargets("polling without any signal (first jobs of a source)", sweeps.unknown),
  ];
}

/** `mean / p95, calls` of one summary. */
const cell = (o: { calls: number; delayMs: number; p95DelayMs?: number }) =>
  `${s1(o.delayMs)}${o.p95DelayMs === undefined ? "" : ` / ${s1(o.p95DelayMs)}`}, ${o.calls.toFixed(1)}`;

/** The polling section of results.md. */
export function pollingSection(p: Polling): string[] {
  const { rows, settings, edge } = p;
  return [
    "## Polling (simulated time)",
    "",
    `Each cell: mean delay between the finish and the check that notices it / its 95th percentile, and the mean calls (GETs after the create), over ${settings.seeds} × ${settings.perSeed} finish times spread evenly over ±20 % of each length, shifted by a random fraction of a step so that none lines up with a poll period. _With a forecast_: ${settings.seeds} histories of ${settings.earlier} earlier jobs of the source, lengths spread like the job's own (Flex dates, collection \`createdAt\`/\`finishedAt\`, and for serverless and dedicated jobs \`finishedAt\` against the creation second in the job's ObjectId). _Lower bound_: a schedule that knows the window and spreads the same mean calls evenly in it.`,
    "",
    `| length | without a forecast | with a forecast | lower bound at its calls | previous poller | ${PEERS.map((peer) => peer.name).join(" | ")} |`,
    `| --- | --- | --- | --- | --- | ${PEERS.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${cell(r.unknown)} | ${cell(r.history)} | ${cell(r.lowerBoundHistory)} | ${cell(r.previous)} | ${r.peers.map(cell).join(" | ")} |`,
    ),
    "",
    "### Collection restores: the copy's progress",
    "",
    `A collection restore reports \`restoredDocuments\` of \`totalDocuments\`: two readings give the copy's pace, hence when the copy ends, before which the job cannot end; index builds follow. Simulated jobs spend 5–15 % of their length setting up and 10–30 % building indexes (drawn per job), ${settings.seeds} × ${settings.collectionPerSeed} finish times per length; each wait re-plans from every reading, as the lifecycle does.`,
    "",
    "| length | progress alone | progress and a forecast | Terraform's poller |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (r) => `| ${r.label} | ${cell(r.collection)} | ${cell(r.collectionHistory)} | ${cell(r.peers[2]!)} |`,
    ),
    "",
    "Without any signal (a source's first restores) no schedule can meet the 10 s mean with Terraform's calls: a job whose length is unknown may end at any moment, and for finish times spread evenly over a window, a mean delay of 10 s takes a check every 20 s in it, three times Terraform's pace everywhere. Such waits look often in the first minute (quick restores end there) and settle at one look a minute from about 5 minutes on, as Terraform's poller; that costs about 24 calls more than it over a whole wait.",
    "",
    `With a forecast, the goal for jobs under a minute (3 s) and the one for a minute and more (Terraform's calls) meet at the edge: a forecast cannot tell a ${s1(edge.ms)} job from a 1 min one, so a schedule keeping Terraform's ${edge.calls.toFixed(1)} calls at a minute makes about as many at ${s1(edge.ms)}, and even spread evenly over the window that knowing the length would give, those calls notice a ${s1(edge.ms)} job ${s1(edge.lowerBound.delayMs)} after its finish on average. The forecast's schedule keeps the calls and misses the 3 s there.`,
  ];
}
