import { invalidParameter } from "./api-errors";

// Atlas list pages: `pageNum` (from 1), `itemsPerPage` (1–500, default 100), `includeCount` (default true);
// the body is `{results, totalCount, links}` with `self`, and `next`/`previous` when those pages exist.

/** The query flags every operation takes, and the paging ones lists take. */
export interface QueryFlags {
  pageNum: number;
  itemsPerPage: number;
  includeCount: boolean;
  envelope: boolean;
  pretty: boolean;
}

/** An Atlas `Link`. */
export interface Link {
  rel: string;
  href: string;
}

/** An Atlas page body (`Paginated…View`). */
export interface Page<T> {
  links: Link[];
  results: T[];
  totalCount?: number;
}

/**
 * Reads the query flags. Strictly (the default), the first bad one throws a 400 `INVALID_PARAMETER`
 * ApiError; leniently (an operation that declares no 400), a bad value is read as Atlas's Java would
 * read it instead (see `Operation.lenientQuery`).
 */
export function parseQueryFlags(query: URLSearchParams, lenient = false): QueryFlags {
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : undefined;
    if (lenient) return value === undefined ? fallback : Math.min(max, Math.max(min, value));
    if (value === undefined) throw invalidParameter(name, "must be an integer");
    if (value < min || value > max) throw invalidParameter(name, `must be between ${min} and ${max}`);
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (lenient || /^false$/i.test(raw)) return isTrue(raw);
    if (!isTrue(raw)) throw invalidParameter(name, "must be true or false");
    return true;
  };
  return {
    pageNum: integer("pageNum", 1, 1, Number.MAX_SAFE_INTEGER),
    itemsPerPage: integer("itemsPerPage", 100, 1, 500),
    includeCount: boolean("includeCount", true),
    envelope: boolean("envelope", false),
    pretty: boolean("pretty", false),
  };
}

/** A flag as Java's `Boolean.valueOf` reads it: `true` in any case, and nothing else. */
export function isTrue(raw: string | null): boolean {
  return raw?.toLowerCase() === "true";
}

/** Cuts one page out of `items`; `selfUrl` is the request's absolute URL (its paging flags are rewritten). */
export function paginate<T>(items: readonly T[], flags: QueryFlags, selfUrl: URL): Page<T> {
  const start = (flags.pageNum - 1) * flags.itemsPerPage;
  const results = items.slice(start, start + flags.itemsPerPage);
  const pageUrl = (pageNum: number): string => {
    const url = new URL(selfUrl.href);
    url.searchParams.set("pageNum", String(pageNum));
    url.searchParams.set("itemsPerPage", String(flags.itemsPerPage));
    return url.href;
  };
  const links: Link[] = [];
  if (flags.pageNum > 1) links.push({ rel: "previous", href: pageUrl(flags.pageNum - 1) });
  links.push({ rel: "self", href: pageUrl(flags.pageNum) });
  if (start + flags.itemsPerPage < items.length)
    links.push({ rel: "next", href: pageUrl(flags.pageNum + 1) });
  const page: Page<T> = { links, results };
  if (flags.includeCount) page.totalCount = items.length;
  return page;
}
