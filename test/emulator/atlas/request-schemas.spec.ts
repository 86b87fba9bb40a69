import assert from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  DiskBackupOnDemandSnapshotRequest,
  DiskBackupSnapshotRestoreJob,
  FlexBackupRestoreJobCreate20241113,
  FlexBackupSnapshotDownloadCreate20241113,
  ServerlessBackupRestoreJob,
} from "../../../emulator/atlas/request-schemas";

type Json = Record<string, unknown>;

const KEPT = ["type", "properties", "required", "enum", "pattern", "minimum", "maximum", "format", "items"];
const FLAGS = ["readOnly", "writeOnly", "nullable"];

/** A contract schema with $refs inlined and only the keywords the emulator validates with. */
function reduce(schema: Json, spec: Json): Json {
  if (typeof schema.$ref === "string") {
    const target = (schema.$ref as string)
      .slice(2)
      .split("/")
      .reduce<unknown>((node, seg) => (node as Json)[seg], spec) as Json;
    return reduce(
      { ...target, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$ref")) },
      spec,
    );
  }
  const out: Json = {};
  for (const key of KEPT) {
    const value = schema[key];
    if (value === undefined) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([name, s]) => [name, reduce(s, spec)]),
      );
    } else if (key === "items") out.items = reduce(value as Json, spec);
    else out[key] = value;
  }
  for (const flag of FLAGS) if (schema[flag] === true) out[flag] = true;
  return out;
}

const specOf = (file: string): Json =>
  JSON.parse(readFileSync(join(__dirname, "..", "openapi", file), "utf8")) as Json;
const component = (spec: Json, name: string): Json =>
  reduce(((spec.components as Json).schemas as Json)[name] as Json, spec);

describe("emulator request schemas", () => {
  const main = specOf("openapi-subset.json");
  const extras = specOf("openapi-subset-extras.json");
  const dedicated = specOf("openapi-subset-dedicated.json");

  it("the dedicated cluster's restore job and on-demand snapshot bodies match the contract", () => {
    assert.deepStrictEqual(
      DiskBackupSnapshotRestoreJob,
      component(dedicated, "DiskBackupSnapshotRestoreJob"),
    );
    assert.deepStrictEqual(
      DiskBackupOnDemandSnapshotRequest,
      component(dedicated, "DiskBackupOnDemandSnapshotRequest"),
    );
  });

  it("ServerlessBackupRestoreJob matches the contract", () => {
    assert.deepStrictEqual(ServerlessBackupRestoreJob, component(main, "ServerlessBackupRestoreJob"));
  });

  it("FlexBackupRestoreJobCreate20241113 matches the contract", () => {
    assert.deepStrictEqual(
      FlexBackupRestoreJobCreate20241113,
      component(main, "FlexBackupRestoreJobCreate20241113"),
    );
  });

  it("FlexBackupSnapshotDownloadCreate20241113 matches the contract", () => {
    assert.deepStrictEqual(
      FlexBackupSnapshotDownloadCreate20241113,
      component(extras, "FlexBackupSnapshotDownloadCreate20241113"),
    );
  });

  it("each create operation's request body is the schema the emulator uses", () => {
    const bodyRef = (spec: Json, path: string): string => {
      const content = ((((spec.paths as Json)[path] as Json).post as Json).requestBody as Json)
        .content as Json;
      return ((Object.values(content)[0] as Json).schema as Json).$ref as string;
    };
    assert.strictEqual(
      bodyRef(main, "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs"),
      "#/components/schemas/ServerlessBackupRestoreJob",
    );
    assert.strictEqual(
      bodyRef(main, "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs"),
      "#/components/schemas/FlexBackupRestoreJobCreate20241113",
    );
    assert.strictEqual(
      bodyRef(extras, "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/download"),
      "#/components/schemas/FlexBackupSnapshotDownloadCreate20241113",
    );
    assert.strictEqual(
      bodyRef(dedicated, "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs"),
      "#/components/schemas/DiskBackupSnapshotRestoreJob",
    );
    assert.strictEqual(
      bodyRef(dedicated, "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots"),
      "#/components/schemas/DiskBackupOnDemandSnapshotRequest",
    );
  });
});
