import type { AtlasClient } from "../../provider/atlas/client";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles, STARTED_JOB_FIELDS } from "../../provider/restore/lifecycle";
import type { Lifecycle, Logger, RestoreLifecycles } from "../../provider/restore/types";
import type { PollSettings } from "../../provider/waiting/schedule";
import { fakeClock } from "./fakes";

/**
 * One restore as a `pulumi up` runs it: the engine checks and creates the starter, then the program
 * checks its wait with the starter's job and waits. A later `up` (`update`) is the starter's update
 * followed by the program's wait again; `diff`, `read` and `delete` are the starter's.
 */
export function asTheEngineRunsIt(lifecycles: RestoreLifecycles): Lifecycle {
  const { start, wait } = lifecycles;
  const waitFor = async (outs: Record<string, unknown>, inputs: Record<string, unknown>) => {
    const job = Object.fromEntries(
      STARTED_JOB_FIELDS.filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]),
    );
    const checked = await wait.check({}, { ...inputs, job });
    return wait.create(checked.inputs!);
  };
  return {
    ...start,
    async create(inputs) {
      const started = await start.create(inputs);
      return waitFor(started.outs as Record<string, unknown>, inputs);
    },
    async update(id, olds, news) {
      const updated = await start.update(id, olds, news);
      return { outs: (await waitFor({ ...updated.outs, restoreJobId: id }, news)).outs };
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
