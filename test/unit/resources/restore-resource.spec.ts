import assert from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import { ProviderConfigError } from "../../../provider/pulumi/provider-config";
import { recordType, RestoreSetupError } from "../../../provider/resources/restore-resource";

describe("a restore's two resources", () => {
  it("the record's type is the job's without `Job`, so the job keeps 0.1's URN", () => {
    assert.strictEqual(recordType("ClusterRestoreJob"), "ClusterRestore");
    assert.strictEqual(recordType("ServerlessRestoreJob"), "ServerlessRestore");
    assert.strictEqual(recordType("RestoreJob"), "Restore");
  });
});

describe("RestoreSetupError", () => {
  it("names the restore, why, and where credentials go, with no stack to print", () => {
    const error = new RestoreSetupError(
      "prod-into-staging",
      new ProviderConfigError(["no Atlas credentials: set a service account"]),
    );
    assert.match(
      error.message,
      /^cannot restore prod-into-staging: invalid provider configuration: no Atlas credentials: set a service account; /,
    );
    assert.match(error.message, /stack config \(`pulumi config set mongodbatlas:clientId …`/);
    assert.match(error.message, /Automation API inline program does not see the workspace's envVars/);
    assert.ok(pulumi.RunError.isInstance(error), "Pulumi prints a RunError as its message alone");
    assert.doesNotMatch(String(error.stack), /\n\s+at /);
  });
});
