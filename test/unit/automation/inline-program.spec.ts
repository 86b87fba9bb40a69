import assert from "node:assert";
import { createRequire } from "node:module";
import { join } from "node:path";

import { inlineProjectSettings, packagesRoot } from "../../../provider/automation/inline-program";

describe("inlineProjectSettings", () => {
  it("names the project, keeps other settings and sets main to a folder that resolves the provider", () => {
    const settings = inlineProjectSettings("clone", { description: "nightly clone", name: "ignored" });
    assert.strictEqual(settings.name, "clone");
    assert.strictEqual(settings.runtime, "nodejs");
    assert.strictEqual(settings.description, "nightly clone");
    // What the dynamic-provider shim and the serialized provider resolve from `main`.
    const fromMain = createRequire(join(settings.main!, "program.js"));
    assert.ok(fromMain.resolve("@pulumi/pulumi/cmd/dynamic-provider"));
    assert.ok(fromMain.resolve("pulumi-atlas-restore/dist/provider/pulumi/provider-process"));
  });

  it("packagesRoot: the folder holding the node_modules a package is in", () => {
    assert.strictEqual(packagesRoot("/p/node_modules/pulumi-atlas-restore"), "/p");
    assert.strictEqual(packagesRoot("/p/node_modules/@pulumi/pulumi"), "/p");
    assert.strictEqual(packagesRoot("/p/node_modules/a/node_modules/b"), "/p/node_modules/a");
    assert.strictEqual(packagesRoot("/node_modules/b"), "/");
    assert.strictEqual(packagesRoot("/src/pulumi-atlas-restore"), "/src/pulumi-atlas-restore");
  });
});
