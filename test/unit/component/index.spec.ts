import assert from "node:assert";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";

import type * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

import * as components from "../../../provider/component";
import type * as restore from "../../../provider/index";
import { REPO_ROOT } from "../../../scripts/pulumi-cli";

/**
 * The component package (provider/component): its inputs and outputs are the TypeScript classes'
 * (checked by the type checker, below), and Pulumi's analyzer infers a schema from it.
 */

const PLUGIN_DIR = join(REPO_ROOT, "provider", "component");

// --- The type checker's part: `npm run typecheck` fails when a class and its component drift apart.
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when `T` is `true`. */
function holds<T extends true>(): T | void {}
/** The outputs a resource declares (not its URN or id). */
type Outputs<T> = Exclude<
  { [K in keyof T]-?: T[K] extends pulumi.Output<unknown> ? K : never }[keyof T],
  "urn" | "id"
>;
type Required<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Same inputs, the same ones required, every TypeScript value accepted; same outputs. */
type Mirrors<Args, ComponentArgs, Resource, Component> = Equal<
  [keyof Args, Required<Args>, Args extends ComponentArgs ? true : false, Outputs<Resource>],
  [keyof ComponentArgs, Required<ComponentArgs>, true, Outputs<Component>]
>;

holds<
  Mirrors<
    restore.ServerlessRestoreJobArgs,
    components.ServerlessRestoreJobArgs,
    restore.ServerlessRestoreJob,
    components.ServerlessRestoreJob
  >
>();
holds<
  Mirrors<
    restore.FlexRestoreJobArgs,
    components.FlexRestoreJobArgs,
    restore.FlexRestoreJob,
    components.FlexRestoreJob
  >
>();
holds<
  Mirrors<
    restore.ClusterRestoreJobArgs,
    components.ClusterRestoreJobArgs,
    restore.ClusterRestoreJob,
    components.ClusterRestoreJob
  >
>();
holds<
  Mirrors<
    restore.CollectionRestoreJobArgs,
    components.CollectionRestoreJobArgs,
    restore.CollectionRestoreJob,
    components.CollectionRestoreJob
  >
>();
holds<
  Mirrors<restore.RestoreJobArgs, components.ClusterRestoreJobArgs, restore.RestoreJob, components.RestoreJob>
>();
// The look-ups take what the TypeScript functions take.
holds<Equal<keyof restore.SnapshotLookupArgs, keyof components.SnapshotLookupArgs>>();
holds<Equal<keyof Parameters<typeof restore.getLatestSnapshot>[0], keyof components.LatestSnapshotArgs>>();

describe("component package", () => {
  it("Pulumi's analyzer infers every restore and look-up from the plugin folder", async function () {
    // The analyzer compiles the folder with TypeScript: seconds, more on a busy machine.
    this.timeout(120_000);
    const provider = new ComponentProvider({
      name: components.PACKAGE,
      dirname: PLUGIN_DIR,
      components: getPulumiComponents(components),
    });
    const schema = JSON.parse(await provider.getSchema()) as {
      name: string;
      resources: Record<
        string,
        { inputProperties: Record<string, unknown>; properties: Record<string, unknown> }
      >;
    };
    assert.strictEqual(schema.name, "atlas-restore");
    assert.deepStrictEqual(
      Object.keys(schema.resources).sort(),
      [
        "ClusterRestoreJob",
        "ClusterSnapshots",
        "CollectionRestoreJob",
        "FlexRestoreJob",
        "FlexSnapshots",
        "LatestClusterSnapshot",
        "LatestSnapshot",
        "RestoreJob",
        "ServerlessRestoreJob",
        "ServerlessSnapshots",
        "SourceKind",
      ].map((name) => `atlas-restore:index:${name}`),
    );
    const cluster = schema.resources["atlas-restore:index:ClusterRestoreJob"]!;
    const { type, items } = cluster.inputProperties.triggers as Record<string, unknown>;
    assert.deepStrictEqual({ type, items }, { type: "array", items: { $ref: "pulumi.json#/Any" } });
    assert.deepStrictEqual(
      (cluster.inputProperties.takeSnapshot as { $ref: string }).$ref,
      "#/types/atlas-restore:index:TakeSnapshot",
    );
    assert.deepStrictEqual((cluster.properties.components as { items: unknown }).items, {
      $ref: "#/types/atlas-restore:index:ClusterRestoreComponent",
    });
  });

  it("the plugin folder names the package and its version, and its programs can be run", () => {
    const plugin = JSON.parse(readFileSync(join(PLUGIN_DIR, "package.json"), "utf8")) as Record<
      string,
      string
    >;
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Record<string, string>;
    assert.deepStrictEqual([plugin.name, plugin.version], [components.PACKAGE, root.version]);
    for (const program of ["pulumi-resource-atlas-restore", "pulumi-resource-pulumi-nodejs"])
      accessSync(join(PLUGIN_DIR, program), constants.X_OK);
  });
});
