import * as t from "io-ts";

import type { DiffRules } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  checkFields,
  commonDefaults,
  commonDiffRules,
  CommonInputs,
  commonOptional,
  type Failure,
} from "../../restore/input-fields";

/** Flex target names allow any letter or digit and some punctuation (`targetDeploymentItemName`'s pattern). */
export const DeploymentItemName = new t.Type<string, string, unknown>(
  "name of 1 to 64 letters, digits or -_.(),:&@+'",
  (u): u is string => typeof u === "string" && /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u.test(u),
  (u, c) =>
    typeof u === "string" && /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

const required = { groupId: AtlasId, name: AtlasName, targetDeploymentItemName: DeploymentItemName };
const optional = { snapshotId: AtlasId, targetProjectId: AtlasId, ...commonOptional };

/** Inputs of a flex restore job after `check`. */
export const FlexRestoreJobInputs = t.intersection([
  t.type({ ...required, targetProjectId: AtlasId }),
  t.partial({ snapshotId: AtlasId }),
  CommonInputs,
]);
export type FlexRestoreJobInputs = t.TypeOf<typeof FlexRestoreJobInputs>;

/** Validates raw inputs and fills in defaults; pure. */
export function checkFlexInputs(
  raw: Record<string, unknown>,
  _nowSeconds: number,
): { inputs: Record<string, unknown>; failures: Failure[] } {
  const failures = checkFields(raw, required, optional);
  // Null counts as absent in checkFields; the codec would refuse it, so it is dropped like undefined.
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
  return {
    inputs: { ...given, targetProjectId: raw.targetProjectId ?? raw.groupId, ...commonDefaults(raw, true) },
    failures,
  };
}

/** How `diff` treats each input of a flex restore job. */
export const flexDiffRules: DiffRules = {
  replaceOnChange: [
    "groupId",
    "name",
    "snapshotId",
    "targetDeploymentItemName",
    "targetProjectId",
    ...commonDiffRules.replaceOnChange,
  ],
  updateOnChange: [...commonDiffRules.updateOnChange],
  oldInput: (key, olds) => (key === "snapshotId" && olds.snapshotSource !== "input" ? undefined : olds[key]),
};
