import assert from "node:assert";

import { ApiError } from "../../../emulator/atlas/api-errors";
import {
  answerMediaType,
  checkContentType,
  negotiateVersion,
  servedVersion,
  versionedMediaType,
} from "../../../emulator/atlas/versioning";

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return [error.status, error.errorCode];
  }
  return undefined;
};

describe("emulator versioning", () => {
  it("picks the offered version among those accepted", () => {
    const accept = "application/json, application/vnd.atlas.2024-11-13+json;q=0.9";
    assert.strictEqual(negotiateVersion(accept, ["2024-11-13"]), "2024-11-13");
    assert.strictEqual(versionedMediaType("2023-01-01"), "application/vnd.atlas.2023-01-01+json");
  });

  it("serves the newest version dated on or before the date asked, as the OpenAPI's examples rely on", () => {
    const cluster = ["2023-01-01", "2023-02-01", "2024-08-05"];
    assert.strictEqual(
      negotiateVersion("application/vnd.atlas.2025-03-12+json", ["2023-01-01"]),
      "2023-01-01",
    );
    assert.strictEqual(negotiateVersion("application/vnd.atlas.2024-05-30+json", cluster), "2023-02-01");
    assert.strictEqual(negotiateVersion("application/vnd.atlas.2023-02-01+json", cluster), "2023-02-01");
    assert.strictEqual(negotiateVersion("application/vnd.atlas.2099-01-01+json", cluster), "2024-08-05");
    assert.strictEqual(servedVersion("2022-12-31", cluster), undefined);
    assert.strictEqual(answerMediaType("2023-01-01"), "application/vnd.atlas.2023-01-01+json;charset=utf-8");
  });

  it("refuses a missing version or one older than every version with 406, a date that does not exist with 400", () => {
    assert.deepStrictEqual(
      refused(() => negotiateVersion(undefined, ["2023-01-01"])),
      [406, "INVALID_VERSION_DATE"],
    );
    assert.deepStrictEqual(
      refused(() => negotiateVersion("application/vnd.atlas.2024-11-12+json", ["2024-11-13"])),
      [406, "INVALID_VERSION_DATE"],
    );
    assert.deepStrictEqual(
      refused(() => negotiateVersion("application/vnd.atlas.2023-02-30+json", ["2023-01-01"])),
      [400, "INVALID_VERSION_DATE"],
    );
  });

  it("takes a body as JSON or a versioned type that resolves to the version served", () => {
    const offered = ["2023-01-01"];
    checkContentType("application/json; charset=utf-8", "2023-01-01", offered);
    checkContentType("application/vnd.atlas.2023-01-01+json", "2023-01-01", offered);
    checkContentType("application/vnd.atlas.2024-05-30+json", "2023-01-01", offered);
    for (const type of ["text/plain", undefined, "application/vnd.atlas.2022-01-01+json"]) {
      assert.deepStrictEqual(
        refused(() => checkContentType(type, "2023-01-01", offered)),
        [415, "UNSUPPORTED_MEDIA_TYPE"],
      );
    }
  });
});
