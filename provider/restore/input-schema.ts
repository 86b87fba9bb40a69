import * as t from "io-ts";

import { checkVerifyInputs, type VerifyContext } from "../verify/check";
import {
  checkFields,
  commonDefaulted,
  commonDefaults,
  commonOptional,
  type Failure,
  known,
} from "./input-fields";

/**
 * One kind's inputs, defined once. `check` reports field by field from these codecs, and `create`
 * decodes with the codec derived from the same ones, so the two cannot disagree.
 */
export interface InputSchemaDefinition<R extends t.Props, D extends t.Props, O extends t.Props> {
  /** Inputs the user must give. */
  readonly required: R;
  /** Inputs the user may omit and `check` always fills in, so `create` can rely on them. */
  readonly defaulted: D;
  /** Inputs that may stay absent. */
  readonly optional: O;
  /** Whether the restore writes to a target (so that waiting for the target is the default). */
  writesToTarget(raw: Record<string, unknown>): boolean;
  /** The kind's own defaults for `defaulted` inputs (and optional ones derived from others). */
  defaults(raw: Record<string, unknown>): Record<string, unknown>;
  /** Rules between properties, each failure naming one. Pure: the time is passed in. */
  crossField?(raw: Record<string, unknown>, nowSeconds: number): Failure[];
  /**
   * What `verify` may name, from the other inputs (default: any collection, and no source counts:
   * only collection-level restores report them).
   */
  verifyContext?(raw: Record<string, unknown>): VerifyContext;
}

/** What {@link defineInputs} derives: the checked inputs' codec and the `check` that produces them. */
export interface InputSchema<I> {
  readonly codec: t.Type<I, unknown, unknown>;
  /**
   * Validates raw inputs and fills in defaults. Pure: no network, the time passed in. Returns every
   * failure at once, each naming its property.
   */
  check(
    raw: Record<string, unknown>,
    nowSeconds: number,
  ): { inputs: Record<string, unknown>; failures: Failure[] };
}

/** Builds a kind's schema, adding the inputs every kind has (waiting, adoption, triggers). */
export function defineInputs<R extends t.Props, D extends t.Props, O extends t.Props>(
  definition: InputSchemaDefinition<R, D, O>,
): InputSchema<
  t.TypeOf<t.TypeC<R & D & typeof commonDefaulted>> & t.TypeOf<t.PartialC<O & typeof commonOptional>>
> {
  const defaulted = { ...definition.defaulted, ...commonDefaulted };
  const optional = { ...definition.optional, ...commonOptional };
  const codec = t.intersection([t.type({ ...definition.required, ...defaulted }), t.partial(optional)]);
  // Failures come in this order: required, the kind's optional and defaulted inputs, then the common ones.
  const notRequired = {
    ...definition.optional,
    ...definition.defaulted,
    ...commonDefaulted,
    ...commonOptional,
  };
  return {
    codec,
    check(raw, nowSeconds) {
      const { verify: _own, ...fields } = raw;
      const failures = [
        ...checkFields(fields, definition.required, notRequired),
        ...(definition.crossField?.(raw, nowSeconds) ?? []),
        ...verifyFailures(raw, definition),
      ];
      const inputs = {
        ...withoutAbsent(raw),
        ...definition.defaults(raw),
        ...commonDefaults(raw, definition.writesToTarget(raw)),
      };
      return { inputs, failures };
    },
  };
}

/**
 * `verify`'s own rules (each nested property named), and what it needs of the restore: a target to
 * check, reached only once the job completed and the target is ready.
 */
function verifyFailures(
  raw: Record<string, unknown>,
  definition: Pick<InputSchemaDefinition<t.Props, t.Props, t.Props>, "writesToTarget" | "verifyContext">,
): Failure[] {
  if (!known(raw.verify)) return [];
  const context = definition.verifyContext?.(raw) ?? { sourceCountsReported: false };
  const failures = checkVerifyInputs(raw.verify, context);
  if (!definition.writesToTarget(raw))
    failures.push({
      property: "verify",
      reason: "a download writes to no cluster, so there is no clone to check",
    });
  else if (raw.waitForCompletion === false || raw.waitForTarget === false)
    failures.push({
      property: "verify",
      reason:
        "the clone is checked once the restore completed and its target is ready, so it needs waitForCompletion and waitForTarget (both true by default)",
    });
  return failures;
}

/** `check` treats null as absent, so it must not reach the checked inputs (the codec refuses it). */
function withoutAbsent(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
}
