import type { ServerResponse } from "http";

import type { Emulator } from "../emulator-state";
import { send } from "../http/json-io";
import { downloadArchive } from "./archive";

/**
 * `GET /download/{jobId}/{name}.tar.gz`: the archive of a finished download job. Like Atlas's
 * pre-signed links, it needs no credentials; it answers 404 before the job completes and 410 once
 * the link expired.
 */
export function download(emulator: Emulator, method: string, path: string, res: ServerResponse): void {
  const now = emulator.clock.now();
  const result = downloadArchive(emulator.store.state.jobs, path, now);
  const status = "archive" in result ? 200 : result.refusal === "expired" ? 410 : 404;
  emulator.log({ method, path, status, operationId: "download", time: new Date(now).toISOString() });
  if (!("archive" in result)) {
    return send(res, status, { error: status, detail: `download link ${result.refusal}: ${path}` });
  }
  res.writeHead(200, {
    "Content-Type": "application/gzip",
    "Content-Disposition": `attachment; filename="${result.fileName}"`,
    "Content-Length": result.archive.length,
  });
  res.end(method === "HEAD" ? undefined : result.archive);
}
