import type { ServerResponse } from "http";

import { ApiError } from "../atlas/api-errors";
import { dumpFiles } from "../data/dump";
import { dataKey, jobMoment } from "../data/plane";
import type { Emulator } from "../emulator-state";
import { send } from "../http/json-io";
import { downloadArchive, type DownloadRefusal } from "./archive";

const DOWNLOAD_ERROR_CODES: Record<DownloadRefusal, string> = {
  "not-found": "RESOURCE_NOT_FOUND",
  "not-ready": "DOWNLOAD_NOT_READY",
  expired: "DOWNLOAD_LINK_EXPIRED",
};

/**
 * `GET /download/{jobId}/{name}.tar.gz`: the archive of a finished download job. Like Atlas's
 * pre-signed links, it needs no credentials; it answers 404 before the job completes and 410 once
 * the link expired.
 */
export function download(emulator: Emulator, method: string, path: string, res: ServerResponse): void {
  const now = emulator.clock.now();
  const data = emulator.store.data;
  const result = downloadArchive(emulator.store.state.jobs, path, now, (job, folder) =>
    dumpFiles(data.at(dataKey(job.api, job.groupId, job.clusterName), jobMoment(job)), folder),
  );
  const status = "archive" in result ? 200 : result.refusal === "expired" ? 410 : 404;
  emulator.log({ method, path, status, operationId: "download", time: new Date(now).toISOString() });
  if (!("archive" in result)) {
    // The link itself is never echoed: like a pre-signed URL, it is a credential of sorts.
    const error = new ApiError(
      status,
      DOWNLOAD_ERROR_CODES[result.refusal],
      `Download link ${result.refusal}.`,
    );
    return send(res, status, error.toBody());
  }
  res.writeHead(200, {
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="${result.fileName}"`,
    "Content-Length": result.archive.length,
  });
  res.end(method === "HEAD" ? undefined : result.archive);
}
