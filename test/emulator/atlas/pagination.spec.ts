import assert from "node:assert";

import { ApiError } from "../../../emulator/atlas/api-errors";
import { paginate, parseQueryFlags } from "../../../emulator/atlas/pagination";

describe("emulator pagination", () => {
  const flags = (query: string) => parseQueryFlags(new URLSearchParams(query));
  const url = new URL("http://127.0.0.1:1/api/x?pretty=true");

  it("reads the defaults: page 1 of 100, with the count, no envelope, not pretty", () => {
    assert.deepStrictEqual(flags(""), {
      pageNum: 1,
      itemsPerPage: 100,
      includeCount: true,
      envelope: false,
      pretty: false,
    });
  });

  it("refuses out-of-range or malformed flags, naming the parameter", () => {
    for (const query of ["itemsPerPage=0", "itemsPerPage=501", "pageNum=0", "pageNum=x", "envelope=yes"]) {
      assert.throws(
        () => flags(query),
        (e: unknown) => e instanceof ApiError && e.errorCode === "INVALID_PARAMETER" && e.status === 400,
        query,
      );
    }
  });

  it("links previous, self and next pages, keeping other query parameters", () => {
    const page = paginate([1, 2, 3, 4, 5], flags("pageNum=2&itemsPerPage=2"), url);
    assert.deepStrictEqual(page.results, [3, 4]);
    assert.strictEqual(page.totalCount, 5);
    assert.deepStrictEqual(
      page.links.map((l) => [l.rel, l.href]),
      [
        ["previous", "http://127.0.0.1:1/api/x?pretty=true&pageNum=1&itemsPerPage=2"],
        ["self", "http://127.0.0.1:1/api/x?pretty=true&pageNum=2&itemsPerPage=2"],
        ["next", "http://127.0.0.1:1/api/x?pretty=true&pageNum=3&itemsPerPage=2"],
      ],
    );
  });

  it("gives an empty page past the end, and leaves out the count when asked", () => {
    const page = paginate([1], flags("pageNum=3&includeCount=false"), url);
    assert.deepStrictEqual(page.results, []);
    assert.strictEqual("totalCount" in page, false);
  });
});
