import { readFileSync } from "node:fs";
import { join } from "node:path";

import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Contract checks: an answer from an Atlas route is validated against the official OpenAPI subset
 * (copied in ./openapi), for its operation and status. One rule is stricter than the documents say,
 * because a client written against the contract must never meet anything else: no property the
 * schema does not declare (the subset never sets `additionalProperties`, so plain JSON Schema would
 * accept invented fields). OpenAPI 3.0 `nullable` is understood by Ajv itself (its `nullable`
 * keyword).
 */

type Json = Record<string, unknown>;
type Operation = { operationId?: string; responses: Record<string, Json> };
type Spec = Json & { paths: Record<string, Record<string, Operation>>; components: Json };

const specs = [
  "openapi-subset.json",
  "openapi-subset-extras.json",
  "openapi-subset-dedicated.json",
  "openapi-subset-sharded-snapshots.json",
].map((file) => withErrata(JSON.parse(readFileSync(join(__dirname, "openapi", file), "utf8")) as Spec));

/**
 * Where the OpenAPI documents disagree with what Atlas sends, the checker follows Atlas, narrowly:
 * `ApiError.parameters` holds the strings the detail names (e.g. `["<groupId>"]` for
 * GROUP_NOT_FOUND), while the documents type its items as objects; an on-demand snapshot's
 * `frequencyType` is `ondemand` (recorded by the Atlas CLI's end-to-end tests), which the enum lacks.
 */
function withErrata(spec: Spec): Spec {
  const schemas = spec.components.schemas as Record<string, { properties?: Record<string, Json> }>;
  const parameters = schemas.ApiError?.properties?.parameters;
  if (parameters) parameters.items = { type: "string" };
  for (const schema of Object.values(schemas)) {
    const frequency = schema.properties?.frequencyType as { enum?: string[] } | undefined;
    if (frequency?.enum?.includes("daily")) frequency.enum = [...frequency.enum, "ondemand"];
  }
  return spec;
}

/** Adds `additionalProperties: false` to every object schema that lists its properties. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    // Examples are free-form data, not schemas.
    out[key] = key === "example" || key === "examples" ? value : closeObjects(value);
  }
  if (out.properties && typeof out.properties === "object" && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
specs.forEach((spec, i) => ajv.addSchema(closeObjects(spec) as Json, `spec${i}`));
const compiled = new Map<string, ValidateFunction>();

/** Where an operation lives: its spec, path template and method. */
interface Located {
  spec: number;
  path: string;
  method: string;
  operation: Operation;
}

const operations: Located[] = specs.flatMap((spec, i) =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ spec: i, path, method, operation })),
  ),
);

/** Every operationId of the contract. */
export const CONTRACT_OPERATIONS: readonly string[] = operations.map((o) => o.operation.operationId!);

/**
 * The operationId of a request to the Atlas API, by method and path; undefined for other routes. A literal
 * segment wins over a parameter (`…/snapshots/shardedClusters` is not `…/snapshots/{snapshotId}`).
 */
export function operationOf(method: string, pathname: string): string | undefined {
  const literals = (path: string) => path.split("/").filter((s) => !s.startsWith("{")).length;
  return operations
    .filter(
      (o) =>
        o.method.toUpperCase() === method.toUpperCase() &&
        new RegExp(`^${o.path.replace(/\{\w+\}/g, "[^/]+")}$`).test(pathname),
    )
    .sort((a, b) => literals(b.path) - literals(a.path))[0]?.operation.operationId;
}

/** Whether a path template of the contract matches this path, whatever the method. */
export function isContractPath(pathname: string): boolean {
  return operations.some((o) => new RegExp(`^${o.path.replace(/\{\w+\}/g, "[^/]+")}$`).test(pathname));
}

/** The JSON pointer, within its spec, of an operation's answer schema for a status (and media type). */
function responsePointer(
  operationId: string,
  status: number,
  mediaType?: string,
): { ref: string; pointer: string[] } {
  const located = operations.find((o) => o.operation.operationId === operationId);
  if (!located) throw new Error(`no such operation in the contract: ${operationId}`);
  const spec = specs[located.spec]!;
  const response = located.operation.responses[String(status)];
  // Statuses the subset leaves out (406, 410 after the sunset, 503) still answer an ApiError.
  if (!response) {
    if (status >= 400) return { ref: `spec${located.spec}`, pointer: ["components", "schemas", "ApiError"] };
    throw new Error(`${operationId} documents no ${status} answer`);
  }
  if (typeof response.$ref === "string") {
    const name = response.$ref.split("/").pop()!;
    const shared = (spec.components.responses as Record<string, { content: Json }>)[name]!;
    const mediaType = Object.keys(shared.content)[0]!;
    return {
      ref: `spec${located.spec}`,
      pointer: ["components", "responses", name, "content", mediaType, "schema"],
    };
  }
  const types = Object.keys(response.content as Json);
  const chosen = mediaType !== undefined && types.includes(mediaType) ? mediaType : types[0]!;
  return {
    ref: `spec${located.spec}`,
    pointer: [
      "paths",
      located.path,
      located.method,
      "responses",
      String(status),
      "content",
      chosen,
      "schema",
    ],
  };
}

/** The documented media type of an operation's answer for a status (`application/json` for errors). */
export function contractMediaType(operationId: string, status: number): string {
  return contractMediaTypes(operationId, status)[0]!;
}

/** Every documented media type of an operation's answer for a status (one per version it offers). */
export function contractMediaTypes(operationId: string, status: number): string[] {
  const located = operations.find((o) => o.operation.operationId === operationId);
  const response = located?.operation.responses[String(status)];
  if (!response || typeof response.$ref === "string" || !response.content) return ["application/json"];
  return Object.keys(response.content as Json);
}

const escapeSegment = (s: string): string => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"));

/**
 * Throws when `body` does not match what the OpenAPI promises for this operation and status; `contentType`
 * picks the version's schema (its parameters, e.g. `;charset=utf-8`, do not count).
 */
export function assertContract(
  operationId: string,
  status: number,
  body: unknown,
  contentType?: string,
): void {
  const mediaType = contentType?.split(";")[0]?.trim();
  const key = `${operationId} ${status} ${mediaType ?? ""}`;
  let validate = compiled.get(key);
  if (!validate) {
    const { ref, pointer } = responsePointer(operationId, status, mediaType);
    validate = ajv.compile({ $ref: `${ref}#/${pointer.map(escapeSegment).join("/")}` });
    compiled.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(`${key} breaks the contract: ${ajv.errorsText(validate.errors)}`);
  }
}
