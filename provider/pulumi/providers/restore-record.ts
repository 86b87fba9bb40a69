import { recordProvider } from "../restore-job-provider";

/**
 * The provider of every kind's restore record as this module's whole exports: loaded from
 * node_modules, Pulumi then stores it as one `require` of this file instead of serializing its closures
 * (see restore-job-provider.ts).
 */
export = recordProvider();
