/**
 * The emulator's admin endpoints, as the end-to-end suite uses them: counters, the request log, a
 * cluster's restored state, job changes, run-time options, and watches built on its arrivals and
 * held requests.
 */
export class EmulatorAdmin {
  private readonly watches = new Map<
    string,
    { operationId: string; from: number; hold: number; rule: Record<string, unknown> | undefined }
  >();
  private watchCount = 0;

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

  /** Every collection-level restore job Atlas holds (the admin API lists them apart from the others). */
  async collectionJobs(): Promise<{ id: string; clusterName: string; state: string }[]> {
    return (
      await this.call<{ jobs: { id: string; clusterName: string; state: string }[] }>(
        "GET",
        "/collection-jobs",
      )
    ).jobs;
  }

  /** The jobs of one API: `serverless`, `flex`, `cluster`, or `collection` for collection-level restores. */
  async jobsOf(api: string): Promise<{ id: string }[]> {
    return api === "collection"
      ? this.collectionJobs()
      : (await this.jobs()).filter((job) => job.api === api);
  }

  /** Every job of every kind, collection-level restores included. */
  async allJobs(): Promise<{ id: string }[]> {
    return [...(await this.jobs()), ...(await this.collectionJobs())];
  }

  /**
   * Watches an operation from now on; the answers of the first `hold` requests are held once they
   * were carried out (a `hold-response-after-commit` fault rule, added to the rules in force).
   */
  async watch(operationId: string, hold = 0, method?: string): Promise<string> {
    const { byOperation } = await this.counters();
    const rule =
      hold > 0
        ? { operationId, ...(method ? { method } : {}), action: "hold-response-after-commit", count: hold }
        : undefined;
    if (rule) await this.setOptions({ faults: [...(await this.faults()), rule] });
    const id = String(++this.watchCount);
    this.watches.set(id, { operationId, from: byOperation[operationId] ?? 0, hold, rule });
    return id;
  }

  /**
   * Waits (on the emulator's side, no sleeping here) until `count` requests of a watch arrived and,
   * when it holds answers, until they are held.
   */
  async arrived(watch: string, count = 1, timeoutMs = 120_000): Promise<number> {
    const { operationId, from, hold } = this.watched(watch);
    const { count: total } = await this.call<{ count: number }>(
      "GET",
      `/arrivals/${operationId}?count=${from + count}&timeoutMs=${timeoutMs}`,
    );
    const holding = Math.min(hold, count);
    if (holding > 0)
      await this.call("GET", `/held?operationId=${operationId}&count=${holding}&timeoutMs=${timeoutMs}`);
    return total - from;
  }

  /** Sends (or drops) the answers held for a watch's operation, and ends the watch. */
  async release(watch: string, mode: "answer" | "drop" = "answer"): Promise<number> {
    const { operationId, rule } = this.watched(watch);
    this.watches.delete(watch);
    if (rule) await this.setOptions({ faults: (await this.faults()).filter((r) => !sameRule(r, rule)) });
    const { held } = await this.call<{ held: { id: string }[] }>("GET", `/held?operationId=${operationId}`);
    for (const { id } of held) await this.call("POST", `/held/${id}/release`, { mode });
    return held.length;
  }

  /** Ends every watch, answering every held request. */
  async clearHooks(): Promise<void> {
    const rules = [...this.watches.values()].flatMap((w) => (w.rule ? [w.rule] : []));
    this.watches.clear();
    const faults = await this.faults();
    const left = faults.filter((r) => !rules.some((rule) => sameRule(r, rule)));
    if (left.length < faults.length) await this.setOptions({ faults: left });
    await this.call("POST", "/held/release");
  }

  /** Moves the emulator's time forward, so that long restores finish now. */
  advanceClock(ms: number): Promise<unknown> {
    return this.call("POST", "/clock", { advanceMs: ms });
  }

  /** Back to the seed, counters cleared. */
  reset(): Promise<unknown> {
    return this.call("POST", "/reset");
  }

  private async faults(): Promise<Record<string, unknown>[]> {
    return (await this.call<{ faults: Record<string, unknown>[] }>("GET", "/options")).faults;
  }

  private watched(watch: string) {
    const watched = this.watches.get(watch);
    if (!watched) throw new Error(`no emulator watch: ${watch}`);
    return watched;
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

/** Whether two fault rules say the same (the emulator answers its rules as JSON, not as given). */
function sameRule(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}
