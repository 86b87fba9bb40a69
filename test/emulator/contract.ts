import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import Ajv from "ajv";
import addFormats from "ajv-formats";

/**
 * Contract checks: every answer an emulator test receives from an Atlas route is validated against
 * the official OpenAPI subset, for its operation and status.
 */

type Spec = {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
};

const specs = ["openapi-subset.json", "openapi-subset-extras.json"].map(
  (file) =>
    JSON.parse(readFileSync(join(__dirname, "openapi", file), "utf8")) as Spec & Record<string, unknown>,
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
specs.forEach((spec, i) => ajv.addSchema(spec, `spec${i}`));

/** The JSON schema of an operation's answer for a status, as a `$ref` into its spec document. */
function responseSchemaRef(operationId: string, status: number): { $ref: string } {
  for (const [i, spec] of specs.entries()) {
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.operationId !== operationId) continue;
        const response = operation.responses[String(status)] as Record<string, unknown> | undefined;
        // Statuses the subset leaves out (e.g. 410 after the sunset) still answer an ApiError.
        if (!response && status >= 400) return { $ref: `spec${i}#/components/schemas/ApiError` };
        if (!response) throw new Error(`${operationId} documents no ${status} answer`);
        if (typeof response.$ref === "string") {
          const name = response.$ref.split("/").pop()!;
          const content = (
            spec.components as Record<string, Record<string, { content: Record<string, unknown> }>>
          ).responses[name]!.content;
          return {
            $ref: `spec${i}#/components/responses/${name}/content/${escape(Object.keys(content)[0]!)}/schema`,
          };
        }
        const mediaType = Object.keys(response.content as object)[0]!;
        const pointer = `/paths/${escape(path)}/${method}/responses/${status}/content/${escape(mediaType)}/schema`;
        return { $ref: `spec${i}#${pointer}` };
      }
    }
  }
  throw new Error(`no such operation: ${operationId}`);
}

function escape(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}

/** Throws when `body` does not match what the OpenAPI promises for this operation and status. */
export function assertContract(operationId: string, status: number, body: unknown): void {
  const validate = ajv.compile(responseSchemaRef(operationId, status));
  if (!validate(body)) {
    throw new Error(`${operationId} ${status} breaks the contract: ${ajv.errorsText(validate.errors)}`);
  }
}

/** One answer of the emulator, already checked against the contract. */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends a request to an Atlas route and checks the answer against the contract of `operationId`. */
export async function call(
  url: string,
  operationId: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  assertContract(operationId, response.status, body);
  return { status: response.status, headers: response.headers, body };
}

/** Runs `curl` and resolves with its stdout (HTTP status on the last line with `-w`). */
export function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("curl", ["-s", ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}
