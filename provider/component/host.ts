import { componentProviderHost, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

import * as components from "./index";

/**
 * Serves the package's components to the Pulumi engine; `pulumi-resource-atlas-restore` in the
 * plugin's folder calls it with that folder, whose `index.ts`, `tsconfig.json` and `package.json` the
 * schema is inferred from (the same folder `pulumi package add` runs through PulumiPlugin.yaml).
 */
export function serve(pluginDir: string): Promise<void> {
  return componentProviderHost({
    name: components.PACKAGE,
    dirname: pluginDir,
    components: getPulumiComponents(components),
  });
}
