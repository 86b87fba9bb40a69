import { invalidVersionDate, invalidVersionNotAcceptable, unsupportedMediaType } from "./api-errors";

// Atlas Admin API v2 resource versions: the client names one in `Accept: application/vnd.atlas.<date>+json`,
// the answer echoes it in `Content-Type`. A missing or unoffered version answers 406 INVALID_VERSION_DATE
// ("Invalid accept header or version date."); a date that is not a calendar date answers 400.

const VERSIONED = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/g;

/** The versioned media type of a version date. */
export function versionedMediaType(version: string): string {
  return `application/vnd.atlas.${version}+json`;
}

/** Picks the version of `accept` the operation offers; throws the ApiError Atlas answers otherwise. */
export function negotiateVersion(accept: string | undefined, offered: readonly string[]): string {
  const requested = [...(accept ?? "").matchAll(VERSIONED)].map((m) => m[1] as string);
  const match = requested.find((v) => offered.includes(v));
  if (match) return match;
  const notADate = requested.find((v) => !isCalendarDate(v));
  if (notADate) throw invalidVersionDate(notADate);
  throw invalidVersionNotAcceptable(accept ?? "");
}

/** Checks a request body's `Content-Type`: the negotiated versioned type, or plain JSON. */
export function checkContentType(contentType: string | undefined, version: string): void {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type === versionedMediaType(version)) return;
  throw unsupportedMediaType(type || "(none)");
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
