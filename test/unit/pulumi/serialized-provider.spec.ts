import assert from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as pulumi from "@pulumi/pulumi";

import type * as runtime from "../../../provider/pulumi/provider-process";
import { restoreJobProviders, restoreRecordProvider } from "../../../provider/pulumi/serialized-provider";
import { recordInputs } from "../../../provider/restore/record";

const requireFromString = require("require-from-string") as (code: string) => { handler: () => unknown };

const CLIENT_SECRET = "mdb_sa_sk_serialization-test-secret";
const GROUP = "0123456789abcdef01234567";

/** Answers just enough of the Atlas API for one restore, and records what it was asked. */
function stubAtlas(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
    const json = (body: unknown) => {
      res.writeHead(200, { "Content-Type": "application/vnd.atlas.2023-01-01+json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/api/oauth/token")
      return json({ access_token: "tok", expires_in: 3600, token_type: "Bearer" });
    if (req.url?.includes("/backup/snapshots")) {
      return json({
        results: [{ id: "aaaaaaaaaaaaaaaaaaaaaaaa", status: "completed", createdAt: "2026-11-28T00:00:00Z" }],
        totalCount: 1,
      });
    }
    if (req.method === "GET" && req.url?.includes("/backup/restoreJobs?"))
      return json({ results: [], totalCount: 0 });
    if (req.url?.includes("/backup/restoreJobs")) {
      return json({
        id: "bbbbbbbbbbbbbbbbbbbbbbbb",
        deliveryType: "automated",
        finishedAt: "2026-11-28T12:00:00Z",
      });
    }
    if (req.url?.endsWith("/serverless/stage")) return json({ name: "stage", stateName: "IDLE" });
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }),
    ),
  );
}

describe("provider serialization", () => {
  let text: string;
  let recordText: string;

  before(async () => {
    // Credentials are in this process's environment while serializing, as they are in a user's.
    process.env.MONGODB_ATLAS_CLIENT_SECRET = CLIENT_SECRET;
    try {
      text = (await pulumi.runtime.serializeFunction(() => restoreJobProviders.serverless!)).text;
      recordText = (await pulumi.runtime.serializeFunction(() => restoreRecordProvider)).text;
    } finally {
      delete process.env.MONGODB_ATLAS_CLIENT_SECRET;
    }
  });

  for (const [what, serialized] of [
    ["the job's", () => text],
    ["the record's", () => recordText],
  ] as const) {
    it(`${what} serializes to a small text that names the implementation and holds no credential`, () => {
      console.log(`      serialized provider: ${serialized().length} bytes`);
      assert.ok(serialized().includes('"pulumi-atlas-restore/dist/provider/pulumi/provider-process"'));
      assert.ok(!serialized().includes(CLIENT_SECRET));
      assert.ok(
        !/axios|io-ts/.test(serialized()),
        "clients and codecs load in the provider process, not from state",
      );
      assert.ok(serialized().length < 4096, `serialized provider is ${serialized().length} bytes`);
    });
  }

  it("runs like the engine runs it: loaded from text, configured, then called", async function () {
    const atlas = await stubAtlas();
    // The provider process reads its journal folder from the environment; keep it out of $HOME.
    const journalDir = mkdtempSync(join(tmpdir(), "atlas-restore-journal-"));
    process.env.ATLAS_RESTORE_JOURNAL_DIR = journalDir;
    try {
      const load = (serialized: string) =>
        requireFromString(serialized).handler() as Required<pulumi.dynamic.ResourceProvider>;
      const provider = load(text);
      // The program waits with the same code over its own session; here, the one `configure` set up.
      const { wait } = (
        require("pulumi-atlas-restore/dist/provider/pulumi/provider-process") as typeof runtime
      ).lifecycles.serverless!;
      const config: Record<string, string> = {
        "mongodbatlas:baseUrl": atlas.url,
        "mongodbatlas:clientId": "mdb_sa_id_test",
        "mongodbatlas:clientSecret": CLIENT_SECRET,
      };
      await provider.configure({ config: { get: (key) => config[key], require: (key) => config[key]! } });
      const news = {
        groupId: GROUP,
        clusterName: "prod",
        deliveryType: "automated",
        targetClusterName: "stage",
      };
      const checked = await provider.check({}, news);
      assert.deepStrictEqual(checked.failures, []);
      const started = await provider.create(checked.inputs);
      assert.strictEqual(started.id, "bbbbbbbbbbbbbbbbbbbbbbbb");
      const job = { restoreJobId: started.id, api: "serverless", snapshotId: "aaaaaaaaaaaaaaaaaaaaaaaa" };
      const waited = await wait({ ...news, job });
      assert.strictEqual(waited.failure, undefined);
      assert.strictEqual(waited.outs.restoreJobId, "bbbbbbbbbbbbbbbbbbbbbbbb");
      assert.strictEqual(waited.outs.status, "COMPLETED");
      // The engine then creates the record, whose provider waits for the target. Its provider is
      // configured when first used, with the same config: the session, and its token, are kept.
      const record = load(recordText);
      await record.configure({ config: { get: (key) => config[key], require: (key) => config[key]! } });
      const source = { kind: "serverless", raw: { ...news, job } };
      const recorded = await record.create({
        record: recordInputs(waited, ["restoreJobId", "status"], [], source),
      });
      assert.strictEqual(recorded.outs.targetReady, true);
      assert.deepStrictEqual(
        atlas.seen.map((line) => line.split(" ").slice(0, 2).join(" ")),
        [
          "POST /api/oauth/token",
          `GET /api/atlas/v2/groups/${GROUP}/serverless/prod/backup/snapshots?pageNum=1&itemsPerPage=100&includeCount=true`,
          `GET /api/atlas/v2/groups/${GROUP}/serverless/prod/backup/restoreJobs?pageNum=1&itemsPerPage=100&includeCount=true`,
          `POST /api/atlas/v2/groups/${GROUP}/serverless/prod/backup/restoreJobs`,
          `GET /api/atlas/v2/groups/${GROUP}/serverless/prod/backup/restoreJobs/bbbbbbbbbbbbbbbbbbbbbbbb`,
          `GET /api/atlas/v2/groups/${GROUP}/serverless/stage`,
        ],
      );
      assert.ok(atlas.seen.slice(1).every((line) => line.endsWith("Bearer tok")));
    } finally {
      atlas.server.close();
      delete process.env.ATLAS_RESTORE_JOURNAL_DIR;
      rmSync(journalDir, { recursive: true, force: true });
    }
  });
});
