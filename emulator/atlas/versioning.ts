import { invalidVersionDate, invalidVersionNotAcceptable, unsupportedMediaType } from "./api-errors";

// Atlas Admin API v2 resource versions. A client names a date in `Accept: application/vnd.atlas.<date>+json`
// and gets the resource's newest version dated on or before it; the answer's `Content-Type` names the
// version served. So the OpenAPI's own examples send `2025-03-12` to operations whose only version is
// `2023-01-01`, and mongodb/openapi builds each dated spec the same way (its `FindLatestContentVersionMatched`).
// A missing version, or a date before every version, answers 406 INVALID_VERSION_DATE ("Invalid accept header
// or version date."); a date that is not a calendar date answers 400.

const VERSIONED = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/g;

/** The versioned media type of a version date. */
export function versionedMediaType(version: string): string {
  return `application/vnd.atlas.${version}+json`;
}

/** The `Content-Type` of a success: the version served, in UTF-8 as Atlas says. */
export function answerMediaType(version: string): string {
  return `${versionedMediaType(version)};charset=utf-8`;
}

/** The newest of `offered` dated on or before `date`, or undefined when every version is newer. */
export function servedVersion(date: string, offered: readonly string[]): string | undefined {
  // ISO dates order as strings.
  return [...offered]
    .sort()
    .reverse()
    .find((version) => version <= date);
}

/** The version `accept` gets from an operation offering `offered`; throws the ApiError Atlas answers otherwise. */
export function negotiateVersion(accept: string | undefined, offered: readonly string[]): string {
  const requested = [...(accept ?? "").matchAll(VERSIONED)].map((m) => m[1] as string);
  for (const date of requested.filter(isCalendarDate)) {
    const version = servedVersion(date, offered);
    if (version) return version;
  }
  const notADate = requested.find((v) => !isCalendarDate(v));
  if (notADate) throw invalidVersionDate(notADate);
  throw invalidVersionNotAcceptable(accept ?? "");
}

/** Checks a request body's `Content-Type`: plain JSON, or a versioned type that resolves to `version`. */
export function checkContentType(
  contentType: string | undefined,
  version: string,
  offered: readonly string[],
): void {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return;
  const date = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/.exec(type)?.[1];
  if (date && isCalendarDate(date) && servedVersion(date, offered) === version) return;
  throw unsupportedMediaType(type || "(none)");
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
