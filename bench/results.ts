import type { DataBenchResults } from "./data";
import type { CommandRun } from "./engine";
import type { polling } from "./polling";

/** One measured `pulumi up` (and `destroy` for the CPU pairs). */
export interface EngineRun {
  /**
   * Serverless restores, collection restores of one source, do-nothing dynamic resources, or pairs of
   * them (the second depending on the first, a restore's shape).
   */
  readonly kind: "restore" | "collection" | "minimal" | "pair";
  readonly count: number;
  readonly parallel: "default" | "100";
  readonly rateLimited: boolean;
  readonly repetition: number;
  readonly up: CommandRun;
  readonly destroy?: CommandRun;
  /**
   * Bytes of the exported deployment's resources per user-facing resource (stack and providers left
   * out, every state resource a restore adds counted with it); read in the first repetition only.
   */
  readonly stateBytesPerResource?: number;
  /** Resources in state per user-facing resource; first repetition only. */
  readonly stateResourcesPerResource?: number;
  /** Bytes per user-facing resource by state resource type; first repetition only. */
  readonly stateBytesByType?: Readonly<Record<string, number>>;
  /** State resources per user-facing resource by type; first repetition only. */
  readonly stateResourcesByType?: Readonly<Record<string, number>>;
  /** Characters of one serialized provider (`__provider`); first repetition only. */
  readonly providerChars?: number;
  /** Atlas API requests the emulator logged, 429s among them, and create POSTs refused. */
  readonly requests: number;
  readonly throttled: number;
  readonly throttledPosts: number;
  /** Pages of restore-job listings (every page a request), and of snapshot listings. */
  readonly jobListings: number;
  readonly snapshotListings: number;
  /** Collection restores: idle time between one job's end and the next one's start, ms each. */
  readonly idleGapsMs?: readonly number[];
  /** Time from the first to the last logged API request, ms. */
  readonly requestWindowMs: number;
  /** From the start of `pulumi up` to the first API request, and from the last one to its exit, ms. */
  readonly beforeFirstRequestMs?: number;
  readonly afterLastRequestMs?: number;
}

/** What one bench run measured, as written to results.json. */
export interface BenchResults {
  readonly generatedAt: string;
  readonly node: string;
  readonly machine: { cpus: number; model: string; loadBefore: number[]; loadAfter: number[] };
  readonly settings: {
    readonly counts: readonly number[];
    readonly repetitions: number;
    /** Interleaved pairs of 100 restores and 100 do-nothing resources, `up` and `destroy` each. */
    readonly cpuPairs: number;
    /** Collection restores of one source in the queue case. */
    readonly collections: number;
    readonly restoreMs: number;
    readonly rateLimit: { readonly capacity: number; readonly refillPerSecond: number };
    readonly budgetMs: number;
  };
  readonly polling: ReturnType<typeof polling>;
  /** The emulator's documents: memory and restore speed (absent from results of earlier runs). */
  readonly data?: DataBenchResults;
  readonly engine: { runs: EngineRun[]; skipped: string[]; failed: string[]; tarball: string };
  readonly totalMs: number;
}
