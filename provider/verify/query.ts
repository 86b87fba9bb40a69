import { EJSON } from "bson";

/**
 * What is wrong with a MongoDB query filter given as JSON (Extended JSON allowed: `{"$oid": …}`,
 * `{"$date": …}`), each problem with its path below `at`: unknown operators, operators given the
 * wrong kind of value, operators mixed with fields. Pure; never prints a value.
 */
export function queryProblems(filter: unknown, at: string): string[] {
  if (!isPlainObject(filter)) return [`${at}: expected an object (a MongoDB query filter)`];
  try {
    EJSON.deserialize(filter as Record<string, unknown>);
  } catch {
    return [`${at}: not valid Extended JSON`];
  }
  return filterProblems(filter, at);
}

type Shape = "any" | "array" | "object" | "number" | "string" | "boolean" | "filters";

// Operators on a field's value (https://www.mongodb.com/docs/manual/reference/operator/query/).
const FIELD_OPERATORS: Record<string, Shape> = {
  $eq: "any",
  $ne: "any",
  $gt: "any",
  $gte: "any",
  $lt: "any",
  $lte: "any",
  $in: "array",
  $nin: "array",
  $all: "array",
  $exists: "any",
  $type: "any",
  $regex: "any",
  $options: "string",
  $not: "any",
  $elemMatch: "object",
  $size: "number",
  $mod: "array",
  $bitsAllSet: "any",
  $bitsAllClear: "any",
  $bitsAnySet: "any",
  $bitsAnyClear: "any",
  $geoWithin: "object",
  $geoIntersects: "object",
  $near: "any",
  $nearSphere: "any",
  $maxDistance: "number",
  $minDistance: "number",
};

// Operators at the top of a filter (or of each filter in $and, $or, $nor).
const TOP_OPERATORS: Record<string, Shape> = {
  $and: "filters",
  $or: "filters",
  $nor: "filters",
  $expr: "any",
  $text: "object",
  $comment: "any",
  $jsonSchema: "object",
  $where: "string",
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The keys of Extended JSON values (https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/).
const EXTENDED_JSON_KEYS = new Set([
  "$oid",
  "$date",
  "$numberInt",
  "$numberLong",
  "$numberDouble",
  "$numberDecimal",
  "$binary",
  "$uuid",
  "$regularExpression",
  "$timestamp",
  "$minKey",
  "$maxKey",
  "$symbol",
  "$code",
  "$scope",
  "$dbPointer",
  "$ref",
  "$id",
  "$db",
  "$undefined",
]);

/** Whether a value is an Extended JSON value (`{"$oid": …}`), not an operator expression. */
function isExtendedJsonValue(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => EXTENDED_JSON_KEYS.has(k));
}

function shapeProblem(value: unknown, shape: Shape, at: string): string[] {
  switch (shape) {
    case "any":
      return [];
    case "array":
      return Array.isArray(value) ? [] : [`${at}: expected an array`];
    case "object":
      return isPlainObject(value) ? [] : [`${at}: expected an object`];
    case "number":
      return typeof value === "number" ? [] : [`${at}: expected a number`];
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected a string`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
    case "filters":
      if (!Array.isArray(value) || value.length === 0)
        return [`${at}: expected a non-empty array of filters`];
      return value.flatMap((f, i) =>
        isPlainObject(f) ? filterProblems(f, `${at}[${i}]`) : [`${at}[${i}]: expected an object`],
      );
  }
}

function filterProblems(filter: Record<string, unknown>, at: string): string[] {
  return Object.entries(filter).flatMap(([key, value]) => {
    const path = `${at}.${key}`;
    if (key.startsWith("$")) {
      const shape = TOP_OPERATORS[key];
      return shape ? shapeProblem(value, shape, path) : [`${path}: unknown top-level operator`];
    }
    if (key === "") return [`${at}: a field name must not be empty`];
    return conditionProblems(value, path);
  });
}

function conditionProblems(condition: unknown, at: string): string[] {
  if (!isPlainObject(condition) || isExtendedJsonValue(condition)) return [];
  const keys = Object.keys(condition);
  const operators = keys.filter((k) => k.startsWith("$"));
  if (operators.length === 0) return []; // an embedded document, matched as a whole
  if (operators.length !== keys.length) return [`${at}: mixes operators and fields`];
  return operators.flatMap((op) => {
    const shape = FIELD_OPERATORS[op];
    if (!shape) return [`${at}.${op}: unknown operator`];
    const value = condition[op];
    const nested = `${at}.${op}`;
    // $not takes an operator expression (or a regex); $elemMatch a filter, or operators on scalars.
    if (op === "$not" || op === "$elemMatch") {
      if (!isPlainObject(value)) return [`${nested}: expected an object`];
      const operatorsOnly = Object.keys(value).every((k) => k.startsWith("$"));
      return op === "$not" || operatorsOnly
        ? conditionProblems(value, nested)
        : filterProblems(value, nested);
    }
    return shapeProblem(value, shape, `${at}.${op}`);
  });
}
