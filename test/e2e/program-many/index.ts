import * as pulumi from "@pulumi/pulumi";
import {
  ClusterRestoreJob,
  type ClusterRestoreJobArgs,
  CollectionRestoreJob,
  type CollectionRestoreJobArgs,
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  RestoreJob,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "pulumi-atlas-restore";

// `restores` is a JSON list of `{ name, kind, args }`; each becomes one restore resource. `kind` is
// `serverless` (the default), `flex`, `cluster`, `collection` or `detect` (a `RestoreJob`).
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
    case "detect":
      return new RestoreJob(name, args as unknown as ClusterRestoreJobArgs);
    default:
      return new ServerlessRestoreJob(name, args as unknown as ServerlessRestoreJobArgs);
  }
}

const created = restores.map(({ name, kind, args }) => ({ name, job: restore(name, kind, args) }));

export const statuses = Object.fromEntries(created.map(({ name, job }) => [name, job.status]));
export const jobIds = Object.fromEntries(created.map(({ name, job }) => [name, job.restoreJobId]));

// With `dependents` set, three resources per restore that must find it restored when they are
// created: one naming it only in `dependsOn`, one using its `restoreJobId`, one its child. Each
// records the phase of every job the emulator holds at its create.
const phasesOf: pulumi.dynamic.ResourceProvider = {
  async create(inputs: { baseUrl: string }) {
    const phases: Record<string, string> = {};
    for (const list of ["jobs", "collection-jobs"]) {
      const answer = await fetch(`${inputs.baseUrl}/__emulator/${list}`);
      const { jobs } = (await answer.json()) as { jobs: { id: string; phase?: string; state?: string }[] };
      // Collection-level jobs say their `state`; the others their `phase`.
      for (const job of jobs) phases[job.id] = String(job.phase ?? job.state);
    }
    return { id: "dependent", outs: { ...inputs, phases } };
  },
};

class Dependent extends pulumi.dynamic.Resource {
  declare readonly phases: pulumi.Output<Record<string, string>>;
  constructor(
    name: string,
    props: Record<string, pulumi.Input<unknown>>,
    opts: pulumi.CustomResourceOptions,
  ) {
    super(phasesOf, name, { ...props, phases: undefined }, opts);
  }
}

const baseUrl = new pulumi.Config("mongodbatlas").require("baseUrl");
export const seenByDependents = config.getBoolean("dependents")
  ? Object.fromEntries(
      created.flatMap(({ name, job }) => [
        [`${name}-after`, new Dependent(`${name}-after`, { baseUrl }, { dependsOn: [job] }).phases],
        [`${name}-uses`, new Dependent(`${name}-uses`, { baseUrl, job: job.restoreJobId }, {}).phases],
        [`${name}-child`, new Dependent(`${name}-child`, { baseUrl }, { parent: job }).phases],
      ]),
    )
  : undefined;
