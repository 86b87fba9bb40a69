import { beliefFromRange, type LengthBelief, medianOf } from "./belief";
import type { Forecast } from "./forecast";
import {
  type BeliefPlan,
  GEOMETRIC_FACTOR,
  geometricSchedule,
  nextCheck,
  planFor,
  type PollSchedule,
  type PollSettings,
  unknownLengthSchedule,
} from "./schedule";
import { copyBelief, type CopyReading, copyReading, jobStart } from "./signals";

/**
 * One wait's plan: the belief about the job's length from every signal at hand (the starter's
 * forecast from earlier jobs of the source, the job's own start, a collection restore's copy), the
 * check times around it, and a new plan whenever a reading moves the belief.
 */

/** What the plan expects, for progress lines. */
export interface Expectation {
  /** When the job should end (epoch ms): the belief's median. */
  readonly endsAtMs: number;
  /** What says so. */
  readonly basis: "earlier jobs" | "its progress";
  /** How many earlier jobs or readings. */
  readonly basedOn: number;
}

/** A wait's plan (see {@link waitPlan}). */
export interface WaitPlan {
  /** When the job started, epoch ms: schedules count from here, so a resumed wait keeps the plan. */
  readonly startedAtMs: number;
  /** The schedule to hand `pollUntil`, with `startedAtMs`. */
  readonly schedule: PollSchedule;
  /** Takes in what a check read (the kind's outputs) at `nowMs`, re-planning when it moves the belief. */
  observe(job: Readonly<Record<string, unknown>>, nowMs: number): void;
  /** When the job should end and why, or undefined when nothing predicts it. */
  expectation(): Expectation | undefined;
}

/** Share of the time left that a new belief's median must move by before the checks are re-planned. */
const REPLAN_SHIFT = 0.02;

/**
 * The plan of one wait, from the poll settings, the starter's forecast (if any), the job as last
 * read, and the time now. Geometric settings (`pollMinDelayMs`/`pollMaxDelayMs`) win over every signal.
 */
export function waitPlan(options: {
  readonly settings: PollSettings;
  readonly forecast?: Forecast;
  readonly job: Readonly<Record<string, unknown>>;
  readonly nowMs: number;
}): WaitPlan {
  const { settings, forecast, job, nowMs } = options;
  const startedAtMs = Math.min(nowMs, forecast?.startedAt ?? jobStart(job, nowMs) ?? nowMs);
  const history = forecast && beliefFromRange(forecast);
  const readings: CopyReading[] = [];
  let belief: LengthBelief | undefined = history;
  let plan: BeliefPlan | undefined;
  let plannedMedian: number | undefined;

  const replan = (next: LengthBelief | undefined, elapsedMs: number) => {
    if (next === undefined) return;
    const median = medianOf(next);
    const moved =
      plannedMedian === undefined ||
      next.source !== belief?.source ||
      Math.abs(median - plannedMedian) > REPLAN_SHIFT * Math.max(1, plannedMedian - elapsedMs);
    const keepPrice = plan !== undefined && next.source === belief?.source;
    belief = next;
    if (!moved && plan !== undefined) return;
    plan = planFor(next, elapsedMs, keepPrice ? plan?.callPriceMs : undefined);
    plannedMedian = median;
  };

  const observe = (read: Readonly<Record<string, unknown>>, atMs: number) => {
    const elapsedMs = Math.max(0, atMs - startedAtMs);
    const reading = copyReading(read, elapsedMs);
    if (reading === undefined) return;
    readings.push(reading);
    replan(copyBelief(readings, history) ?? belief, elapsedMs);
  };
  observe(job, nowMs);

  const schedule: PollSchedule =
    settings.mode !== "planned"
      ? geometricSchedule({ ...settings, factor: GEOMETRIC_FACTOR })
      : (state) => {
          if (plan === undefined && belief !== undefined) replan(belief, state.elapsedMs);
          if (plan === undefined) return unknownLengthSchedule(state);
          return Math.max(1, Math.ceil(nextCheck(plan, state.elapsedMs) - state.elapsedMs));
        };

  return {
    startedAtMs,
    schedule,
    observe,
    expectation: () =>
      belief && {
        endsAtMs: Math.round(startedAtMs + medianOf(belief)),
        basis: belief.source === "progress" ? "its progress" : "earlier jobs",
        basedOn: belief.basedOn,
      },
  };
}
