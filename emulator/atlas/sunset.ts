import { type RuntimeOptions, sunsetAt } from "../options";
import type { Store } from "../state/store";
import { type ApiError, serverlessInstanceNotFound, versionGone } from "./api-errors";
import type { Operation, OperationContext } from "./operation-context";

/**
 * After the 2026-01-22 sunset (by the clock, or forced): `gone` answers 410 for every serverless operation; `migrated` answers
 * 404 for an instance that now exists as a flex cluster of the same name.
 */
export function sunsetError(
  operation: Operation,
  context: Pick<OperationContext, "options" | "store" | "params" | "now">,
): ApiError | undefined {
  const mode = sunsetAt(context.options.sunset, context.now);
  if (operation.api !== "serverless" || mode === "off") return undefined;
  if (mode === "gone") return versionGone(operation.version);
  const name = context.params.clusterName ?? context.params.name;
  const groupId = context.params.groupId!;
  if (name !== undefined && isMigrated(context, groupId, name))
    return serverlessInstanceNotFound(name, groupId);
  return undefined;
}

/** Whether, after a `migrated` sunset, the serverless instance `groupId/name` now exists only as flex. */
export function isMigrated(
  c: { readonly options: RuntimeOptions; readonly store: Store; readonly now: number },
  groupId: string,
  name: string,
): boolean {
  return (
    sunsetAt(c.options.sunset, c.now) === "migrated" && c.store.cluster("flex", groupId, name) !== undefined
  );
}
