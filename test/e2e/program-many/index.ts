import * as pulumi from "@pulumi/pulumi";
import {
  ClusterRestoreJob,
  type ClusterRestoreJobArgs,
  CollectionRestoreJob,
  type CollectionRestoreJobArgs,
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "pulumi-atlas-restore";

// `restores` is a JSON list of `{ name, kind, args }`; each becomes one restore resource. `kind` is
// `serverless` (the default), `flex`, `cluster` or `collection`.
const config = new pulumi.Config();
const restores =
  config.requireObject<{ name: string; kind: string; args: Record<string, unknown> }[]>("restores");

function restore(name: string, kind: string, args: Record<string, unknown>) {
  switch (kind) {
    case "flex":
      return new FlexRestoreJob(name, args as unknown as FlexRestoreJobArgs);
    case "cluster":
      return new ClusterRestoreJob(name, args as unknown as ClusterRestoreJobArgs);
    case "collection":
      return new CollectionRestoreJob(name, args as unknown as CollectionRestoreJobArgs);
    default:
      return new ServerlessRestoreJob(name, args as unknown as ServerlessRestoreJobArgs);
  }
}

export const statuses = Object.fromEntries(
  restores.map(({ name, kind, args }) => [name, restore(name, kind, args).status]),
);
