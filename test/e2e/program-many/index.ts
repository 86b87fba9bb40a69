import * as pulumi from "@pulumi/pulumi";
import {
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "pulumi-atlas-restore";

// `restores` is a JSON list of `{ name, kind, args }`; each becomes one restore resource.
const config = new pulumi.Config();
const restores =
  config.requireObject<{ name: string; kind: string; args: Record<string, unknown> }[]>("restores");

export const statuses = Object.fromEntries(
  restores.map(({ name, kind, args }) => {
    const job =
      kind === "flex"
        ? new FlexRestoreJob(name, args as unknown as FlexRestoreJobArgs)
        : new ServerlessRestoreJob(name, args as unknown as ServerlessRestoreJobArgs);
    return [name, job.status];
  }),
);
