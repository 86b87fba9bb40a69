import assert from "node:assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The front door holds: the README is short, its lines fit a terminal, every link in it and in the
 * docs resolves (file and heading), and its examples are exactly the programs in `examples/`.
 */

const ROOT = resolve(__dirname, "..", "..");
const DOCS = join(ROOT, "docs");
const PAGES = [
  "README.md",
  "ARCHITECTURE.md",
  "CHANGELOG.md",
  "emulator/README.md",
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsIn(text: string): Set<string> {
  const outsideCode = text.replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...outsideCode.matchAll(/^#+\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

/** Relative links of a Markdown page outside code blocks: `[text](target)`. */
function linksIn(text: string): string[] {
  const outsideCode = text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...outsideCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target));
}

describe("the README and the docs", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("the README is at most 250 lines, each under 120 characters", () => {
    const lines = readme.trimEnd().split("\n");
    assert.ok(lines.length <= 250, `${lines.length} lines`);
    const long = lines.map((line, i) => [i + 1, line.length] as const).filter(([, n]) => n >= 120);
    assert.deepStrictEqual(long, [], "lines of 120 characters or more (line, length)");
  });

  it("every docs page opens with what a reader gets from it", () => {
    for (const page of PAGES.filter((p) => p.startsWith("docs/"))) {
      const [title, blank, opening] = readFileSync(join(ROOT, page), "utf8").split("\n");
      assert.match(title!, /^# /, page);
      assert.strictEqual(blank, "", page);
      assert.ok(opening && opening.length > 20, `${page}: an opening sentence under the title`);
    }
  });

  for (const page of PAGES) {
    it(`every link of ${page} resolves, file and heading`, () => {
      const text = readFileSync(join(ROOT, page), "utf8");
      const broken = linksIn(text).filter((target) => {
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const file = path === "" ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), path);
        if (!existsSync(file)) return true;
        if (anchor === undefined || statSync(file).isDirectory()) return false;
        return !anchorsIn(readFileSync(file, "utf8")).has(anchor);
      });
      assert.deepStrictEqual(broken, []);
    });
  }

  it("the README's program is the one docs/your-project.md builds (which the e2e suite runs)", () => {
    const program = (text: string) => /```ts\n([\s\S]*?)```/.exec(text)?.[1];
    const docs = readFileSync(join(DOCS, "your-project.md"), "utf8");
    assert.ok(program(readme));
    assert.strictEqual(program(readme), program(docs.slice(docs.indexOf("`index.ts`:"))));
  });

  it("the README's examples are exactly the programs in examples/", () => {
    const section = readme.slice(readme.indexOf("## Examples"));
    const named = [...section.matchAll(/^- \[`([\w-]+)`\]\(examples\/([\w-]+)\//gm)].map((m) => {
      assert.strictEqual(m[1], m[2], "each line names the folder it links");
      return m[1]!;
    });
    const folders = readdirSync(join(ROOT, "examples")).filter((name) =>
      statSync(join(ROOT, "examples", name)).isDirectory(),
    );
    assert.deepStrictEqual([...named].sort(), folders.sort());
  });
});
