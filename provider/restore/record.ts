import { AtlasApiError } from "../atlas/errors";
import type { VerifyResult } from "../verify/compare";
import type { VerifyCloneInputs } from "../verify/inputs";
import { pollUntil } from "../waiting/poll";
import { isTransient } from "./at-most-once";
import {
  aimedAtLanding,
  atlasCloneVerifier,
  checkedBefore,
  type CloneVerification,
  type CloneVerifier,
  describeTarget,
  verificationOf,
} from "./clone-check";
import { RestoreJobIncompleteError, TargetNotReadyError } from "./errors";
import { sameValue } from "./input-diff";
import { CHECK_AGAIN_HINT, prefixed, RESUME_HINT } from "./messages";
import type { JobOutputs, Lifecycle, Logger, RestoreTarget, Session, WaitOutcome } from "./types";

/**
 * The restore's record: the resource the program registers once its wait for the job has ended, with
 * what the wait saw as its inputs. It is what users hold (`new ClusterRestoreJob(...)`): its outputs are
 * the job's outcome in state, and since the engine registers it only after the wait, `dependsOn`, its
 * outputs and `parent` all mean "restored". Its provider calls Atlas for the target: a completed
 * restore counts as done once its target is usable again and, with `verify`, its clone passed the
 * check (clone-check.ts), both once per job; and for what its kind has it complete, once per job (a
 * collection restore's outcome by collection: {@link RecordCompletion}).
 */

/**
 * What the record keeps to read its job again on `pulumi refresh`: the kind, and what the program's
 * wait started from (the resource's inputs as given, and the starter's job).
 */
export interface RecordSource {
  readonly kind: string;
  readonly raw: Record<string, unknown>;
}

/**
 * The record's one input (one, so that state lists its dependency on the starter once): the outputs
 * the resource declares, why the restore is not done, the target to wait for, and the source.
 */
export interface Recorded extends Record<string, unknown> {
  /** Why the restore is not done (see {@link WaitOutcome}); the record's create or update fails with it. */
  failure: string | null;
  /** The target to wait for, with the wait's limit in seconds. */
  target: WaitOutcome["target"] | null;
  /** The clone check to run on the target once it is ready (the resource's `verify`), if any. */
  verify?: VerifyCloneInputs;
  source: RecordSource;
}

/** The record's properties that are not the job's: no read of the job changes them. */
const OWN = [
  "__provider",
  "targetReady",
  "failure",
  "target",
  "verify",
  "verification",
  "source",
  "resourceName",
];

/**
 * The record's input from a wait's outcome: the outputs the resource declares, null where Atlas
 * said nothing (see `withNulls`), and secrets left out (download links stay in the program), as are
 * the outputs the record completes itself (`completed`, see {@link RecordCompletion}). The resource's
 * `verify` moves from the source to a property of its own, kept once.
 */
export function recordInputs(
  outcome: WaitOutcome,
  declared: readonly string[],
  secrets: readonly string[],
  source: RecordSource,
  completed: readonly string[] = [],
): Recorded {
  const fields = declared.filter(
    (key) => !secrets.includes(key) && !OWN.includes(key) && !completed.includes(key),
  );
  const { verify, ...raw } = source.raw;
  return {
    ...Object.fromEntries(fields.map((key) => [key, outcome.outs[key] ?? null])),
    failure: outcome.failure ?? null,
    target: outcome.target ?? null,
    ...(outcome.targetReady ? { targetReady: true } : {}),
    // Absent without one, as an input is: null would not decode as the resource's inputs.
    ...(verify === undefined || verify === null ? {} : { verify: verify as VerifyCloneInputs }),
    source: { ...source, raw },
  };
}

/** Reads a restore's job once, from what its record keeps; an AtlasApiError 404 when it is gone. */
export type JobReader = (source: RecordSource) => Promise<JobOutputs>;

/**
 * What a kind's record completes itself: outputs that no read of the job gives and that never change
 * once the job has ended (a collection restore's per-collection outcome). The program leaves `keys`
 * out of the record's input; the record reads them once per job and status, when the job has ended,
 * and keeps them in state; the kind then judges the outcome with them.
 */
export interface RecordCompletion {
  /** The outputs completed: their one home is the kind's. */
  readonly keys: readonly string[];
  /** Reads `keys` for an ended job, from the record's properties (`source` included); logs as it likes. */
  read(s: Session, recorded: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Why the restore is not done, given the completed record; undefined leaves the wait's failure. */
  judge(recorded: Record<string, unknown>): string | undefined;
}

/** The completions by kind (`RecordSource.kind`); a kind without one completes nothing. */
export type RecordCompletions = Readonly<Record<string, RecordCompletion>>;

/**
 * The record's provider methods over the provider process's session; `completions` complete each
 * kind's outputs that the job's reads leave out, and `verifier` checks a clone (`verify`) once its
 * target is ready (default: over Atlas and the official driver).
 */
export function recordLifecycle(
  session: () => Session,
  readJob: JobReader,
  completions: RecordCompletions = {},
  verifier: CloneVerifier = atlasCloneVerifier(),
): Lifecycle {
  /** The session, its messages under the resource's name. */
  const scoped = (resourceName: unknown): Session => {
    const s = session();
    return typeof resourceName === "string" ? { ...s, log: prefixed(s.log, resourceName) } : s;
  };

  const completionOf = (recorded: Record<string, unknown>): RecordCompletion | undefined => {
    const kind = (recorded.source as RecordSource | undefined)?.kind;
    return typeof kind === "string" ? completions[kind] : undefined;
  };

  /**
   * The record with its kind's completed outputs, and its failure as the kind judges it: read once
   * when the job has ended and `olds` do not hold them for this job and status, else taken from
   * `olds` with no request; null while the job runs.
   */
  const complete = async (
    recorded: Record<string, unknown>,
    olds: Record<string, unknown> | undefined,
  ): Promise<Record<string, unknown>> => {
    const completion = completionOf(recorded);
    if (!completion) return recorded;
    if (!jobEnded(recorded))
      return { ...recorded, ...Object.fromEntries(completion.keys.map((key) => [key, null])) };
    const details = completedBefore(olds, recorded, completion.keys)
      ? Object.fromEntries(completion.keys.map((key) => [key, olds![key]]))
      : await completion.read(scoped(recorded.resourceName), recorded);
    const done = { ...recorded, ...details };
    return { ...done, failure: completion.judge(done) ?? recorded.failure ?? null };
  };

  /**
   * Fails the step with the wait's failure; otherwise waits for the target unless this job's was seen
   * ready, then checks the clone unless this job passed this same check before.
   */
  const settle = async (news: Record<string, unknown>, olds?: Record<string, unknown>) => {
    const given = flattened(news);
    const id = String(given.restoreJobId);
    let recorded: Record<string, unknown>;
    try {
      recorded = await complete(given, olds);
    } catch (error) {
      const reason = `${(error as Error).message}; ${RESUME_HINT}`;
      throw new RestoreJobIncompleteError(id, { ...given, __provider: news.__provider }, reason);
    }
    const { failure, target, verify } = recorded as Partial<Recorded>;
    // Partial state is recorded as given, completed: a later update and delete need the provider in
    // it, and the next `up` then fails again with no request for what the record completed.
    const partial = { ...recorded, __provider: news.__provider };
    if (typeof failure === "string") throw new RestoreJobIncompleteError(id, partial, failure);
    if (!target) return { id, outs: { ...recorded, targetReady: null, verification: null } };
    if (!targetSeen(olds, recorded) && recorded.targetReady !== true) {
      try {
        await waitForTarget(scoped(recorded.resourceName), target, target.waitSeconds * 1000);
      } catch (error) {
        throw new RestoreJobIncompleteError(id, partial, `${(error as Error).message}; ${RESUME_HINT}`);
      }
    }
    const ready = { ...partial, targetReady: true };
    const verification = !verify
      ? null
      : checkedBefore(olds, recorded)
        ? (olds!.verification as CloneVerification)
        : await checkClone(scoped(recorded.resourceName), id, target, verify, ready);
    return { id, outs: { ...recorded, targetReady: true, verification } };
  };

  /** Checks the clone; a failed or impossible check fails the step, the record kept to check again. */
  const checkClone = async (
    s: Session,
    id: string,
    target: RestoreTarget,
    verify: VerifyCloneInputs,
    partial: Record<string, unknown>,
  ): Promise<CloneVerification> => {
    const { inputs, sourceCounts } = aimedAtLanding(verify, partial);
    let result: VerifyResult;
    try {
      result = await verifier(s, target, inputs, sourceCounts);
    } catch (error) {
      const reason = `cannot check the clone: ${(error as Error).message}`;
      throw new RestoreJobIncompleteError(
        id,
        { ...partial, verification: null },
        `${reason}; ${CHECK_AGAIN_HINT}`,
      );
    }
    const verification = verificationOf(result);
    if (result.failure !== undefined)
      throw new RestoreJobIncompleteError(
        id,
        { ...partial, verification },
        `${result.failure}; ${CHECK_AGAIN_HINT}`,
      );
    reportPassed(s.log, verification);
    return verification;
  };

  return {
    // The program builds these inputs; there is nothing a user could have got wrong.
    check: async (_olds, news) => ({ inputs: news }),

    async diff(_id, olds, news) {
      // A preview of a restore whose job is new, or still running: the outcome is not known yet.
      if (typeof news.record !== "object" || news.record === null) return { changes: true };
      const recorded = flattened(news);
      const changed = Object.keys(recorded).filter(
        (key) => key !== "targetReady" && !sameValue(olds[key], recorded[key]),
      );
      const targetPending =
        Boolean(recorded.target) && recorded.targetReady !== true && !targetSeen(olds, recorded);
      const checkPending = Boolean(recorded.target && recorded.verify) && !checkedBefore(olds, recorded);
      // A job that ended since the record was written: what the record completes is still to read.
      const completion = completionOf(recorded);
      const detailsPending =
        completion !== undefined && jobEnded(recorded) && !completedBefore(olds, recorded, completion.keys);
      // Another job is another restore: the record is replaced, as the starter was.
      const replaces = sameValue(olds.restoreJobId, recorded.restoreJobId) ? [] : ["restoreJobId"];
      return {
        changes:
          changed.length > 0 ||
          targetPending ||
          checkPending ||
          detailsPending ||
          !sameValue(olds.__provider, news.__provider),
        ...(replaces.length > 0 ? { replaces } : {}),
        deleteBeforeReplace: false,
      };
    },

    create: (news) => settle(news),

    async update(_id, olds, news) {
      return { outs: (await settle(news, olds)).outs };
    },

    // `pulumi refresh` reads the job again: what Atlas changed since (an expiry, a cancel) shows as a
    // change of the record. A job Atlas no longer has leaves the record as it was: the starter's
    // refresh decides about the job itself. What the record completes is kept: no read of the job
    // gives it, and it no longer changes once the job has ended.
    async read(id, props) {
      const source = props.source as RecordSource | undefined;
      if (source === undefined) return { id, props };
      let outs: JobOutputs;
      try {
        outs = await readJob(source);
      } catch (error) {
        if (error instanceof AtlasApiError && error.status === 404) return { id, props };
        throw error;
      }
      const kept = completionOf(props)?.keys ?? [];
      const fields = Object.keys(props).filter((key) => !OWN.includes(key) && !kept.includes(key));
      return {
        id,
        props: { ...props, ...Object.fromEntries(fields.map((key) => [key, outs[key] ?? null])) },
      };
    },

    // The job is the starter's to forget or cancel.
    delete: async () => {},
  };
}

/**
 * The record's properties as state keeps them: the program's one input spread out (the SDK adds the
 * provider to outputs itself).
 */
function flattened(news: Record<string, unknown>): Record<string, unknown> {
  const { record, __provider: _added, ...rest } = news;
  return { ...(record as Recorded), ...rest };
}

/** One line for a clone that passed its check: each collection and the documents found. */
function reportPassed(log: Logger, verification: CloneVerification): void {
  const counts = verification.collections.map((c) => `${c.namespace} ${c.found}`).join(", ");
  log.info(`clone check passed, documents: ${counts}`);
}

/** Whether the record's job has ended: a status that is not RUNNING. */
function jobEnded(recorded: Record<string, unknown>): boolean {
  return typeof recorded.status === "string" && recorded.status !== "RUNNING";
}

/** Whether an earlier step completed `keys` for this job in this status (they no longer change). */
function completedBefore(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
  keys: readonly string[],
): boolean {
  return (
    olds !== undefined &&
    keys.every((key) => olds[key] !== undefined && olds[key] !== null) &&
    sameValue(olds.restoreJobId, news.restoreJobId) &&
    sameValue(olds.status, news.status)
  );
}

/** Whether an earlier step already saw this job's target ready. */
function targetSeen(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): boolean {
  return olds?.targetReady === true && sameValue(olds.restoreJobId, news.restoreJobId);
}

/** The target's `stateName`, through the API that owns it. */
export async function targetState(s: Session, target: RestoreTarget): Promise<string | undefined> {
  return (await describeTarget(s, target)).stateName;
}

/**
 * Waits until the restore's target reports IDLE, so that resources depending on the restore (users,
 * app deploys) find a usable database. A passing read failure, or an answer without `stateName`, is
 * not "ready": the wait goes on until its deadline.
 */
export async function waitForTarget(s: Session, target: RestoreTarget, maxWaitMs: number): Promise<void> {
  let lastSeen = "unknown";
  const result = await pollUntil({
    check: async () => {
      try {
        const state = await targetState(s, target);
        lastSeen = state ?? "without stateName";
        return state;
      } catch (error) {
        if (!isTransient(error)) throw error;
        lastSeen = "unreadable";
        s.log.info(`could not read restore target ${target.name}, trying again: ${(error as Error).message}`);
        return undefined;
      }
    },
    classify: (state) => (state === "IDLE" ? "SUCCESS" : "RETRY"),
    clock: s.clock,
    minDelayMs: s.poll.minDelayMs,
    maxDelayMs: s.poll.maxDelayMs,
    maxWaitMs,
  });
  if (result.state !== "SUCCESS") throw new TargetNotReadyError(target.name, lastSeen, result.elapsedMs);
  if (result.checks > 1) s.log.info(`restore target is ready: ${target.name}`);
}
