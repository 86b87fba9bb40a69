import type { AtlasClient } from "../../provider/atlas/client";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { memoryJournal } from "../../provider/restore/journal";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle, Logger, RestoreLifecycles } from "../../provider/restore/types";
import type { PollSettings } from "../../provider/waiting/schedule";
import { fakeClock } from "./fakes";

/**
 * One restore as the engine runs it: check and create the starter, then check and create the waiter
 * with the starter's job (the SDK registers the waiter once the starter's outputs are known). The
 * other methods are the waiter's, where `update`, `read` and `delete` of a resumed wait happen.
 */
export function asTheEngineRunsIt(lifecycles: RestoreLifecycles): Lifecycle {
  const { start, wait } = lifecycles;
  return {
    ...wait,
    check: start.check,
    async create(inputs) {
      const started = await start.create(inputs);
      const outs = started.outs as Record<string, unknown>;
      const job = Object.fromEntries(
        ["restoreJobId", "api", "snapshotId", "snapshotSource", "forecast"]
          .filter((key) => outs[key] !== undefined)
          .map((key) => [key, outs[key]]),
      );
      const checked = await wait.check({}, { ...inputs, job });
      return wait.create(checked.inputs!);
    },
    delete: start.delete,
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
