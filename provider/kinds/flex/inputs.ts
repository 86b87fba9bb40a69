import * as t from "io-ts";

import { type DiffRules, snapshotIdAsGiven } from "../../restore/input-diff";
import { AtlasId, AtlasName, commonDiffRules } from "../../restore/input-fields";
import { defineInputs } from "../../restore/input-schema";

/** Flex target names allow any letter or digit and some punctuation (`targetDeploymentItemName`'s pattern). */
export const DeploymentItemName = new t.Type<string, string, unknown>(
  "name of 1 to 64 letters, digits or -_.(),:&@+'",
  (u): u is string => typeof u === "string" && /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u.test(u),
  (u, c) =>
    typeof u === "string" && /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** The one definition of a flex restore job's inputs: `check` and `create` both use it. */
const flexInputs = defineInputs({
  required: { groupId: AtlasId, name: AtlasName, targetDeploymentItemName: DeploymentItemName },
  defaulted: { targetProjectId: AtlasId },
  optional: { snapshotId: AtlasId },
  writesToTarget: () => true,
  defaults: (raw) => ({ targetProjectId: raw.targetProjectId ?? raw.groupId }),
});

/** Inputs of a flex restore job after `check`. */
export const FlexRestoreJobInputs = flexInputs.codec;
export type FlexRestoreJobInputs = t.TypeOf<typeof FlexRestoreJobInputs>;

/** Validates raw flex inputs and fills in defaults (see {@link defineInputs}). */
export const checkFlexInputs = flexInputs.check;

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
  oldInput: snapshotIdAsGiven,
};
