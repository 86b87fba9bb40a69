import type { AxiosAdapter, InternalAxiosRequestConfig } from "axios";

import type { AtlasAuth } from "../../provider/atlas/auth";
import { type AtlasClient, createAtlasClient } from "../../provider/atlas/client";
import type { ClusterRestoreJob, ClusterSnapshot } from "../../provider/atlas/cluster-wire";
import { defaultRetryPolicy } from "../../provider/atlas/retry-policy";
import { createExchange, createHttp } from "../../provider/atlas/transport";
import type { FlaggedJob, ServerlessJobWire } from "../../provider/atlas/wire";
import { memoryJournal } from "../../provider/restore/journal";
import type { Logger, PendingIntent, Session } from "../../provider/restore/types";
import type { Clock } from "../../provider/waiting/clock";

/**
 * A clock whose time moves only when something sleeps on it or the test advances it (e.g. a slow
 * request); records every sleep.
 */
export function fakeClock(
  start = Date.UTC(2026, 10, 28, 12),
  random = 0.5,
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
}

/** One canned answer of {@link fakeAdapter}: an HTTP response, or a network error code. */
export type FakeAnswer =
  { status: number; body?: unknown; headers?: Record<string, string> } | { networkError: string };

/** What the fake adapter saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** An axios adapter that answers from a list, in order, and records the requests. */
export function fakeAdapter(answers: FakeAnswer[]): AxiosAdapter & { seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const adapter = async (config: InternalAxiosRequestConfig) => {
    const headers = Object.fromEntries(
      Object.entries(config.headers.toJSON()).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    seen.push({
      method: (config.method ?? "get").toUpperCase(),
      url: config.url ?? "",
      headers,
      body: config.data as string | undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new Error("fake adapter: no answer left");
    if ("networkError" in answer) {
      throw Object.assign(new Error(`fake ${answer.networkError}`), { code: answer.networkError, config });
    }
    return {
      status: answer.status,
      statusText: "",
      headers: answer.headers ?? {},
      config,
      data:
        answer.body === undefined
          ? ""
          : typeof answer.body === "string"
            ? answer.body
            : JSON.stringify(answer.body),
    };
  };
  return Object.assign(adapter, { seen });
}

/**
 * An Atlas client over {@link fakeAdapter}: the real transport, signed by {@link fixedAuth}, with the
 * default retry policy on a fake clock.
 */
export function fakeAdapterClient(answers: FakeAnswer[]) {
  const adapter = fakeAdapter(answers);
  const send = createHttp({
    exchange: createExchange({ baseUrl: "https://atlas.test", timeoutMs: 1000, adapter }),
    auth: fixedAuth(),
    retry: defaultRetryPolicy,
    clock: fakeClock(),
  });
  return { client: createAtlasClient(send), adapter };
}

/** An auth strategy that always signs with a fixed header. */
export function fixedAuth(header = "Bearer test-token"): AtlasAuth {
  return { describe: () => "service account", authorization: async () => header, unauthorized: () => false };
}

/** What a serverless and a dedicated restore job both carry while an automated restore runs. */
const runningFlaggedJob: FlaggedJob = {
  deliveryType: "automated",
  snapshotId: "5f0e1d2c3b4a596877665544",
  targetClusterName: "staging-orders",
  targetGroupId: "0123456789abcdef01234567",
  failed: false,
  cancelled: false,
  expired: false,
  timestamp: "2026-11-28T11:00:00Z",
};

/** A serverless restore job as Atlas returns it, with overrides. */
export function jobFixture(overrides: Partial<ServerlessJobWire> = {}): ServerlessJobWire {
  return { id: "65a1b2c3d4e5f6a7b8c9d0e1", ...runningFlaggedJob, ...overrides };
}

/**
 * An Atlas client whose methods are the given fakes; any other method rejects, so a test notices a
 * request it did not expect.
 */
export function fakeAtlasClient(methods: Partial<AtlasClient> = {}): AtlasClient {
  const unexpected = (name: string) => () =>
    Promise.reject(new Error(`fake client: unexpected call: ${name}`));
  // A record, not a list, so that the type check fails when the client gains a method.
  const names: Record<keyof AtlasClient, null> = {
    createServerlessRestoreJob: null,
    getServerlessRestoreJob: null,
    listServerlessRestoreJobs: null,
    listServerlessSnapshots: null,
    getServerlessInstance: null,
    createFlexRestoreJob: null,
    downloadFlexSnapshot: null,
    getFlexRestoreJob: null,
    listFlexRestoreJobs: null,
    listFlexSnapshots: null,
    getFlexCluster: null,
    createClusterRestoreJob: null,
    getClusterRestoreJob: null,
    listClusterRestoreJobs: null,
    cancelClusterRestoreJob: null,
    listClusterSnapshots: null,
    takeClusterSnapshot: null,
    getClusterSnapshot: null,
    getShardedClusterSnapshot: null,
    getCluster: null,
    createCollectionRestoreJob: null,
    getCollectionRestoreJob: null,
    listCollectionRestoreJobs: null,
    listCollectionRestoreStates: null,
  };
  return Object.fromEntries(
    (Object.keys(names) as (keyof AtlasClient)[]).map((name) => [name, methods[name] ?? unexpected(name)]),
  ) as unknown as AtlasClient;
}

/** A dedicated-cluster restore job as Atlas answers its creation (no `finishedAt` yet), with overrides. */
export function clusterJobFixture(overrides: Partial<ClusterRestoreJob> = {}): ClusterRestoreJob {
  return {
    id: "65a1b2c3d4e5f6a7b8c9d0e2",
    ...runningFlaggedJob,
    deliveryUrl: [],
    desiredTimestamp: { date: null, increment: null, time: null },
    ...overrides,
  };
}

/** A dedicated-cluster snapshot, with overrides. */
export function clusterSnapshotFixture(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    id: "5f0e1d2c3b4a596877665544",
    type: "replicaSet",
    status: "completed",
    snapshotType: "scheduled",
    createdAt: "2026-11-28T00:00:00Z",
    ...overrides,
  };
}

/**
 * A session over the given client, with a fake clock, an in-memory journal and a log that records
 * each message as `info: …` or `warn: …`.
 */
export function fakeSession(client: AtlasClient) {
  const clock = fakeClock();
  const messages: string[] = [];
  const journal = memoryJournal();
  const log: Logger = { info: (m) => messages.push(`info: ${m}`), warn: (m) => messages.push(`warn: ${m}`) };
  const session: Session = { client, clock, log, journal, poll: { minDelayMs: 1000, maxDelayMs: 60_000 } };
  return { session, clock, messages, journal };
}

/** The journal's attempts still open: a POST sent or a job known, and not yet seen held by state. */
export function openAttempts(journal: { entries: Map<string, PendingIntent> }): PendingIntent[] {
  return [...journal.entries.values()].filter((entry) => entry.posts > 0 || entry.jobId !== undefined);
}
