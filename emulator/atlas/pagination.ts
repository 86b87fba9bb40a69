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

/** Reads and checks the query flags; throws a 400 `INVALID_PARAMETER` ApiError naming the first bad one. */
export function parseQueryFlags(query: URLSearchParams): QueryFlags {
  return {
    pageNum: integerParam(query, "pageNum", 1, 1, Number.MAX_SAFE_INTEGER),
    itemsPerPage: integerParam(query, "itemsPerPage", 100, 1, 500),
    includeCount: booleanParam(query, "includeCount", true),
    envelope: booleanParam(query, "envelope", false),
    pretty: booleanParam(query, "pretty", false),
  };
}

function integerParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalidParameter(name, "must be an integer");
  const value = Number(raw);
  if (value < min || value > max) throw invalidParameter(name, `must be between ${min} and ${max}`);
  return value;
}

function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw !== "true" && raw !== "false") throw invalidParameter(name, "must be true or false");
  return raw === "true";
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
