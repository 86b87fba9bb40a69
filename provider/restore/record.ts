import { pollUntil } from "../waiting/poll";
import { isTransient } from "./at-most-once";
import { RestoreJobIncompleteError, TargetNotReadyError } from "./errors";
import { sameValue } from "./input-diff";
import { prefixed, RESUME_HINT } from "./messages";
import type { Lifecycle, RestoreTarget, Session, WaitOutcome } from "./types";

/**
 * The restore's record: the resource the program registers once its wait for the job has ended, with
 * what the wait saw as its inputs. It is what users hold (`new ClusterRestoreJob(...)`): its outputs are
 * the job's outcome in state, and since the engine registers it only after the wait, `dependsOn`, its
 * outputs and `parent` all mean "restored". Its provider calls Atlas for one thing only, the target: a
 * completed restore counts as done once its target is usable again, checked once per job.
 */

/** What the program gives the record beside the job's outputs. */
export interface RecordInputs {
  /** Why the restore is not done (see {@link WaitOutcome}); the record's create or update fails with it. */
  failure: string | null;
  /** The target to wait for, with the wait's limit in seconds. */
  target: WaitOutcome["target"] | null;
  /** The resource's name, for messages. */
  resourceName?: string;
}

/** Properties of the record that its provider computes: not inputs, so no diff compares them. */
const COMPUTED = ["__provider", "targetReady"];

/**
 * The record's inputs from a wait's outcome: the outputs the resource declares (secrets left out:
 * download links stay in the program), the failure, and the target.
 */
export function recordInputs(
  outcome: WaitOutcome,
  declared: readonly string[],
  secrets: readonly string[],
): Record<string, unknown> & RecordInputs {
  const hidden = new Set([...secrets, ...COMPUTED]);
  const fields = declared.filter((key) => !hidden.has(key));
  return {
    // Null for what Atlas left out (see `withNulls`).
    ...Object.fromEntries(fields.map((key) => [key, outcome.outs[key] ?? null])),
    failure: outcome.failure ?? null,
    target: outcome.target ?? null,
  };
}

/** The record's provider methods over the provider process's session. */
export function recordLifecycle(session: () => Session): Lifecycle {
  /** Fails the step with the wait's failure, or waits for the target unless this job's was seen ready. */
  const settle = async (news: Record<string, unknown>, olds?: Record<string, unknown>) => {
    const { failure, target, resourceName } = news as Partial<RecordInputs>;
    const id = String(news.restoreJobId);
    if (typeof failure === "string") throw new RestoreJobIncompleteError(id, news, failure);
    if (!target || targetSeen(olds, news)) {
      return { id, outs: { ...news, targetReady: target ? true : null } };
    }
    const s = session();
    const log = resourceName === undefined ? s.log : prefixed(s.log, resourceName);
    try {
      await waitForTarget({ ...s, log }, target, target.waitSeconds * 1000);
    } catch (error) {
      throw new RestoreJobIncompleteError(id, news, `${(error as Error).message}; ${RESUME_HINT}`);
    }
    return { id, outs: { ...news, targetReady: true } };
  };

  return {
    // The program builds these inputs; there is nothing a user could have got wrong.
    check: async (_olds, news) => ({ inputs: news }),

    async diff(_id, olds, news) {
      const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
      const changed = [...keys].filter((key) => !COMPUTED.includes(key) && !sameValue(olds[key], news[key]));
      const targetPending = Boolean(news.target) && !targetSeen(olds, news);
      // Another job is another restore: the record is replaced, as the starter was.
      const replaces = sameValue(olds.restoreJobId, news.restoreJobId) ? [] : ["restoreJobId"];
      return {
        changes: changed.length > 0 || targetPending || !sameValue(olds.__provider, news.__provider),
        ...(replaces.length > 0 ? { replaces } : {}),
        deleteBeforeReplace: false,
      };
    },

    create: (news) => settle(news),

    async update(_id, olds, news) {
      return { outs: (await settle(news, olds)).outs };
    },

    // What the wait saw is the record; the next `up` reads the job again, and the starter's own
    // refresh reads it on `pulumi refresh`.
    read: async (id, props) => ({ id, props }),

    // The job is the starter's to forget or cancel.
    delete: async () => {},
  };
}

/** Whether an earlier step already saw this job's target ready. */
function targetSeen(olds: Record<string, unknown> | undefined, news: Record<string, unknown>): boolean {
  return olds?.targetReady === true && sameValue(olds.restoreJobId, news.restoreJobId);
}

/** The target's `stateName`, through the API that owns it. */
export async function targetState(s: Session, target: RestoreTarget): Promise<string | undefined> {
  const read = {
    cluster: s.client.getCluster,
    flex: s.client.getFlexCluster,
    serverless: s.client.getServerlessInstance,
  }[target.api];
  return (await read(target.groupId, target.name)).stateName;
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
