/**
 * What a wait believes about how long its job runs: a probability distribution of the job's length
 * (ms since the job started), built from whatever Atlas says (earlier jobs of the source, the job's
 * own progress). Pure arithmetic; `schedule.ts` turns a belief into check times.
 *
 * The distribution is a mixture of log-logistic parts: lengths vary by a ratio rather than by a fixed
 * number of seconds, the log-logistic's survival and hazard have closed forms, and its tail is heavy
 * (a power law), so a job that runs late is never ruled out.
 */

/** One log-logistic part: `offsetMs` plus a length whose logarithm is logistic around `ln(medianMs)`. */
export interface LengthPart {
  /** Share of the whole belief, in (0, 1]; the shares add up to 1. */
  readonly weight: number;
  /** Time before which this part says the job cannot end, ms (0 unless progress pins a phase). */
  readonly offsetMs: number;
  /** Median of the length after the offset, ms. */
  readonly medianMs: number;
  /** Logistic scale of the length's logarithm: 0.1 is about ±18 % for 90 % of jobs. */
  readonly scale: number;
}

/** A belief about a job's length. */
export interface LengthBelief {
  readonly parts: readonly LengthPart[];
  /** How many earlier jobs or observations it rests on, for messages. */
  readonly basedOn: number;
  /** What it rests on, for messages: `earlier jobs` or `progress`. */
  readonly source: "history" | "progress";
  /** A time before which the job is known not to end (its copy still runs), ms since the start. */
  readonly notBeforeMs?: number;
}

/** Probability that a part's job is still running at `t` (ms since the start). */
function partSurvival(part: LengthPart, t: number): number {
  const x = t - part.offsetMs;
  if (x <= 0) return 1;
  return 1 / (1 + (x / part.medianMs) ** (1 / part.scale));
}

/** Density of a part's finish at `t`, per ms. */
function partDensity(part: LengthPart, t: number): number {
  const x = t - part.offsetMs;
  if (x <= 0) return 0;
  const r = (x / part.medianMs) ** (1 / part.scale);
  return r / (part.scale * x * (1 + r) ** 2);
}

function rawSurvival(belief: LengthBelief, t: number): number {
  return belief.parts.reduce((sum, p) => sum + p.weight * partSurvival(p, t), 0);
}

/** Probability that the job is still running at `t` (ms since its start). */
export function survival(belief: LengthBelief, t: number): number {
  const floor = belief.notBeforeMs ?? 0;
  if (t <= floor) return 1;
  const base = floor > 0 ? rawSurvival(belief, floor) : 1;
  return base > 0 ? Math.min(1, rawSurvival(belief, t) / base) : 0;
}

/**
 * Chance per ms that a job still running at `t` ends right then. Where the belief leaves no chance
 * at all (far in its tail, beyond floating point), the last part's own tail answers: that job is
 * late, not finished.
 */
export function hazard(belief: LengthBelief, t: number): number {
  if (t < (belief.notBeforeMs ?? 0)) return 0;
  let alive = 0;
  let density = 0;
  for (const p of belief.parts) {
    alive += p.weight * partSurvival(p, t);
    density += p.weight * partDensity(p, t);
  }
  if (alive > 1e-12) return density / alive;
  const heaviest = belief.parts.reduce((a, b) => (b.scale > a.scale ? b : a));
  return 1 / (heaviest.scale * Math.max(1, t - heaviest.offsetMs));
}

/** The length by which a share `p` of such jobs have ended, ms (bisection on the survival). */
export function quantile(belief: LengthBelief, p: number): number {
  let low = 0;
  let high = Math.max(...belief.parts.map((part) => part.offsetMs + part.medianMs)) * 2 + 1;
  while (1 - survival(belief, high) < p) high *= 2;
  for (let i = 0; i < 60 && high - low > 1; i++) {
    const mid = (low + high) / 2;
    if (1 - survival(belief, mid) < p) low = mid;
    else high = mid;
  }
  return high;
}

/** Median length of the belief, ms. */
export function medianOf(belief: LengthBelief): number {
  return quantile(belief, 0.5);
}

/** Logistic scale of a standard deviation: a logistic's is `scale × π / √3`. */
const SCALE_PER_SD = Math.sqrt(3) / Math.PI;

/**
 * How much restore lengths of one source vary, as a standard deviation of their logarithm, before
 * any are seen: about ±25 %. Its weight (in earlier jobs) keeps two alike jobs from making a belief
 * sure of itself.
 */
const PRIOR_LOG_SD = 0.15;
const PRIOR_WEIGHT = 1;

/** Fewest earlier jobs a belief rests on: one could be an outlier. */
export const MIN_HISTORY = 2;

/**
 * The belief that earlier lengths (ms) give about the next one: centred on their geometric mean,
 * spread as they are, plus the prior's spread, widened for a small sample (the next job varies
 * around the true centre, which the sample only estimates). Undefined below {@link MIN_HISTORY}.
 */
export function beliefFromLengths(lengths: readonly number[]): LengthBelief | undefined {
  const logs = lengths.filter((ms) => Number.isFinite(ms) && ms > 0).map(Math.log);
  const n = logs.length;
  if (n < MIN_HISTORY) return undefined;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const squares = logs.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  const variance = (squares + PRIOR_WEIGHT * PRIOR_LOG_SD ** 2) / (n - 1 + PRIOR_WEIGHT);
  const predictiveSd = Math.sqrt(variance * (1 + 1 / n));
  return {
    parts: [{ weight: 1, offsetMs: 0, medianMs: Math.exp(mean), scale: predictiveSd * SCALE_PER_SD }],
    basedOn: n,
    source: "history",
  };
}

/** A single-part belief's median and 5 % and 95 % quantiles, as a forecast records them. */
export interface LengthRange {
  readonly expectedMs: number;
  readonly lowMs: number;
  readonly highMs: number;
  readonly basedOn: number;
}

/** `ln(19)`: a logistic's 95 % quantile lies this many scales above its median. */
const LN19 = Math.log(19);

/** The median and 90 % range of a belief, ms, rounded. */
export function rangeOf(belief: LengthBelief): LengthRange {
  return {
    expectedMs: Math.round(medianOf(belief)),
    lowMs: Math.round(quantile(belief, 0.05)),
    highMs: Math.round(quantile(belief, 0.95)),
    basedOn: belief.basedOn,
  };
}

/**
 * The belief a recorded range stands for: log-logistic around `expectedMs` with the spread its 90 %
 * range says (the wider side counts, so a lopsided range is never read as surer than it is).
 */
export function beliefFromRange(range: LengthRange): LengthBelief {
  const median = Math.max(1, range.expectedMs);
  const low = Math.min(median, Math.max(1, range.lowMs));
  const high = Math.max(median, range.highMs);
  const spread = Math.max(Math.log(median / low), Math.log(high / median));
  return {
    parts: [{ weight: 1, offsetMs: 0, medianMs: median, scale: Math.max(MIN_SCALE, spread / LN19) }],
    basedOn: range.basedOn,
    source: "history",
  };
}

/** Narrowest spread a belief takes: no restore repeats its length to within a percent. */
export const MIN_SCALE = 0.01;
