import type { RuntimeOptions } from "../options";
import type { ClusterApi } from "../state/restore-jobs";
import type { Store } from "../state/store";
import type { QueryFlags } from "./pagination";

/** The caller, once authenticated. */
export interface Caller {
  /** Public key or client id. */
  readonly id: string;
  /** Projects it may use. */
  readonly projects: readonly string[];
}

/** What a handler gets. */
export interface OperationContext {
  readonly store: Store;
  readonly options: RuntimeOptions;
  readonly now: number;
  readonly baseUrl: string;
  /** The version served (see {@link Operation.olderVersions}). */
  readonly version: string;
  readonly caller: Caller;
  readonly params: Record<string, string>;
  readonly flags: QueryFlags;
  readonly url: URL;
  readonly body: unknown;
}

/** One operation of the OpenAPI subset. */
export interface Operation {
  readonly operationId: string;
  readonly method: "GET" | "POST" | "DELETE";
  /** Path template, e.g. `/api/atlas/v2/groups/{groupId}/serverless/{name}`. */
  readonly path: string;
  /** The current version. */
  readonly version: string;
  /** Versions still served besides {@link version}, oldest first. */
  readonly olderVersions?: readonly string[];
  readonly api: ClusterApi;
  /**
   * The OpenAPI declares no 400 for it, so nothing in the URL is refused as malformed: a boolean flag is
   * true only when it reads `true` (as Java's `Boolean.valueOf` reads it), a bad page number or size is
   * the default or the nearest bound, and a path parameter off its pattern names nothing (404).
   */
  readonly lenientQuery?: boolean;
  /** Whether the answer is a page (gets `status` beside `results` with `envelope=true`). */
  readonly paged?: boolean;
  /** The status of a success (default 200); a 204 has no body. */
  readonly status?: number;
  handle(context: OperationContext): unknown;
}
