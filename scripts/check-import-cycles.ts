import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

import * as ts from "typescript";

/**
 * Finds import cycles among TypeScript files, type-only imports included: eslint's `import-x/no-cycle`
 * skips `import type`, and a type cycle is still two modules that cannot be read apart.
 */

/** Every cycle found, each as the list of files it passes through (the first file repeated last). */
export function findImportCycles(sources: ReadonlyMap<string, string>): string[][] {
  const edges = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
    edges.set(
      file,
      imports.filter((spec) => spec.startsWith(".")).flatMap((spec) => resolveImport(sources, file, spec)),
    );
  }
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...sources.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function resolveImport(sources: ReadonlyMap<string, string>, from: string, spec: string): string[] {
  const base = join(dirname(from), spec);
  return [`${base}.ts`, join(base, "index.ts")].filter((candidate) => sources.has(candidate)).slice(0, 1);
}

function readTree(root: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) readTree(path, into);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) into.set(path, readFileSync(path, "utf8"));
  }
  return into;
}

if (require.main === module) {
  const roots = process.argv.slice(2);
  const sources = new Map<string, string>();
  for (const root of roots) readTree(resolve(root), sources);
  const cycles = findImportCycles(sources);
  for (const cycle of cycles) {
    console.error(`import cycle: ${cycle.map((file) => relative(process.cwd(), file)).join(" -> ")}`);
  }
  if (cycles.length > 0) process.exit(1);
  console.log(`no import cycles in ${sources.size} files`);
}
