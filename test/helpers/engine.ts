import type { Lifecycle, RestoreLifecycles } from "../../provider/restore/types";

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
        ["restoreJobId", "api", "snapshotId", "snapshotSource"]
          .filter((key) => outs[key] !== undefined)
          .map((key) => [key, outs[key]]),
      );
      const checked = await wait.check({}, { ...inputs, job });
      return wait.create(checked.inputs!);
    },
    delete: start.delete,
  };
}
