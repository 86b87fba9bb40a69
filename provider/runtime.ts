/**
 * Kept for stacks written by version 0.1: their state's serialized provider loads this path by
 * package name, and `refresh` and `destroy` run the code stored in state. New state names
 * `pulumi/provider-process` instead.
 */
export * from "./pulumi/provider-process";
