import assert from "node:assert";

import * as pulumi from "@pulumi/pulumi";

import {
  restoredOutputs,
  RestoreWaitError,
  type WaitFor,
} from "../../../provider/resources/restore-resource";

const KIND = {
  kind: "serverless",
  type: "ServerlessRestoreJob",
  outputs: ["deliveryUrl"],
  secretOutputs: ["deliveryUrl"],
};
const JOB_ID = "65a1b2c3d4e5f6a7b8c9d0e1";

/** What the SDK gives the resource once the engine recorded its `create`. */
function recorded() {
  return {
    urn: pulumi.output("urn:pulumi:s::p::pulumi-nodejs:dynamic/mongodbatlas:ServerlessRestoreJob::r"),
    restoreJobId: pulumi.output(JOB_ID),
    api: pulumi.output("serverless"),
    snapshotId: pulumi.output("5f0e1d2c3b4a596877665544"),
    snapshotSource: pulumi.output("latest"),
    forecast: pulumi.output(undefined),
  } as unknown as pulumi.CustomResource;
}

/** An Output's value, or the error it rejects with (`promise` is the SDK's own accessor). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** A wait that ends when the test says so, and records what it was given. */
function heldWait() {
  const calls: [string, string, Record<string, unknown>][] = [];
  let finish!: (outs: Record<string, unknown>) => void;
  let fail!: (error: Error) => void;
  const ended = new Promise<Record<string, unknown>>(
    (resolve, reject) => ((finish = resolve), (fail = reject)),
  );
  const wait: WaitFor = (kind, name, raw) => {
    calls.push([kind, name, raw]);
    return ended;
  };
  return { wait, calls, finish, fail };
}

describe("a restore resource's outputs", () => {
  it("resolve, with the URN, only once the program's wait ends, which gets the inputs and the job", async () => {
    const held = heldWait();
    const outputs = restoredOutputs(
      recorded(),
      KIND,
      "r",
      { groupId: "g", waitTimeoutSeconds: 60 },
      held.wait,
    );
    let urnSeen: unknown;
    void valueOf(outputs.urn!).then((urn) => (urnSeen = urn));
    await new Promise((resolve) => setImmediate(resolve));
    assert.strictEqual(urnSeen, undefined, "the URN waits for the restore");
    assert.deepStrictEqual(held.calls, [
      [
        "serverless",
        "r",
        {
          groupId: "g",
          waitTimeoutSeconds: 60,
          resourceName: "r",
          job: {
            restoreJobId: JOB_ID,
            api: "serverless",
            snapshotId: "5f0e1d2c3b4a596877665544",
            snapshotSource: "latest",
          },
        },
      ],
    ]);
    held.finish({ restoreJobId: JOB_ID, status: "COMPLETED", targetReady: true, deliveryUrl: ["u"] });
    assert.match(String(await valueOf(outputs.urn!)), /::r$/);
    assert.strictEqual(await valueOf(outputs.status!), "COMPLETED");
    assert.strictEqual(await valueOf(outputs.targetReady!), true);
    assert.strictEqual(await valueOf(outputs.restoreJobId!), JOB_ID);
  });

  it("keep download links secret", async () => {
    const held = heldWait();
    const outputs = restoredOutputs(recorded(), KIND, "r", {}, held.wait);
    held.finish({ status: "COMPLETED", deliveryUrl: ["u"] });
    assert.strictEqual(
      await (outputs.deliveryUrl as unknown as { isSecret: Promise<boolean> }).isSecret,
      true,
    );
    assert.strictEqual(await (outputs.status as unknown as { isSecret: Promise<boolean> }).isSecret, false);
  });

  it("reject, URN included, when the wait fails, so that nothing depending on the restore registers", async () => {
    const held = heldWait();
    const outputs = restoredOutputs(recorded(), KIND, "r", {}, held.wait);
    held.fail(new RestoreWaitError("r", new Error("serverless restore job ended FAILED: x")));
    await assert.rejects(valueOf(outputs.urn!), { name: "RestoreWaitError" });
    await assert.rejects(valueOf(outputs.status!), { name: "RestoreWaitError" });
  });
});

describe("RestoreWaitError", () => {
  it("names the restore, then why, with no stack to print", () => {
    const error = new RestoreWaitError(
      "prod-into-staging",
      new Error("cluster restore job ended FAILED: 65a1"),
    );
    assert.strictEqual(
      error.message,
      "cannot finish restore prod-into-staging: cluster restore job ended FAILED: 65a1",
    );
    assert.ok(pulumi.RunError.isInstance(error), "Pulumi prints a RunError as its message alone");
    assert.doesNotMatch(String(error.stack), /\n\s+at /);
  });
});
