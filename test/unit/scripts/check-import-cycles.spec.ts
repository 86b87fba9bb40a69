import assert from "node:assert";

import { findImportCycles } from "../../../scripts/check-import-cycles";

describe("import cycle check", () => {
  it("finds a cycle made only of type imports", () => {
    const cycles = findImportCycles(
      new Map([
        ["src/a.ts", 'import type { B } from "./b";\nexport type A = { b?: B };\n'],
        ["src/b.ts", 'import type { A } from "./a";\nexport type B = { a?: A };\n'],
      ]),
    );
    assert.deepStrictEqual(cycles, [["src/a.ts", "src/b.ts", "src/a.ts"]]);
  });

  it("follows re-exports and folder indexes", () => {
    const cycles = findImportCycles(
      new Map([
        ["src/a.ts", 'export { b } from "./lib";\n'],
        ["src/lib/index.ts", 'import { a } from "../a";\nexport const b = a;\n'],
      ]),
    );
    assert.deepStrictEqual(cycles, [["src/a.ts", "src/lib/index.ts", "src/a.ts"]]);
  });

  it("passes a tree whose imports point one way", () => {
    const cycles = findImportCycles(
      new Map([
        ["src/a.ts", 'import { b } from "./b";\nimport type { C } from "./c";\n'],
        ["src/b.ts", 'import type { C } from "./c";\nimport axios from "axios";\n'],
        ["src/c.ts", "export type C = string;\n"],
      ]),
    );
    assert.deepStrictEqual(cycles, []);
  });
});
