import assert from "node:assert";

import { type DataBenchResults, dataSection } from "../../../bench/data";

const run = (landingMs: number) => ({
  landingMs,
  documentsPerSecond: 100_000 / (landingMs / 1000),
  load: 1.5,
});

const results: DataBenchResults = {
  clusters: 10,
  documentsPerCluster: 10_000,
  rssMb: { started: 150, loaded: 210.4 },
  insertsPerSecond: [20_000, 30_000, 25_000],
  restoreDocuments: 100_000,
  automated: [run(100), run(200), run(150)],
  collection: [run(100), run(6_000)],
};

describe("bench data section", () => {
  it("reports the RSS, each kind of restore against 20,000 documents/s in every run, and inserts", () => {
    const lines = dataSection(results);
    assert.match(lines.join("\n"), /\*\*210 MB RSS\*\* \(150 MB before/);
    assert.strictEqual(
      lines.find((l) => l.startsWith("| automated")),
      "| automated restore of 100,000 documents | 150 ms (100–200, n=3) | 666667 documents/s (500000–1000000, n=3) | yes | 1.50 (1.50–1.50, n=3) |",
    );
    assert.match(
      lines.find((l) => l.startsWith("| collection-level"))!,
      /\| \*\*no\*\* \|/,
    );
    assert.match(lines[lines.length - 1]!, /25000 documents\/s \(20000–30000, n=3\)/);
  });
});
