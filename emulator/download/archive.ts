import { gzipSync } from "zlib";

import { isDownload, jobProgress, type StoredJob } from "../state/restore-jobs";

// What a download link serves: a real, small .tar.gz, so a user's pipeline can fetch and unpack it
// (`curl -o backup.tar.gz <deliveryUrl> && tar xzf backup.tar.gz`). Atlas serves the snapshot's data
// files; the emulator has no data, so the archive holds one JSON file describing the restore.

/** The path of a job's download link, relative to the emulator's base URL. */
export function downloadPath(job: Pick<StoredJob, "id" | "clusterName">): string {
  return `/download/${job.id}/${job.clusterName}.tar.gz`;
}

/** Why a download link does not serve: unknown, not ready yet, or expired. */
export type DownloadRefusal = "not-found" | "not-ready" | "expired";

/** The archive a download link serves at `now`, or why it does not. */
export function downloadArchive(
  jobs: readonly StoredJob[],
  path: string,
  now: number,
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
  return { archive: gzipSync(tar([entry], Math.floor(now / 1000))), fileName };
}

/** A ustar archive of regular files (POSIX.1-1988), enough for `tar x` to unpack. */
export function tar(files: ReadonlyArray<{ name: string; content: string }>, mtimeSeconds: number): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const data = Buffer.from(file.content, "utf8");
    const header = Buffer.alloc(512);
    const put = (text: string, offset: number, length: number): void => {
      header.write(text.slice(0, length), offset, "ascii");
    };
    const octal = (n: number, length: number): string => `${n.toString(8).padStart(length - 1, "0")}\0`;
    put(file.name, 0, 100);
    put(octal(0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(mtimeSeconds, 12), 136, 12);
    put("        ", 148, 8); // the checksum is computed with its own field as spaces
    put("0", 156, 1);
    put("ustar\u000000", 257, 8);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return Buffer.concat(blocks);
}
