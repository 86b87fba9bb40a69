import { type LengthBelief, type LengthPart, survival } from "./belief";
import { toMs } from "./forecast";

/**
 * What a job's own fields say about where it is, read from the outputs every kind's `fetch` returns
 * (names as the kinds record them): when it started, and how far a collection restore has copied.
 */

/** Epoch ms encoded in an ObjectId's first four bytes (Atlas ids are ObjectIds), or undefined. */
export function objectIdTime(id: unknown): number | undefined {
  if (typeof id !== "string" || !/^[0-9a-f]{24}$/i.test(id)) return undefined;
  const seconds = Number.parseInt(id.slice(0, 8), 16);
  return seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * Oldest creation time an id may show and still be trusted as the job's start: a restore does not
 * run for a month, so an id older than that was not made by Atlas's clock as this one reads it.
 */
const MAX_ID_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * When the job started, epoch ms: a collection restore's `createdAt`, a Flex job's
 * `restoreScheduledDate`, or else the creation time in its id (serverless and dedicated jobs report
 * no start of their own; their ids are ObjectIds, whose first four bytes are the creation second),
 * when that is no more than a month before `nowMs`.
 */
export function jobStart(job: Readonly<Record<string, unknown>>, nowMs: number): number | undefined {
  const stated = [job.createdAt, job.restoreScheduledDate].find((v) => typeof v === "string");
  const fromId = objectIdTime(job.restoreJobId);
  const trusted = fromId !== undefined && fromId >= nowMs - MAX_ID_AGE_MS ? fromId : undefined;
  return toMs(stated as string | undefined) ?? trusted;
}

/** One read of a collection restore's copy: when, its state, and documents copied of the total. */
export interface CopyReading {
  /** Ms since the job's start. */
  readonly atMs: number;
  readonly state: string;
  readonly restored: number;
  readonly total: number;
}

/** The copy reading in a job's outputs, or undefined for a job that reports no documents. */
export function copyReading(job: Readonly<Record<string, unknown>>, atMs: number): CopyReading | undefined {
  const { state, restoredDocuments, totalDocuments } = job;
  if (typeof state !== "string" || typeof restoredDocuments !== "number") return undefined;
  if (typeof totalDocuments !== "number" || totalDocuments <= 0) return undefined;
  return { atMs, state, restored: restoredDocuments, total: totalDocuments };
}

/**
 * How long index builds and the rest take after the copy, as a share of the copy's own time, before
 * a job of the source was seen to: a quarter, give or take a factor of four either way (90 %).
 */
const FINALIZE_SHARE = 0.25;
const FINALIZE_SCALE = 0.5;

/** Least chance earlier jobs must leave of running past the copy's end for their belief to stand. */
const STILL_LIKELY = 0.05;

/**
 * The belief that a collection restore's copy gives: at the pace between the first and the latest
 * reading that copied something, the copy ends at a known moment (once the job is seen FINALIZING,
 * it ended between that reading and the one before), and the job does not end before it. Earlier
 * jobs of the source (`history`) still say when it ends, unless the copy ends later than they would
 * have: then the finish follows the copy's end after a share of the copy's time (see
 * {@link FINALIZE_SHARE}). Undefined while the readings tell neither a pace nor the copy's end.
 */
export function copyBelief(
  readings: readonly CopyReading[],
  history?: LengthBelief,
): LengthBelief | undefined {
  const copying = readings.filter((r) => r.state === "IN_PROGRESS" && r.restored > 0);
  const first = copying[0];
  const last = copying[copying.length - 1];
  const pace =
    first && last && last.atMs > first.atMs && last.restored > first.restored
      ? (last.restored - first.restored) / (last.atMs - first.atMs)
      : undefined;
  const ended = readings.findIndex((r) => r.state === "FINALIZING");
  let copyEnd: number;
  if (ended >= 0) copyEnd = (readings[ended]!.atMs + (readings[ended - 1]?.atMs ?? 0)) / 2;
  else if (pace !== undefined) copyEnd = last!.atMs + (last!.total - last!.restored) / pace;
  else return undefined;
  const initializing = readings.filter((r) => r.state === "INITIALIZING").pop();
  const copyStart = pace !== undefined ? first!.atMs - first!.restored / pace : (initializing?.atMs ?? 0);
  if (history !== undefined && survival(history, copyEnd) >= STILL_LIKELY) {
    return { ...history, notBeforeMs: Math.max(history.notBeforeMs ?? 0, copyEnd) };
  }
  const part: LengthPart = {
    weight: 1,
    offsetMs: copyEnd,
    medianMs: Math.max(1, FINALIZE_SHARE * (copyEnd - copyStart)),
    scale: FINALIZE_SCALE,
  };
  return { parts: [part], basedOn: copying.length, source: "progress" };
}
