import { ApiError, type FieldViolation, invalidParameter } from "./api-errors";
import { NAME_PATTERN, OBJECT_ID_PATTERN } from "./ids";
import type { Schema } from "./request-schemas";

// Request validation against the OpenAPI schemas: path parameters by name, bodies by schema. Atlas refuses
// unknown attributes and ignores read-only ones a client echoes back; so does the emulator.

/** Path parameters and the pattern each must match (from the OpenAPI `parameters`). */
const PATH_PATTERNS: Record<string, RegExp> = {
  groupId: OBJECT_ID_PATTERN,
  restoreJobId: OBJECT_ID_PATTERN,
  jobId: OBJECT_ID_PATTERN,
  snapshotId: OBJECT_ID_PATTERN,
  clusterName: NAME_PATTERN,
  name: NAME_PATTERN,
};

/** Checks path parameters; throws 400 `INVALID_PARAMETER` for the first that does not match its pattern. */
export function validatePathParams(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    const pattern = PATH_PATTERNS[name];
    if (pattern && !pattern.test(value)) throw invalidParameter(name, `must match ${pattern.source}`);
  }
}

type Violation = FieldViolation & {
  code: "MISSING_ATTRIBUTE" | "INVALID_ATTRIBUTE" | "INVALID_ENUM_VALUE";
  value?: string;
};

/**
 * Validates a parsed JSON body against a request schema and returns it without read-only attributes; throws
 * one 400 ApiError whose `errorCode` is the first violation's and whose `badRequestDetail` lists them all.
 */
export function validateBody(schema: Schema, body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "INVALID_JSON", "The request body must be a JSON object.");
  }
  const violations: Violation[] = [];
  const clean = checkObject(schema, body as Record<string, unknown>, "", violations);
  const first = violations[0];
  if (!first) return clean;
  const fields = violations.map(({ field, description }) => ({ field, description }));
  const detail =
    first.code === "MISSING_ATTRIBUTE"
      ? `The required attribute ${first.field} was not specified.`
      : first.code === "INVALID_ENUM_VALUE"
        ? `An invalid enumeration value ${first.value ?? ""} was specified.`
        : `Invalid attribute ${first.field} specified.`;
  const parameters = first.code === "INVALID_ENUM_VALUE" ? [first.value ?? "", first.field] : [first.field];
  throw new ApiError(400, first.code, detail, parameters, fields);
}

function checkObject(
  schema: Schema,
  body: Record<string, unknown>,
  prefix: string,
  violations: Violation[],
): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const clean: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(body, name) || body[name] === undefined) {
      violations.push({ code: "MISSING_ATTRIBUTE", field: prefix + name, description: "is required" });
    }
  }
  for (const [name, value] of Object.entries(body)) {
    const field = prefix + name;
    // Own properties only: `__proto__`, `constructor` or `toString` are inherited by every object, not
    // attributes of the schema (and `__proto__` would set the prototype of `clean`).
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!property) {
      violations.push({ code: "INVALID_ATTRIBUTE", field, description: "is not a known attribute" });
      continue;
    }
    if (property.readOnly) continue;
    const before = violations.length;
    checkValue(property, value, field, violations);
    if (violations.length === before) clean[name] = value;
  }
  return clean;
}

function checkValue(schema: Schema, value: unknown, field: string, violations: Violation[]): void {
  const invalid = (description: string): void => {
    violations.push({ code: "INVALID_ATTRIBUTE", field, description });
  };
  if (value === null) {
    if (!schema.nullable) invalid("must not be null");
    return;
  }
  switch (schema.type) {
    case "string": {
      if (typeof value !== "string") return invalid("must be a string");
      if (schema.enum && !schema.enum.includes(value)) {
        violations.push({
          code: "INVALID_ENUM_VALUE",
          field,
          description: `must be one of ${schema.enum.join(", ")}`,
          value: value.slice(0, 64),
        });
        return;
      }
      if (schema.pattern && !new RegExp(schema.pattern, "u").test(value))
        invalid(`must match ${schema.pattern}`);
      if (schema.format === "date-time" && Number.isNaN(Date.parse(value)))
        invalid("must be an ISO 8601 date-time");
      return;
    }
    case "integer":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value))
        return invalid(`must be ${article(schema.type)}`);
      if (schema.type === "integer" && !Number.isInteger(value)) return invalid("must be an integer");
      if (schema.format === "int32" && (value < -2147483648 || value > 2147483647)) {
        return invalid("must fit in a 32-bit integer");
      }
      if (schema.minimum !== undefined && value < schema.minimum)
        return invalid(`must be >= ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        return invalid(`must be <= ${schema.maximum}`);
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") invalid("must be a boolean");
      return;
    case "array":
      if (!Array.isArray(value)) return invalid("must be an array");
      if (schema.items)
        value.forEach((item, i) => checkValue(schema.items as Schema, item, `${field}[${i}]`, violations));
      return;
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return invalid("must be an object");
      checkObject(schema, value as Record<string, unknown>, `${field}.`, violations);
      return;
    default:
      return;
  }
}

function article(type: string): string {
  return type === "integer" ? "an integer" : "a number";
}
