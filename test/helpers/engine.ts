import type { AtlasClient } from "../../provider/atlas/client";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles, STARTED_JOB_FIELDS } from "../../provider/restore/lifecycle";
import { recordInputs } from "../../provider/restore/record";
import type { Lifecycle, Logger, RestoreLifecycles } from "../../provider/restore/types";
import type { PollSettings } from "../../provider/waiting/schedule";
import { fakeClock } from "./fakes";

/**
 * One restore as a `pulumi up` runs it: the engine checks and creates the starter, the program waits
 * for its job, and the engine creates the record with the outcome, which fails when the restore is
 * not done. A later `up` (`update`) is the starter's update, the program's wait again and the record's
 * update; `diff`, `read` and `delete` are the starter's. `kind` is the record's source kind (which
 * picks what its provider completes) and `completed` the outputs the program leaves to the record.
 */
export function asTheEngineRunsIt(
  lifecycles: RestoreLifecycles,
  { kind = "harness", completed = [] }: { kind?: string; completed?: readonly string[] } = {},
): Lifecycle {
  const { start, wait, record } = lifecycles;
  const waitFor = async (
    outs: Record<string, unknown>,
    inputs: Record<string, unknown>,
    olds?: Record<string, unknown>,
  ) => {
    const job = Object.fromEntries(
      STARTED_JOB_FIELDS.filter((key) => outs[key] !== undefined && outs[key] !== null).map((key) => [
        key,
        outs[key],
      ]),
    );
    const raw = { ...inputs, job };
    const outcome = await wait(raw);
    const recorded = {
      record: recordInputs(
        outcome,
        Object.keys(outcome.outs),
        lifecycles.secretOutputs,
        { kind, raw },
        completed,
      ),
      __provider: inputs.__provider,
    };
    const id = String(outcome.outs.restoreJobId);
    const result = olds
      ? { id, outs: (await record.update(String(olds.restoreJobId), olds, recorded)).outs }
      : await record.create(recorded);
    // What the resource shows: the record, and the download links from the wait (kept in no state).
    const secrets = lifecycles.secretOutputs.filter((key) => outcome.outs[key] !== undefined);
    return {
      ...result,
      outs: { ...result.outs, ...Object.fromEntries(secrets.map((k) => [k, outcome.outs[k]])) },
    };
  };
  return {
    ...start,
    async create(inputs) {
      const started = await start.create(inputs);
      return waitFor(started.outs as Record<string, unknown>, inputs);
    },
    async update(id, olds, news) {
      const updated = await start.update(id, olds, news);
      return { outs: (await waitFor({ ...updated.outs, restoreJobId: id }, news, olds)).outs };
    },
  };
}

/**
 * The serverless lifecycles over a fake client, with a fake clock, a memory journal and the
 * messages recorded (`info: …`, `warn: …`).
 */
export function serverlessHarness(
  client: AtlasClient,
  poll: PollSettings = { minDelayMs: 1000, maxDelayMs: 60_000 },
) {
  const clock = fakeClock();
  const messages: string[] = [];
  const journal = memoryJournal();
  const log: Logger = { info: (m) => messages.push(`info: ${m}`), warn: (m) => messages.push(`warn: ${m}`) };
  const lifecycles = createLifecycles(serverlessSpec, () => ({ client, clock, log, journal, poll }), clock);
  return { lifecycles, both: asTheEngineRunsIt(lifecycles), clock, messages, journal };
}
