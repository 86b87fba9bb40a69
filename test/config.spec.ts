import assert from "node:assert";

import { readProviderConfig } from "../provider/config";
import { ProviderConfigError } from "../provider/errors";

const none = () => undefined;
const SECRET = "mdb_sa_sk_do-not-print";

describe("provider config", () => {
  it("reads a service account from stack config, with defaults", () => {
    const config = { "mongodbatlas:clientId": "id", "mongodbatlas:clientSecret": SECRET } as Record<
      string,
      string
    >;
    const result = readProviderConfig((k) => config[k], {});
    assert.deepStrictEqual(result.credentials, {
      kind: "serviceAccount",
      clientId: "id",
      clientSecret: SECRET,
    });
    assert.strictEqual(result.baseUrl, "https://cloud.mongodb.com");
    assert.deepStrictEqual(result.poll, { minDelayMs: 1500, maxDelayMs: 105_000 });
  });

  it("prefers stack config to the environment and a service account to an API key", () => {
    const config = { "mongodbatlas:publicKey": "pub-config" } as Record<string, string>;
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: "pub-env",
      MONGODB_ATLAS_PRIVATE_API_KEY: "priv",
      MONGODB_ATLAS_CLIENT_ID: "id",
      MONGODB_ATLAS_CLIENT_SECRET: SECRET,
    };
    assert.strictEqual(readProviderConfig((k) => config[k], env).credentials.kind, "serviceAccount");
    const apiKeyOnly = readProviderConfig((k) => config[k], { ...env, MONGODB_ATLAS_CLIENT_ID: undefined });
    assert.deepStrictEqual(apiKeyOnly.credentials, {
      kind: "apiKey",
      publicKey: "pub-config",
      privateKey: "priv",
    });
  });

  it("reads the first of the environment spellings", () => {
    const env = {
      MONGODB_ATLAS_PUBLIC_API_KEY: "a",
      MONGODB_ATLAS_PUBLIC_KEY: "b",
      MONGODB_ATLAS_PRIVATE_KEY: "p",
    };
    assert.deepStrictEqual(readProviderConfig(none, env).credentials, {
      kind: "apiKey",
      publicKey: "a",
      privateKey: "p",
    });
  });

  it("lists the accepted names when there are no credentials", () => {
    assert.throws(() => readProviderConfig(none, {}), {
      name: "ProviderConfigError",
      message:
        "invalid provider configuration: no Atlas credentials: set a service account (mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID, and mongodbatlas:clientSecret or MONGODB_ATLAS_CLIENT_SECRET) or an API key (mongodbatlas:publicKey or MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY, and mongodbatlas:privateKey or MONGODB_ATLAS_PRIVATE_API_KEY or MONGODB_ATLAS_PRIVATE_KEY)",
    });
  });

  it("names the missing half of a pair and bad settings, never a value", () => {
    const error = (() => {
      try {
        readProviderConfig(none, {
          MONGODB_ATLAS_CLIENT_SECRET: SECRET,
          ATLAS_RESTORE_POLL_MIN_DELAY_MS: "soon",
          MONGODB_ATLAS_BASE_URL: "ftp://x",
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof ProviderConfigError);
    assert.deepStrictEqual(error.problems, [
      "mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID is missing (clientSecret is set)",
      "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL must be an http(s) URL",
      "atlasRestore:pollMinDelayMs or ATLAS_RESTORE_POLL_MIN_DELAY_MS must be an integer of at least 1",
    ]);
    assert.ok(!error.message.includes(SECRET));
  });
});
