import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { ClusterRestoreJob, inlineProjectSettings } from "pulumi-atlas-restore";

// An inline Automation API program whose Atlas credentials are only in the workspace's `envVars`
// (the usual idiom), which reach the CLI and its plugins but not this process. `preview` then `up`;
// prints each one's error message on a line of its own. Arguments: source and target project ids.
const [groupId, targetGroupId] = process.argv.slice(2);
const PROJECT = "atlas-inline-credentials";

async function main(): Promise<void> {
  const program = async () => {
    const job = new ClusterRestoreJob("clone", {
      groupId: groupId!,
      clusterName: "prod-cluster",
      deliveryType: "automated",
      targetGroupId: targetGroupId!,
      targetClusterName: "staging-cluster",
    });
    return { restoreJobId: job.restoreJobId };
  };
  const envVars = Object.fromEntries(
    ["MONGODB_ATLAS_BASE_URL", "MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET"].map((key) => {
      const value = process.env[key]!;
      delete process.env[key];
      return [key, value];
    }),
  );
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "inline", projectName: PROJECT, program },
    { projectSettings: inlineProjectSettings(PROJECT), envVars },
  );
  for (const step of [() => stack.preview(), () => stack.up()]) {
    try {
      await step();
      console.log("succeeded");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.log(/cannot restore clone: .*/.exec(message)?.[0] ?? `other failure: ${message}`);
    }
  }
}

void main();
