import * as t from "io-ts";

import { VerifyCloneInputs } from "../verify/inputs";

/**
 * Field codecs shared by the resources' input checks. Each has a name that reads well after
 * "expected", because the reporter prints `<property>: expected <name>` and never the value.
 */

/** Pulumi's placeholder for a value not known until apply (e.g. another resource's output). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Lower bound of Atlas's point-in-time fields: 2008-01-01T00:00:00Z in seconds. */
export const MIN_TIMESTAMP_SECONDS = 1199145600;

/** Largest int32, the API's format for timestamps and increments. */
export const MAX_INT32 = 2147483647;

/** Atlas caps cluster and instance names at 64 characters; the OpenAPI gives only the pattern. */
export const MAX_NAME_LENGTH = 64;

/** Longest wait we accept: seven days, beyond which a restore is surely stuck. */
export const MAX_WAIT_SECONDS = 604800;

const matching = (name: string, test: (s: string) => boolean) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === "string" && test(u),
    (u, c) => (typeof u === "string" && test(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

const integerIn = (name: string, min: number, max: number) =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min && u <= max,
    (u, c) =>
      typeof u === "number" && Number.isInteger(u) && u >= min && u <= max ? t.success(u) : t.failure(u, c),
    t.identity,
  );

/** A project, job or snapshot id: 24 lowercase hexadecimal characters. */
export const AtlasId = matching("24-hexadecimal id (^[a-f0-9]{24}$)", (s) => /^[a-f0-9]{24}$/.test(s));

/** A cluster, instance or deployment name. */
export const AtlasName = matching(
  `name of letters, digits and hyphens starting with a letter or digit, at most ${MAX_NAME_LENGTH} characters`,
  (s) => s.length <= MAX_NAME_LENGTH && /^[a-zA-Z0-9][a-zA-Z0-9-]*$/.test(s),
);

/** Seconds since the epoch, no earlier than 2008-01-01, within int32. */
export const TimestampSeconds = integerIn(
  `integer of seconds since the epoch from ${MIN_TIMESTAMP_SECONDS} to ${MAX_INT32}`,
  MIN_TIMESTAMP_SECONDS,
  MAX_INT32,
);

/** An oplog increment: a positive int32. */
export const OplogIncrement = integerIn(`integer from 1 to ${MAX_INT32}`, 1, MAX_INT32);

/** How long to wait for a restore, in seconds. */
export const WaitSeconds = integerIn(`integer of seconds from 1 to ${MAX_WAIT_SECONDS}`, 1, MAX_WAIT_SECONDS);

/** Values whose change forces a new restore, as in `@pulumi/command`. */
export const Triggers = t.array(t.unknown, "array");

/** Inputs every kind of restore job has that `check` always fills in (see {@link commonDefaults}). */
export const commonDefaulted = {
  waitForCompletion: t.boolean,
  waitTimeoutSeconds: WaitSeconds,
  waitForTarget: t.boolean,
};

/**
 * Inputs every kind of restore job has that may stay absent. `verify` is checked by its own rules
 * (`checkVerifyInputs`, in input-schema.ts), which name each nested property.
 */
export const commonOptional = {
  existingRestoreJobId: AtlasId,
  triggers: Triggers,
  verify: VerifyCloneInputs,
};

/** Default of `waitTimeoutSeconds`: three hours, since real restores can take over an hour. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 10800;

/**
 * Fills in the common defaults: wait for the job (up to three hours) and, for restores that write to
 * a target, for the target to be usable again.
 */
export function commonDefaults(
  raw: Record<string, unknown>,
  writesToTarget: boolean,
): Record<string, unknown> {
  return {
    waitForCompletion: raw.waitForCompletion ?? true,
    waitTimeoutSeconds: raw.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
    waitForTarget: raw.waitForTarget ?? writesToTarget,
  };
}

/**
 * How `diff` treats the common inputs: a different job or new triggers replace; waiting is a setting,
 * and a changed clone check checks the same restore again.
 */
export const commonDiffRules = {
  replaceOnChange: ["existingRestoreJobId", "triggers"],
  updateOnChange: ["waitForCompletion", "waitTimeoutSeconds", "waitForTarget", "verify"],
} as const;

/** One failed property, in the shape `check` returns. */
export interface Failure {
  readonly property: string;
  readonly reason: string;
}

/**
 * Decodes each present property with its own codec and reports every problem at once: unknown
 * properties, missing required ones and wrong values, each naming the property. Values Pulumi does not
 * know yet (preview) are skipped.
 */
export function checkFields(
  raw: Record<string, unknown>,
  required: Record<string, t.Mixed>,
  optional: Record<string, t.Mixed>,
): Failure[] {
  const failures: Failure[] = [];
  for (const key of Object.keys(raw)) {
    if (key === "__provider" || raw[key] === undefined) continue;
    // Own keys only: `in` would also find Object.prototype's, letting `constructor` or `toString` through.
    if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) {
      failures.push({ property: printableName(key), reason: "unknown property" });
    }
  }
  for (const [key, codec] of Object.entries({ ...required, ...optional })) {
    const value = raw[key];
    if (value === UNKNOWN) continue;
    if (value === undefined || value === null) {
      if (key in required) failures.push({ property: key, reason: `required, expected ${codec.name}` });
      continue;
    }
    if (codec.decode(value)._tag === "Left") {
      failures.push({ property: key, reason: `expected ${codec.name}` });
    }
  }
  return failures;
}

/** Longest property name a message repeats; a longer one is cut, since it can be any size. */
export const MAX_PRINTED_NAME_LENGTH = 64;

/**
 * A property name as a message may show it: control characters escaped (they would reach the
 * terminal), and cut to {@link MAX_PRINTED_NAME_LENGTH} characters.
 */
export function printableName(name: string): string {
  const escaped = name.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return escaped.length <= MAX_PRINTED_NAME_LENGTH
    ? escaped
    : `${escaped.slice(0, MAX_PRINTED_NAME_LENGTH)}… (${name.length} characters)`;
}

/** Whether a value is present and known. */
export function known(value: unknown): boolean {
  return value !== undefined && value !== null && value !== UNKNOWN;
}
