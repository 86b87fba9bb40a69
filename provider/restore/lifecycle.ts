import { formatDecodeErrors } from "../atlas/decode-report";
import { AtlasApiError, AtlasDecodeError } from "../atlas/errors";
import type { Clock } from "../waiting/clock";
import { type Forecast, forecastOf } from "../waiting/forecast";
import { type PollResult, pollUntil } from "../waiting/poll";
import { lineDue, progressFacts, progressMessage, untilLineDue } from "../waiting/progress";
import { waitPlan } from "../waiting/wait-plan";
import { isTransient } from "./at-most-once";
import { PollAbortedError, PollTimeoutError, RestoreJobFailedError } from "./errors";
import { diffInputs, type DiffRules } from "./input-diff";
import type { Failure } from "./input-fields";
import { classifyStatus } from "./job-status";
import { intentKey, journalContext, ownerKey, stateHolds } from "./journal";
import { byInputNotFound, failureOf, prefixed } from "./messages";
import { type RecordCompletions, recordLifecycle, waitForTarget } from "./record";
import type {
  CommonInputs,
  JobOutputs,
  Lifecycle,
  RestoreJobSpec,
  RestoreLifecycles,
  Session,
  StartContext,
  Started,
  WaitOutcome,
} from "./types";

export { formatDuration } from "../waiting/progress";

/**
 * Inputs the resource classes add beside the user's: the resource's name for messages, who owns the
 * restore (`<project>/<stack>/<name>`), and (for the wait) the job the starter started. The kinds'
 * checks never see them.
 */
export const INTERNAL_INPUTS = ["resourceName", "owner", "job"] as const;

/**
 * The job's fields the starter keeps beside its inputs: which API and kind own the job and the
 * snapshot decisions (what `fetch` needs), and the forecast it hands the wait. What Atlas reports of
 * the job is the restore's record, the resource the program registers once the wait ends.
 */
const STARTER_OUTPUTS = ["restoreJobId", "api", "kind", "snapshotId", "snapshotSource", "forecast"];

/**
 * What the wait receives from the starter: the job, the decisions `fetch` keeps, and when the job
 * should finish (from the source's earlier jobs, for kinds whose API reports their start and finish).
 */
export interface StartedJob {
  readonly restoreJobId: string;
  readonly api?: string;
  readonly snapshotId?: string;
  readonly snapshotSource?: string;
  readonly forecast?: Forecast;
}

/** The fields of {@link StartedJob}, as the resource reads them from its recorded outputs. */
export const STARTED_JOB_FIELDS = [
  "restoreJobId",
  "api",
  "snapshotId",
  "snapshotSource",
  "forecast",
] as const;

/**
 * The lifecycle shared by every kind of restore job. The starter, a dynamic resource, starts or adopts
 * the job and returns at once, so that the engine checkpoints the job id about a second after Atlas
 * answers; it refreshes, and deleting it forgets the job (kinds whose API can cancel wrap `delete`).
 * The wait runs in the program once the starter is recorded, on every `up`, and never throws: its
 * outcome goes to the restore's record (see `record.ts`, with what `completions` complete there),
 * which fails the step when the restore is not done. A wait that failed or was cut short runs again
 * on the next `up`, against the same job.
 */
export function createLifecycles<I extends CommonInputs>(
  spec: RestoreJobSpec<I>,
  session: () => Session,
  clock: Clock,
  completions: RecordCompletions = {},
): RestoreLifecycles {
  const decodeInputs = (raw: Record<string, unknown>): I => {
    const result = spec.inputs.decode(userInputs(raw));
    if (result._tag === "Left")
      throw new AtlasDecodeError(`${spec.noun} inputs`, formatDecodeErrors(result.left));
    return result.right;
  };
  /**
   * The inputs as `check` completes them, for the program, which holds the user's values as given
   * (the starter's `check` already refused bad ones at preview).
   */
  const checkedInputs = (raw: Record<string, unknown>): { inputs: I; checked: Record<string, unknown> } => {
    const { inputs, failures } = spec.check(userInputs(raw), Math.floor(clock.now() / 1000));
    const failure = failures[0];
    if (failure) throw new Error(`${spec.noun} inputs: ${failure.property}: ${failure.reason}`);
    return { inputs: decodeInputs(inputs), checked: inputs };
  };

  /** The session, its messages prefixed with the resource's name (progress shows under the stack). */
  const scoped = (raw: Record<string, unknown>): Session => {
    const s = session();
    const name = typeof raw.resourceName === "string" ? raw.resourceName : undefined;
    return name === undefined ? s : { ...s, log: prefixed(s.log, name) };
  };

  const rules = spec.diffRules;
  /** The key of what a resource restores, from new inputs or (with `fromOutputs`) old outputs. */
  const intentOf = (raw: Record<string, unknown>, fromOutputs = false): string =>
    intentKey(
      spec.noun,
      Object.fromEntries(
        rules.replaceOnChange.map((k) => [
          k,
          fromOutputs && rules.oldInput ? rules.oldInput(k, raw) : raw[k],
        ]),
      ),
    );
  /**
   * The journal key of a resource: its owner, so that two stacks restoring the same data into one
   * target never share an entry; what it restores, in states written before resources had an owner.
   */
  const keyOf = (raw: Record<string, unknown>, fromOutputs = false): string =>
    typeof raw.owner === "string" ? ownerKey(spec.noun, raw.owner) : intentOf(raw, fromOutputs);
  /** State holds the job now: the attempt that started it has done its work (see `stateHolds`). */
  const forget = (s: Session, raw: Record<string, unknown>, fromOutputs: boolean) =>
    stateHolds(s.journal, keyOf(raw, fromOutputs), jobIdOf(raw), s.clock.now());
  /**
   * The same from `diff`, which also runs at preview: without credentials there is no session yet,
   * and the entry then simply expires.
   */
  const forgetIfConfigured = (raw: Record<string, unknown>) => {
    let s: Session;
    try {
      s = session();
    } catch {
      return;
    }
    forget(s, raw, true);
  };

  const check: Lifecycle["check"] = async (_olds, news) => {
    if (news === null || typeof news !== "object" || Array.isArray(news))
      return { inputs: {}, failures: [{ property: "", reason: "inputs: expected an object" }] };
    const internal = Object.fromEntries(INTERNAL_INPUTS.filter((k) => k in news).map((k) => [k, news[k]]));
    const { inputs, failures } = spec.check(userInputs(news), Math.floor(clock.now() / 1000));
    return {
      inputs: { ...inputs, ...internal, __provider: news.__provider },
      failures: failures.map(withoutValueEcho),
    };
  };

  const refresh = async (s: Session, id: string, props: Record<string, unknown>) => {
    try {
      const outs = await spec.fetch(s, decodeInputs(props), { ...props, restoreJobId: id } as JobOutputs);
      return { id, props: { ...props, ...outs } };
    } catch (error) {
      // The job is gone from Atlas: returning no id removes it from state.
      if (error instanceof AtlasApiError && error.status === 404) return {};
      throw error;
    }
  };

  const start: Lifecycle = {
    check,

    async diff(_id, olds, news) {
      forgetIfConfigured(olds);
      return diffInputs(olds, news, { ...rules, updateOnChange: [] });
    },

    async create(raw) {
      const inputs = decodeInputs(raw);
      const s = scoped(raw);
      const context = journalContext(s.journal, keyOf(raw), intentOf(raw), s.clock.now(), raw.triggers);
      const started = await startOrAdopt(s, spec, inputs, context).catch((error: unknown) => {
        throw byInputNotFound(error, userInputs(raw));
      });
      // No wait here: returning now lets the engine write the job id to state.
      const forecast = started.forecast ? { forecast: started.forecast } : {};
      const outs = { ...started.outs, ...internalOf(raw), ...forecast };
      return { id: started.outs.restoreJobId, outs: starterState(outs, inputs) };
    },

    async update(_id, olds, news) {
      // Only the provider's code or settings changed (anything else replaces): no Atlas call.
      forget(session(), olds, true);
      const outs = { ...olds, ...inputsOf(news, rules), ...internalOf(news) };
      return { outs: starterState(outs, decodeInputs(news)) };
    },

    async read(id, props) {
      const s = session();
      forget(s, props, true);
      const result = await refresh(s, id, props);
      return result.props ? { id, props: starterState(result.props, decodeInputs(props)) } : result;
    },

    async delete(id, props) {
      // No read: what the job did is the record's; a stack holding many finished restores destroys
      // without a call to Atlas.
      const s = scoped(props);
      forget(s, props, true);
      s.log.info(`${spec.noun} forgotten; Atlas keeps its record, and a job still running goes on: ${id}`);
    },
  };

  /** The outcome of a job read once that needs no more waiting: ended, or not waited for. */
  const ended = (inputs: I, outs: JobOutputs): WaitOutcome => {
    if (outs.status === "RUNNING" || (outs.status === "EXPIRED" && outs.finishedAt !== undefined)) {
      // Not waited for (`waitForCompletion: false`), or a download that did what it was asked and
      // whose links later expired.
      return { outs };
    }
    if (outs.status !== "COMPLETED") {
      return { outs, failure: failureOf(new RestoreJobFailedError(outs.restoreJobId, outs.status)) };
    }
    const target = inputs.waitForTarget ? spec.target(inputs, outs) : undefined;
    return target ? { outs, target: { ...target, waitSeconds: inputs.waitTimeoutSeconds } } : { outs };
  };

  /** Waits as asked; what stops the wait is the outcome's `failure`, never a throw. */
  const settle = async (s: Session, inputs: I, outs: JobOutputs): Promise<WaitOutcome> => {
    let last = outs;
    try {
      // What state holds may be old (recorded by an earlier `up`): look first.
      last = { ...last, ...(await readOnce(s, spec, inputs, last)) };
      if (last.status !== "RUNNING")
        s.log.info(`${spec.noun} ${last.restoreJobId}: ${last.status}, read again`);
      if (last.status !== "RUNNING" || !inputs.waitForCompletion) return ended(inputs, last);
      const result = await waitForJob(s, spec, inputs, last);
      last = result.value ?? last;
      if (result.state !== "SUCCESS") return { outs: last, failure: failureOf(toPollError(result, last)) };
      const outcome = ended(inputs, last);
      if (!outcome.target) return outcome;
      // The job ended during this wait: its target is waited for here too, so that the record's create,
      // an engine step, holds none of the engine's parallel steps while a target is busy.
      await waitForTarget(s, outcome.target, outcome.target.waitSeconds * 1000);
      return { ...outcome, targetReady: true };
    } catch (error) {
      return { outs: last, failure: failureOf(error) };
    }
  };

  /**
   * Reads the job the starter recorded once, as the kind maps it, quietly: a preview's or a refresh's
   * look prints no progress.
   */
  const fetchJob = async (raw: Record<string, unknown>): Promise<JobOutputs> => {
    const job = startedJob(raw);
    const quiet = { ...session(), log: { info: () => undefined, warn: () => undefined } };
    return { ...job, ...(await spec.fetch(quiet, checkedInputs(raw).inputs, job)) };
  };

  /** The job the starter recorded, as the wait starts from it. */
  const startedJob = (raw: Record<string, unknown>): JobOutputs => {
    const { forecast: _planned, ...job } = raw.job as StartedJob;
    return { ...userInputs(raw), ...job, ...internalOf(raw), status: "RUNNING" } as JobOutputs;
  };

  return {
    start,
    record: recordLifecycle(session, (source) => fetchJob(source.raw), completions),
    secretOutputs: spec.secretOutputs,

    async wait(raw, log) {
      const job = startedJob(raw);
      try {
        const { inputs, checked } = checkedInputs(raw);
        const s = log ? { ...session(), log } : scoped(raw);
        // This runs only once the engine recorded the starter, job id included.
        forget(s, { ...checked, ...internalOf(raw) }, false);
        return await settle(s, inputs, job);
      } catch (error) {
        return { outs: job, failure: failureOf(error) };
      }
    },

    async peek(raw) {
      try {
        const outs = await fetchJob(raw);
        return outs.status === "RUNNING" ? undefined : ended(checkedInputs(raw).inputs, outs);
      } catch {
        // A preview that cannot read the job says what it cannot know: the outcome is unknown.
        return undefined;
      }
    },

    fetch: fetchJob,
  };
}

/** Adopts the job a user named; otherwise starts one at most once (or adopts an earlier attempt's). */
async function startOrAdopt<I extends CommonInputs>(
  s: Session,
  spec: RestoreJobSpec<I>,
  inputs: I,
  context: StartContext,
): Promise<Started> {
  if (inputs.existingRestoreJobId !== undefined) {
    const outs = await spec.adopt(s, inputs, inputs.existingRestoreJobId);
    s.log.info(`${spec.noun} adopted (${outs.status}): ${outs.restoreJobId}`);
    return { outs, how: "existing" };
  }
  const started = await spec.start(s, inputs, context);
  if (started.how === "started") {
    s.log.info(
      started.jobNoun === undefined
        ? `${spec.noun} started: ${started.outs.restoreJobId}`
        : `${started.jobNoun} started in place of a ${spec.noun}: ${started.outs.restoreJobId}`,
    );
  }
  return started;
}

/**
 * Reads the job once. A passing failure (network, 5xx, 429) leaves what state holds: the wait looks
 * again, and without a wait the job stays as recorded until the next refresh.
 */
async function readOnce<I extends CommonInputs>(
  s: Session,
  spec: RestoreJobSpec<I>,
  inputs: I,
  recorded: JobOutputs,
): Promise<JobOutputs> {
  try {
    return await spec.fetch(s, inputs, recorded);
  } catch (error) {
    if (!isTransient(error)) throw error;
    return recorded;
  }
}

/** Polls a job until it ends or the resource's wait timeout passes, printing progress. */
async function waitForJob<I extends CommonInputs>(
  s: Session,
  spec: RestoreJobSpec<I>,
  inputs: I,
  outs: JobOutputs,
): Promise<PollResult<JobOutputs>> {
  let last = outs;
  let lastLine: number | undefined;
  let lastStatus = outs.status;
  // Every signal at hand: the starter's forecast, the job's own start, a collection restore's copy.
  const plan = waitPlan({
    settings: s.poll,
    forecast: forecastOf((outs.job as StartedJob | undefined)?.forecast),
    job: outs,
    nowMs: s.clock.now(),
  });
  const say = (job: JobOutputs, untilCheckMs?: number) => {
    lastLine = s.clock.now();
    s.log.info(progressMessage(progressFacts(spec.noun, job, plan, s.clock.now(), untilCheckMs)));
  };
  say(outs);
  return pollUntil({
    // A poll that fails for a passing reason (network, 5xx, 429) is just another "still running".
    check: async () => {
      try {
        last = await spec.fetch(s, inputs, outs);
      } catch (error) {
        if (!isTransient(error)) throw error;
        s.log.info(
          `could not read ${spec.noun} ${outs.restoreJobId}, trying again: ${(error as Error).message}`,
        );
      }
      return last;
    },
    classify: (job) => classifyStatus(job.status),
    clock: s.clock,
    schedule: plan.schedule,
    startedAtMs: plan.startedAtMs,
    maxWaitMs: inputs.waitTimeoutSeconds * 1000,
    checkFirst: false,
    onCheck: (job) => {
      plan.observe(job, s.clock.now());
      if (lineDue(lastLine, s.clock.now(), job.status !== lastStatus)) say(job);
      lastStatus = job.status;
    },
    progress: {
      dueInMs: () => untilLineDue(lastLine, s.clock.now()),
      report: (_, until) => say(last, until),
    },
  });
}

/**
 * For a failure that names a property the engine prints `property X value {…} has a problem`, echoing
 * whatever the user passed, perhaps a secret pasted into the wrong field. A failure without a
 * property prints only its reason, so the property goes into the reason instead.
 */
export function withoutValueEcho(failure: Failure): Failure {
  return { property: "", reason: `${failure.property}: ${failure.reason}` };
}

/** Turns a wait that did not succeed into the error users see. */
export function toPollError(result: PollResult<JobOutputs>, last: JobOutputs): Error {
  switch (result.state) {
    case "FAILURE":
      return new RestoreJobFailedError(last.restoreJobId, last.status);
    case "TIMEOUT":
      return new PollTimeoutError(last.restoreJobId, result.elapsedMs);
    case "ABORTED":
      return new PollAbortedError(last.restoreJobId);
    case "SUCCESS":
      throw new Error("a successful wait is not an error");
  }
}

/**
 * What the starter records: the provider, its inputs (as its outputs report them, which `diff`
 * compares) and {@link STARTER_OUTPUTS}; state written by version 0.1 or by a refresh sheds the rest.
 */
function starterState(outs: Record<string, unknown>, inputs: object): Record<string, unknown> {
  const keep = new Set<string>([
    "__provider",
    ...INTERNAL_INPUTS,
    ...STARTER_OUTPUTS,
    ...Object.keys(inputs),
  ]);
  return {
    ...withNulls(STARTED_JOB_FIELDS),
    ...Object.fromEntries(Object.entries(outs).filter(([key]) => keep.has(key))),
  };
}

/**
 * Every key given, null: a resource's outputs name each field they have, even one Atlas left out,
 * because the SDK takes an output missing from state as unknown at preview (and a preview of an
 * unchanged stack would then show changes).
 */
export function withNulls(keys: readonly string[]): Record<string, null> {
  return Object.fromEntries(keys.map((key) => [key, null]));
}

/** The user's inputs among outputs or new inputs, minus the provider and the internal inputs. */
function inputsOf(raw: Record<string, unknown>, rules: DiffRules): Record<string, unknown> {
  const keys = [...rules.replaceOnChange, ...rules.updateOnChange];
  return Object.fromEntries(keys.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]));
}

/** The job a starter's state or a wait's inputs hold. */
function jobIdOf(raw: Record<string, unknown>): string | undefined {
  const id = raw.restoreJobId ?? (raw.job as StartedJob | undefined)?.restoreJobId;
  return typeof id === "string" ? id : undefined;
}

function internalOf(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(INTERNAL_INPUTS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

/** What the user gave: the raw inputs without the provider and the internal inputs. */
function userInputs(raw: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...raw };
  for (const key of ["__provider", ...INTERNAL_INPUTS]) delete rest[key];
  return rest;
}
