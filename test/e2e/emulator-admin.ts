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
