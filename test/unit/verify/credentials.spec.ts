import assert from "node:assert";

import { DatabaseCredentialsError, readDatabaseCredentials } from "../../../provider/verify/credentials";

const TARGET = { groupId: "6650a1b2c3d4e5f6a7b8c9d1", clusterName: "staging" };
const SECRET = "s3cret-value";
const config = (values: Record<string, string>) => (key: string) => values[key];

describe("clone check database credentials", () => {
  it("takes a per-target entry first (project/name, then name), then the config pair, then the environment pair", () => {
    const perTarget = JSON.stringify({
      [`${TARGET.groupId}/staging`]: { username: "exact", password: SECRET },
      staging: { username: "by-name", password: SECRET },
    });
    const get = config({
      "atlasRestore:databaseCredentials": perTarget,
      "atlasRestore:databaseUsername": "config",
      "atlasRestore:databasePassword": SECRET,
    });
    assert.strictEqual(readDatabaseCredentials(get, {}, TARGET).username, "exact");
    assert.strictEqual(readDatabaseCredentials(get, {}, { ...TARGET, groupId: "other" }).username, "by-name");
    assert.strictEqual(
      readDatabaseCredentials(get, {}, { ...TARGET, clusterName: "prod" }).username,
      "config",
    );
    const env = { ATLAS_RESTORE_DATABASE_USERNAME: "env", ATLAS_RESTORE_DATABASE_PASSWORD: SECRET };
    assert.deepStrictEqual(readDatabaseCredentials(config({}), env, TARGET), {
      username: "env",
      password: SECRET,
    });
  });

  it("refuses half a pair, a malformed per-target entry and no credentials, naming keys, never values", () => {
    const refuses = (
      get: (key: string) => string | undefined,
      env: Record<string, string>,
      message: RegExp,
    ) =>
      assert.throws(
        () => readDatabaseCredentials(get, env, TARGET),
        (error: unknown) =>
          error instanceof DatabaseCredentialsError &&
          message.test(error.message) &&
          !error.message.includes(SECRET),
      );
    refuses(
      config({ "atlasRestore:databasePassword": SECRET }),
      {},
      /are a pair: set both atlasRestore:databaseUsername/,
    );
    refuses(
      config({ "atlasRestore:databaseCredentials": `{"staging": "${SECRET}"}` }),
      {},
      /needs a non-empty username and password for: staging$/,
    );
    refuses(
      config({ "atlasRestore:databaseCredentials": SECRET }),
      {},
      /^atlasRestore:databaseCredentials must be a JSON object/,
    );
    refuses(
      config({}),
      { ATLAS_RESTORE_DATABASE_CREDENTIALS: "[]" },
      /^ATLAS_RESTORE_DATABASE_CREDENTIALS must be a JSON object/,
    );
    refuses(config({}), {}, /needs a database user: .* for 6650a1b2c3d4e5f6a7b8c9d1\/staging$/);
  });
});
