import type * as t from "io-ts";

/**
 * Turns io-ts decode errors into one line per problem: the path and the expected type, never the
 * offending value (it may be a secret or a download URL), unlike io-ts's own `PathReporter`.
 */
export function formatDecodeErrors(errors: t.Errors): string[] {
  const lines = errors.map((error) => {
    // A failed union reports once per member; name the union instead of each member.
    const unionAt = error.context.findIndex((entry) => tagOf(entry.type) === "UnionType");
    const context = unionAt >= 0 ? error.context.slice(0, unionAt + 1) : error.context;
    const path = pathOf(context) || "value";
    if (error.message !== undefined) return `${path}: ${error.message}`;
    return `${path}: expected ${context[context.length - 1]?.type.name ?? "unknown"}`;
  });
  return [...new Set(lines)];
}

/**
 * The dotted property path of a decode error. Intersections and unions add their member's index to
 * the context; those steps are not part of the data's shape, so they are skipped.
 */
export function pathOf(context: t.Context): string {
  const keys: string[] = [];
  for (let i = 1; i < context.length; i++) {
    const parentTag = tagOf(context[i - 1]!.type);
    if (parentTag === "IntersectionType" || parentTag === "UnionType") continue;
    keys.push(context[i]!.key);
  }
  return keys.join(".");
}

function tagOf(type: t.Decoder<unknown, unknown>): string | undefined {
  return (type as { _tag?: string })._tag;
}
