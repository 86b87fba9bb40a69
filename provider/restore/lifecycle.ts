import { formatDecodeErrors } from "../atlas/decode-report";
import { AtlasApiError, AtlasDecodeError } from "../atlas/errors";
import type { Clock } from "../waiting/clock";
import { type PollResult, pollUntil } from "../waiting/poll";
import { isTransient } from "./at-most-once";
import {
  PollAbortedError,
  PollTimeoutError,
  RestoreJobFailedError,
  RestoreJobIncompleteError,
  TargetNotReadyError,
} from "./errors";
import { diffInputs, type DiffRules } from "./input-diff";
import type { Failure } from "./input-fields";
import { classifyStatus } from "./job-status";
import { intentKey } from "./journal";
import type { CommonInputs, JobOutputs, Lifecycle, RestoreJobSpec, Session } from "./types";

/** How often, at most, to print "still running" while waiting. */
const PROGRESS_EVERY_MS = 30_000;

/**
 * The resource lifecycle shared by every kind of restore job: validate, start or adopt, wait with
 * progress, wait for the target to be usable, record the job even when a wait fails, resume, refresh,
 * and forget on delete (Atlas has no cancel for these jobs).
 */
export function createLifecycle<I extends CommonInputs>(
  spec: RestoreJobSpec<I>,
  session: () => Session,
  clock: Clock,
): Lifecycle {
  const decodeInputs = (raw: Record<string, unknown>): I => {
    const result = spec.inputs.decode(withoutProvider(raw));
    if (result._tag === "Left")
      throw new AtlasDecodeError(`${spec.noun} inputs`, formatDecodeErrors(result.left));
    return result.right;
  };

  const forState = (outs: JobOutputs, provider: unknown): Record<string, unknown> => {
    const state: Record<string, unknown> = { ...outs, __provider: provider };
    for (const key of spec.secretOutputs) delete state[key];
    return state;
  };

  /** Adopts the job a user named, or one a killed run left behind; otherwise starts one. */
  const startOrAdopt = async (s: Session, inputs: I, key: string): Promise<JobOutputs> => {
    if (inputs.existingRestoreJobId !== undefined) {
      const outs = await spec.adopt(s, inputs, inputs.existingRestoreJobId);
      s.log.info(`${spec.noun} adopted (${outs.status}): ${outs.restoreJobId}`);
      return outs;
    }
    const pending = s.journal.get(key);
    if (pending?.jobId !== undefined) {
      try {
        const outs = await spec.adopt(s, inputs, pending.jobId);
        s.log.warn(
          `an earlier run started this restore and stopped before recording it; adopting it: ${pending.jobId}`,
        );
        return outs;
      } catch (error) {
        if (!(error instanceof AtlasApiError && error.status === 404)) throw error;
      }
    }
    const outs = await spec.start(s, inputs, { pending, remember: (intent) => s.journal.put(key, intent) });
    s.log.info(`${spec.noun} started: ${outs.restoreJobId}`);
    return outs;
  };

  /** Waits as asked and returns the final outputs, or throws an error that records the job. */
  const settle = async (s: Session, inputs: I, outs: JobOutputs, provider: unknown): Promise<JobOutputs> => {
    let last = outs;
    try {
      if (last.status === "RUNNING" && inputs.waitForCompletion) {
        const result = await waitForJob(s, spec, inputs, last);
        last = result.value ?? last;
        if (result.state !== "SUCCESS") throw toPollError(result, last);
      }
      if (last.status === "RUNNING") return last;
      if (last.status !== "COMPLETED") throw new RestoreJobFailedError(last.restoreJobId, last.status);
      if (inputs.waitForTarget && !last.targetReady) {
        const target = spec.target(s, inputs, last);
        if (target) {
          await waitForTarget(s, target, inputs.waitTimeoutSeconds * 1000);
          last = { ...last, targetReady: true };
        }
      }
      return last;
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      throw new RestoreJobIncompleteError(last.restoreJobId, forState(last, provider), cause, hintFor(cause));
    }
  };

  return {
    async check(_olds, news) {
      const { inputs, failures } = spec.check(withoutProvider(news), Math.floor(clock.now() / 1000));
      return { inputs: { ...inputs, __provider: news.__provider }, failures: failures.map(withoutValueEcho) };
    },

    async diff(_id, olds, news) {
      return diffInputs(olds, news, spec.diffRules);
    },

    async create(raw) {
      const inputs = decodeInputs(raw);
      const s = session();
      const key = intentKey(spec.noun, pick(raw, spec.diffRules.replaceOnChange));
      const outs = await startOrAdopt(s, inputs, key);
      try {
        return { id: outs.restoreJobId, outs: await settle(s, inputs, outs, raw.__provider) };
      } finally {
        // From here on state holds the job, partial or complete: the journal's entry has done its work.
        s.journal.delete(key);
      }
    },

    async update(id, olds, news) {
      const inputs = decodeInputs(news);
      const previous = { ...olds, restoreJobId: id } as JobOutputs;
      const s = session();
      // A job recorded while still running (an earlier wait failed, timed out or was not asked for):
      // look at it again and keep waiting. Never start another restore here.
      const current = previous.status === "RUNNING" ? await spec.fetch(s, inputs, previous) : previous;
      if (current.status === "RUNNING" && inputs.waitForCompletion)
        s.log.info(`resuming wait for ${spec.noun}: ${id}`);
      const outs = { ...current, ...inputsOf(news, spec.diffRules) } as JobOutputs;
      return { outs: await settle(s, inputs, outs, news.__provider) };
    },

    async read(id, props) {
      const inputs = decodeInputs(props);
      try {
        const outs = await spec.fetch(session(), inputs, { ...props, restoreJobId: id } as JobOutputs);
        return { id, props: { ...outs, ...(props.targetReady === true ? { targetReady: true } : {}) } };
      } catch (error) {
        // The job is gone from Atlas: returning no id removes it from state.
        if (error instanceof AtlasApiError && error.status === 404) return {};
        throw error;
      }
    },

    async delete(id, props) {
      const s = session();
      let status = props.status;
      if (status === "RUNNING") {
        try {
          status = (await spec.fetch(s, decodeInputs(props), { ...props, restoreJobId: id } as JobOutputs))
            .status;
        } catch {
          // Deleting only forgets the job; not being able to look at it must not block that.
        }
      }
      if (status === "RUNNING") {
        s.log.warn(
          `${spec.noun} is still running in Atlas, which cannot cancel it; this stack no longer tracks it: ${id}`,
        );
      } else {
        s.log.info(`${spec.noun} forgotten (Atlas keeps its record): ${id}`);
      }
    },
  };
}

/** Polls a job until it ends or the resource's wait timeout passes, printing progress. */
async function waitForJob<I extends CommonInputs>(
  s: Session,
  spec: RestoreJobSpec<I>,
  inputs: I,
  outs: JobOutputs,
): Promise<PollResult<JobOutputs>> {
  let lastReport = 0;
  let lastStatus = outs.status;
  let last = outs;
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
    minDelayMs: s.poll.minDelayMs,
    maxDelayMs: s.poll.maxDelayMs,
    maxWaitMs: inputs.waitTimeoutSeconds * 1000,
    checkFirst: false,
    onCheck: (job, elapsedMs) => {
      if (job.status !== lastStatus || elapsedMs - lastReport >= PROGRESS_EVERY_MS) {
        s.log.info(`${spec.noun} ${job.restoreJobId}: ${job.status}, ${formatDuration(elapsedMs)} elapsed`);
        lastReport = elapsedMs;
        lastStatus = job.status;
      }
    },
  });
}

/**
 * Waits until the restore's target reports IDLE, so that resources depending on this one (users, app
 * deploys) find a usable database.
 */
async function waitForTarget(
  s: Session,
  target: { name: string; state: () => Promise<string | undefined> },
  maxWaitMs: number,
): Promise<void> {
  const result = await pollUntil({
    check: target.state,
    classify: (state) => (state === "IDLE" || state === undefined ? "SUCCESS" : "RETRY"),
    clock: s.clock,
    minDelayMs: s.poll.minDelayMs,
    maxDelayMs: s.poll.maxDelayMs,
    maxWaitMs,
  });
  if (result.state !== "SUCCESS")
    throw new TargetNotReadyError(target.name, String(result.value), result.elapsedMs);
  if (result.checks > 1) s.log.info(`restore target is ready: ${target.name}`);
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

/** Tells the user the next step, since the job is recorded in state either way. */
function hintFor(cause: Error): string {
  if (cause instanceof RestoreJobFailedError) {
    return "the job is recorded in state; to restore again, run `pulumi up --replace <urn>` or change `triggers`";
  }
  return "the job is recorded in state; run `pulumi up` again to resume waiting for it";
}

/** The user's inputs among outputs or new inputs, minus the provider. */
function inputsOf(raw: Record<string, unknown>, rules: DiffRules): Record<string, unknown> {
  const keys = [...rules.replaceOnChange, ...rules.updateOnChange];
  return Object.fromEntries(keys.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]]));
}

function pick(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, raw[key]]));
}

function withoutProvider(raw: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = raw;
  return rest;
}

/** `1h 02m 03s`, `2m 05s`, `7s`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m ${pad(sec)}s`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}
