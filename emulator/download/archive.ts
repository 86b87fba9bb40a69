import { gzipSync } from "zlib";

import type { DumpFile } from "../data/dump";
import { isDownload, jobProgress, type StoredJob } from "../state/restore-jobs";

// What a download link serves: a real .tar.gz, so a user's pipeline can fetch and unpack it
// (`curl -o backup.tar.gz <deliveryUrl> && tar xzf backup.tar.gz`). Atlas serves the snapshot's data
// files; the emulator serves the snapshot's documents as a mongodump directory (data/dump.ts), which
// `mongorestore` and `bsondump` read, beside one JSON file describing the restore.

/** One file of an archive. */
export type ArchiveFile = DumpFile;

/** The path of a job's download link, relative to the emulator's base URL. */
export function downloadPath(job: Pick<StoredJob, "id" | "clusterName">): string {
  return `/download/${job.id}/${job.clusterName}.tar.gz`;
}

/** Why a download link does not serve: unknown, not ready yet, or expired. */
export type DownloadRefusal = "not-found" | "not-ready" | "expired";

/**
 * The archive a download link serves at `now`, or why it does not.
 * @param contents the files holding a job's snapshot, under the given folder (default: none)
 */
export function downloadArchive(
  jobs: readonly StoredJob[],
  path: string,
  now: number,
  contents: (job: StoredJob, folder: string) => ArchiveFile[] = () => [],
): { archive: Buffer; fileName: string } | { refusal: DownloadRefusal } {
  const job = jobs.find((j) => isDownload(j) && downloadPath(j) === path);
  if (!job) return { refusal: "not-found" };
  const progress = jobProgress(job, now);
  if (progress.expired) return { refusal: "expired" };
  if (!progress.linkServes) return { refusal: "not-ready" };
  const info = {
    emulated: true,
    jobId: job.id,
    groupId: job.groupId,
    clusterName: job.clusterName,
    snapshotId: job.snapshotId,
    snapshotCreatedAt: job.snapshotCreatedAt,
  };
  const fileName = `${job.clusterName}.tar.gz`;
  const entry = {
    name: `${job.clusterName}/restore-info.json`,
    content: `${JSON.stringify(info, null, 2)}\n`,
  };
  const files = [entry, ...contents(job, `${job.clusterName}/dump`)];
  return { archive: gzipSync(tar(files, Math.floor(now / 1000))), fileName };
}

/**
 * A ustar archive of regular files (POSIX.1-1988), enough for `tar x` to unpack; a name longer than
 * the header holds goes in a pax extended header before its file (POSIX.1-2001).
 */
export function tar(files: readonly ArchiveFile[], mtimeSeconds: number): Buffer {
  const blocks: Buffer[] = [];
  const entry = (name: string, data: Buffer, type: "0" | "x"): void => {
    const header = Buffer.alloc(512);
    const put = (text: string, offset: number, length: number): void => {
      header.write(text.slice(0, length), offset, "ascii");
    };
    const octal = (n: number, length: number): string => `${n.toString(8).padStart(length - 1, "0")}\0`;
    put(name, 0, 100);
    put(octal(0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(mtimeSeconds, 12), 136, 12);
    put("        ", 148, 8); // the checksum is computed with its own field as spaces
    put(type, 156, 1);
    put("ustar\u000000", 257, 8);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  for (const file of files) {
    const data =
      typeof file.content === "string" ? Buffer.from(file.content, "utf8") : Buffer.from(file.content);
    if (Buffer.byteLength(file.name) > 100 || !/^[\x20-\x7e]*$/.test(file.name)) {
      // A pax record is "<length> path=<name>\n", its length counting its own digits.
      const body = ` path=${file.name}\n`;
      let length = Buffer.byteLength(body) + 1;
      while (String(length).length + Buffer.byteLength(body) !== length) length++;
      entry("PaxHeader", Buffer.from(`${length}${body}`, "utf8"), "x");
    }
    entry(file.name.replace(/[^\x20-\x7e]/g, "_"), data, "0");
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return Buffer.concat(blocks);
}
