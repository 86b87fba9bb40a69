import { LocalWorkspace } from "@pulumi/pulumi/automation";
import {
  ClusterRestoreJob,
  getLatestClusterSnapshotOutput,
  inlineProjectSettings,
} from "pulumi-atlas-restore";

// Clones one project's production clusters into another project with the Automation API: an inline
// program, no Pulumi.yaml, runnable from any folder (a nightly job, a CLI of your own).
//
//   node index.js <source project id> <target project id> [source-cluster=target-cluster ...]
//
// The default pair is prod-cluster=staging-cluster. Credentials come from the environment
// (MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or the API-key pair; MONGODB_ATLAS_BASE_URL
// for the emulator), which keeps them out of stack config and state; the backend is PULUMI_BACKEND_URL
// or `pulumi login`. Each run restores the newest completed snapshot of each source cluster, and only
// when it is newer than the one restored last time. Prints one line per pair with the restore job id.

const PROJECT = "atlas-clone";

async function main(argv: readonly string[]): Promise<void> {
  const [source, target, ...pairArgs] = argv;
  if (!source || !target || pairArgs.some((p) => !/^[^=]+=[^=]+$/.test(p))) {
    throw new Error("usage: node index.js <source project id> <target project id> [source=target ...]");
  }
  const pairs = pairArgs.length
    ? Object.fromEntries(pairArgs.map((p) => p.split("=") as [string, string]))
    : { "prod-cluster": "staging-cluster" };

  const program = async () => {
    const restoreJobIds: Record<string, unknown> = {};
    for (const [from, to] of Object.entries(pairs)) {
      // An automated restore erases the target cluster first.
      const job = new ClusterRestoreJob(`clone-${from}`, {
        groupId: source,
        clusterName: from,
        deliveryType: "automated",
        snapshotId: getLatestClusterSnapshotOutput({ groupId: source, clusterName: from }).id,
        targetGroupId: target,
        targetClusterName: to,
      });
      restoreJobIds[from] = job.restoreJobId;
    }
    return { restoreJobIds };
  };

  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: `clone-into-${target}`, projectName: PROJECT, program },
    // Without these settings the engine would look for @pulumi/pulumi in the current folder.
    { projectSettings: inlineProjectSettings(PROJECT) },
  );
  // The engine's progress goes to stderr; stdout gets one line per pair.
  const result = await stack.up({ onOutput: (text) => process.stderr.write(text) });
  const ids = result.outputs.restoreJobIds!.value as Record<string, string>;
  for (const [from, to] of Object.entries(pairs)) console.log(`${from} -> ${to}: ${ids[from]}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
