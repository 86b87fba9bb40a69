import assert from "node:assert";

import { ApiError } from "../../../emulator/atlas/api-errors";
import { checkContentType, negotiateVersion, versionedMediaType } from "../../../emulator/atlas/versioning";

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

  it("refuses a missing or unoffered version with 406, a date that does not exist with 400", () => {
    assert.deepStrictEqual(
      refused(() => negotiateVersion(undefined, ["2023-01-01"])),
      [406, "INVALID_VERSION_DATE"],
    );
    assert.deepStrictEqual(
      refused(() => negotiateVersion("application/vnd.atlas.2024-11-13+json", ["2023-01-01"])),
      [406, "INVALID_VERSION_DATE"],
    );
    assert.deepStrictEqual(
      refused(() => negotiateVersion("application/vnd.atlas.2023-02-30+json", ["2023-01-01"])),
      [400, "INVALID_VERSION_DATE"],
    );
  });

  it("takes a body as JSON or the negotiated versioned type only", () => {
    checkContentType("application/json; charset=utf-8", "2023-01-01");
    checkContentType("application/vnd.atlas.2023-01-01+json", "2023-01-01");
    assert.deepStrictEqual(
      refused(() => checkContentType("text/plain", "2023-01-01")),
      [415, "UNSUPPORTED_MEDIA_TYPE"],
    );
    assert.deepStrictEqual(
      refused(() => checkContentType(undefined, "2023-01-01")),
      [415, "UNSUPPORTED_MEDIA_TYPE"],
    );
  });
});
