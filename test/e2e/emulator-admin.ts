/**
 * The emulator's admin endpoints, as the end-to-end suite uses them: counters, the request log, a
 * cluster's restored state, job changes, run-time options.
 */
export class EmulatorAdmin {
  constructor(readonly url: string) {}

  /** Requests served per Atlas operation id. */
  async counters(): Promise<{ byOperation: Record<string, number>; byMethod: Record<string, number> }> {
    return this.call("GET", "/counters");
  }

  /** Restore jobs Atlas now holds (serverless and flex, downloads included): every write these operations make. */
  async jobsCreated(): Promise<number> {
    return (await this.call<{ jobs: unknown[] }>("GET", "/jobs")).jobs.length;
  }

  /** Atlas API requests served so far (admin and OAuth excluded). */
  async atlasRequests(): Promise<number> {
    const { byOperation } = await this.counters();
    return Object.entries(byOperation)
      .filter(([operation]) => !/oauth/i.test(operation))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** What a serverless instance, flex cluster or dedicated cluster holds after restores. */
  cluster(
    groupId: string,
    name: string,
    kind: "serverless" | "flex" | "cluster" = "serverless",
  ): Promise<Record<string, unknown>> {
    return this.call("GET", `/clusters/${groupId}/${name}?kind=${kind}`);
  }

  /** Changes a job as Atlas might (expire it, cancel it). */
  patchJob(jobId: string, change: Record<string, unknown>): Promise<unknown> {
    return this.call("PATCH", `/jobs/${jobId}`, change);
  }

  /** Changes run-time options (restore durations, sunset, faults, rate limit). */
  setOptions(options: Record<string, unknown>): Promise<unknown> {
    return this.call("PATCH", "/options", options);
  }

  /** The request log: method, path, status (a number, `reset` or `dropped`), operation id. */
  async requests(): Promise<
    { method: string; path: string; status: number | string; operationId?: string }[]
  > {
    return (
      await this.call<{
        requests: { method: string; path: string; status: number | string; operationId?: string }[];
      }>("GET", "/requests")
    ).requests;
  }

  /** Every restore job Atlas holds, as the admin API lists it. */
  async jobs(): Promise<{ id: string; api: string; clusterName: string; phase: string }[]> {
    return (
      await this.call<{ jobs: { id: string; api: string; clusterName: string; phase: string }[] }>(
        "GET",
        "/jobs",
      )
    ).jobs;
  }

  /** Watches an operation from now on; the answers of the first `hold` requests are held (hooks). */
  async watch(operationId: string, hold = 0, method?: string): Promise<string> {
    return (
      await this.call<{ id: string }>("POST", "/hooks/watches", {
        operationId,
        hold,
        ...(method ? { method } : {}),
      })
    ).id;
  }

  /** Waits (on the emulator's side, no sleeping here) until `count` requests of a watch arrived. */
  async arrived(watch: string, count = 1, timeoutMs = 120_000): Promise<number> {
    const { arrived } = await this.call<{ arrived: number }>(
      "GET",
      `/hooks/watches/${watch}?arrived=${count}&timeoutMs=${timeoutMs}`,
    );
    if (arrived < count) throw new Error(`emulator watch ${watch}: ${arrived} of ${count} requests arrived`);
    return arrived;
  }

  /** Sends (or drops) the answers a watch holds, and ends it. */
  release(watch: string, mode: "answer" | "drop" = "answer"): Promise<unknown> {
    return this.call("POST", `/hooks/watches/${watch}/release`, { mode });
  }

  /** Ends every watch, answering what they hold. */
  clearHooks(): Promise<unknown> {
    return this.call("DELETE", "/hooks");
  }

  /** Moves the emulator's time forward, so that long restores finish now. */
  advanceClock(ms: number): Promise<unknown> {
    return this.call("POST", "/clock", { advanceMs: ms });
  }

  /** Back to the seed, counters cleared. */
  reset(): Promise<unknown> {
    return this.call("POST", "/reset");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`emulator admin ${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
