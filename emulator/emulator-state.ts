import { ApiError, unexpectedError } from "./atlas/api-errors";
import { NonceBook } from "./auth/digest";
import { type Clock, type OffsetClock, offsetClock, systemClock } from "./clock";
import { FaultInjector, RateLimiter } from "./faults";
import type { EmulatorOptions, RuntimeOptions } from "./options";
import { defaultSeed } from "./seed";
import { Store } from "./state/store";

/** One request as the log keeps it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "dropped" | "reset";
  operationId?: string;
  /** The page a listing asked for (`pageNum`), when it asked for one: a listing's later pages are not new listings. */
  pageNum?: number;
  /** ISO 8601. */
  time: string;
}

/** A request an admin holds (a `hold` fault): where it is, until released. */
export interface HeldRequest {
  id: string;
  operationId: string;
  method: string;
  path: string;
  /** Whether it was carried out already (its answer is what waits). */
  committed: boolean;
  /** ISO 8601, emulator clock. */
  since: string;
}

/** How a held request goes on: answered as usual, or its connection destroyed without an answer. */
export type ReleaseMode = "answer" | "drop";

/** How many requests the log keeps (the oldest are dropped first). */
export const REQUEST_LOG_LIMIT = 10_000;

/** Everything a running emulator holds besides its HTTP server. */
export class Emulator {
  readonly store: Store;
  options: RuntimeOptions;
  readonly clock: OffsetClock;
  readonly nonces = new NonceBook();
  readonly limiter = new RateLimiter();
  faults: FaultInjector;
  requests: LoggedRequest[] = [];
  counters = { byOperation: {} as Record<string, number>, byMethod: {} as Record<string, number> };
  baseUrl = "";
  private readonly held = new Map<string, { request: HeldRequest; release: (how: ReleaseMode) => void }>();
  private heldCount = 0;
  private readonly arrivalWaiters: Array<{ operationId: string; count: number; wake: () => void }> = [];
  private readonly holdWaiters: Array<{ operationId?: string; count: number; wake: () => void }> = [];

  constructor(
    options: Pick<EmulatorOptions, "seed" | "stateFile">,
    runtime: RuntimeOptions,
    clock: Clock = systemClock,
  ) {
    this.store = new Store(options.seed ?? defaultSeed(), options.stateFile, clock.now());
    this.options = runtime;
    this.clock = offsetClock(clock, this.store.state.clockOffsetMs);
    this.faults = new FaultInjector(this.options.faults, this.options.faultSeed);
  }

  /** Replaces the runtime options; fault rules start counting again. */
  setOptions(options: RuntimeOptions): void {
    this.options = options;
    this.faults = new FaultInjector(options.faults, options.faultSeed);
    this.limiter.clear();
  }

  /** Back to the seed and the start options: no jobs, no log, no counters. */
  reset(initial: RuntimeOptions): void {
    this.release();
    this.store.reset();
    this.clock.offsetMs = 0;
    this.setOptions(initial);
    this.requests = [];
    this.counters = { byOperation: {}, byMethod: {} };
    this.nonces.clear();
  }

  /**
   * The Atlas error to answer for `error`: itself when it is one, else a bare 500 UNEXPECTED_ERROR whose
   * details (a bug's message and stack) go to stderr, never to the client.
   */
  asApiError(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    console.error(
      `Atlas emulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return unexpectedError();
  }

  /** Appends to the request log, keeping the newest {@link REQUEST_LOG_LIMIT} entries. */
  log(entry: LoggedRequest): void {
    this.requests.push(entry);
    // A long-running emulator (a user's laptop) must not grow without bound; tests read far fewer.
    if (this.requests.length > REQUEST_LOG_LIMIT)
      this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT);
  }

  /** Counts one request to an operation (`method` is absent for the OAuth endpoints). */
  count(operationId: string, method: string | undefined): void {
    this.counters.byOperation[operationId] = (this.counters.byOperation[operationId] ?? 0) + 1;
    if (method) this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
    for (const waiter of [...this.arrivalWaiters]) {
      if (waiter.operationId === operationId && this.counters.byOperation[operationId]! >= waiter.count) {
        this.arrivalWaiters.splice(this.arrivalWaiters.indexOf(waiter), 1);
        waiter.wake();
      }
    }
  }

  /** Resolves once `operationId` has been counted `count` times (at once if it already was). */
  arrival(operationId: string, count: number): Promise<void> {
    if ((this.counters.byOperation[operationId] ?? 0) >= count) return Promise.resolve();
    return new Promise((wake) => this.arrivalWaiters.push({ operationId, count, wake }));
  }

  /** Keeps a request waiting until {@link release}; resolves then with how it was released. */
  hold(request: Omit<HeldRequest, "id" | "since">): Promise<ReleaseMode> {
    const id = String(++this.heldCount);
    const released = new Promise<ReleaseMode>((release) =>
      this.held.set(id, {
        request: { id, ...request, since: new Date(this.clock.now()).toISOString() },
        release,
      }),
    );
    for (const waiter of [...this.holdWaiters]) {
      if (this.heldRequests(waiter.operationId).length >= waiter.count) {
        this.holdWaiters.splice(this.holdWaiters.indexOf(waiter), 1);
        waiter.wake();
      }
    }
    return released;
  }

  /** The requests held now (of `operationId` when given), oldest first. */
  heldRequests(operationId?: string): HeldRequest[] {
    return [...this.held.values()]
      .map((h) => h.request)
      .filter((request) => operationId === undefined || request.operationId === operationId);
  }

  /** Resolves once `count` requests (of `operationId` when given) are held at once (at once if they are). */
  holding(operationId: string | undefined, count: number): Promise<void> {
    if (this.heldRequests(operationId).length >= count) return Promise.resolve();
    return new Promise((wake) =>
      this.holdWaiters.push({ ...(operationId ? { operationId } : {}), count, wake }),
    );
  }

  /**
   * Lets held requests go on (all when `id` is undefined): with their answer, or by dropping their
   * connection (`drop`); answers which were released.
   */
  release(id?: string, how: ReleaseMode = "answer"): string[] {
    const ids = id === undefined ? [...this.held.keys()] : this.held.has(id) ? [id] : [];
    for (const key of ids) {
      this.held.get(key)!.release(how);
      this.held.delete(key);
    }
    return ids;
  }
}
