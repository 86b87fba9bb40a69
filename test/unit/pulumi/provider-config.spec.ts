import assert from "node:assert";

import { defaultRetryPolicy } from "../../../provider/atlas/retry-policy";
import { readProviderConfig } from "../../../provider/pulumi/provider-config";
import { ProviderConfigError } from "../../../provider/pulumi/provider-config";

const CLIENT_SECRET = "mdb_sa_sk_s3cr3t-1";
const PRIVATE_KEY = "private-s3cr3t-2";
const noConfig = () => undefined;
const stack = (values: Record<string, string>) => (key: string) => values[key];
const serviceAccountEnv = {
  MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1",
  MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
};

/** The ProviderConfigError thrown for these settings; fails the test when none is thrown. */
function configError(get: (key: string) => string | undefined, env: Record<string, string | undefined>) {
  try {
    readProviderConfig(get, env);
  } catch (error) {
    assert.ok(error instanceof ProviderConfigError);
    assert.strictEqual(error.name, "ProviderConfigError");
    assert.strictEqual(error.message, `invalid provider configuration: ${error.problems.join("; ")}`);
    assert.ok(!error.message.includes("s3cr3t"), error.message);
    return error;
  }
  return assert.fail("expected a ProviderConfigError");
}

describe("provider config", () => {
  it("reads a service account from stack config, with every default", () => {
    const { databaseCredentials: _perTarget, ...config } = readProviderConfig(
      stack({ "mongodbatlas:clientId": "mdb_sa_id_1", "mongodbatlas:clientSecret": CLIENT_SECRET }),
      {},
    );
    assert.deepStrictEqual(config, {
      baseUrl: "https://cloud.mongodb.com",
      credentials: { kind: "serviceAccount", clientId: "mdb_sa_id_1", clientSecret: CLIENT_SECRET },
      requestTimeoutMs: 60_000,
      retry: defaultRetryPolicy,
      poll: { minDelayMs: 1500, maxDelayMs: 105_000, mode: "planned" },
      envelope: false,
      pretty: false,
    });
  });

  it("reads a clone check's database user per target when asked, from stack config and then the environment", () => {
    const target = { groupId: "0123456789abcdef01234567", clusterName: "staging" };
    const config = readProviderConfig(
      stack({
        "mongodbatlas:clientId": "mdb_sa_id_1",
        "mongodbatlas:clientSecret": CLIENT_SECRET,
        "atlasRestore:databaseUsername": "app",
        "atlasRestore:databasePassword": "db-s3cr3t",
      }),
      { ATLAS_RESTORE_DATABASE_USERNAME: "env-user", ATLAS_RESTORE_DATABASE_PASSWORD: "env-pass" },
    );
    assert.deepStrictEqual(config.databaseCredentials(target), { username: "app", password: "db-s3cr3t" });
    const fromEnv = readProviderConfig(stack({}), {
      ...serviceAccountEnv,
      ATLAS_RESTORE_DATABASE_USERNAME: "env-user",
      ATLAS_RESTORE_DATABASE_PASSWORD: "env-pass",
    });
    assert.deepStrictEqual(fromEnv.databaseCredentials(target), {
      username: "env-user",
      password: "env-pass",
    });
    // A stack that checks no clone needs no database user: only asking for one fails, naming the keys.
    const none = readProviderConfig(stack({}), serviceAccountEnv);
    assert.throws(
      () => none.databaseCredentials(target),
      /^DatabaseCredentialsError: checking a clone needs a database user: set atlasRestore:databaseUsername/,
    );
  });

  describe("where values come from", () => {
    it("prefers stack config to the environment, setting by setting", () => {
      const config = readProviderConfig(
        stack({
          "mongodbatlas:baseUrl": "https://config.example",
          "atlasRestore:maxAttempts": "2",
        }),
        {
          ...serviceAccountEnv,
          MONGODB_ATLAS_BASE_URL: "https://env.example",
          ATLAS_RESTORE_MAX_ATTEMPTS: "9",
          ATLAS_RESTORE_REQUEST_TIMEOUT_MS: "1234",
        },
      );
      assert.strictEqual(config.baseUrl, "https://config.example");
      assert.strictEqual(config.retry.maxAttempts, 2);
      assert.strictEqual(config.requestTimeoutMs, 1234);
    });

    it("never completes half a pair in stack config from the environment", () => {
      const error = configError(stack({ "mongodbatlas:clientId": "config-id" }), serviceAccountEnv);
      assert.deepStrictEqual(error.problems, [
        "mongodbatlas:clientSecret is missing (mongodbatlas:clientId is set in stack config, " +
          "and a pair is never completed from the environment)",
      ]);
    });

    it("uses a complete stack-config pair over a complete environment pair of the same kind", () => {
      const config = readProviderConfig(
        stack({ "mongodbatlas:clientId": "config-id", "mongodbatlas:clientSecret": "config-secret" }),
        serviceAccountEnv,
      );
      assert.deepStrictEqual(config.credentials, {
        kind: "serviceAccount",
        clientId: "config-id",
        clientSecret: "config-secret",
      });
    });

    it("falls back to the environment when a stack value is empty", () => {
      const config = readProviderConfig(stack({ "mongodbatlas:clientId": "" }), serviceAccountEnv);
      assert.deepStrictEqual(config.credentials, {
        kind: "serviceAccount",
        clientId: "mdb_sa_id_1",
        clientSecret: CLIENT_SECRET,
      });
    });

    it("reads MONGODB_ATLAS_PUBLIC_API_KEY before MONGODB_ATLAS_PUBLIC_KEY, and likewise the private key", () => {
      const both = {
        MONGODB_ATLAS_PUBLIC_API_KEY: "pub-new",
        MONGODB_ATLAS_PUBLIC_KEY: "pub-old",
        MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
        MONGODB_ATLAS_PRIVATE_KEY: "private-old",
      };
      assert.deepStrictEqual(readProviderConfig(noConfig, both).credentials, {
        kind: "apiKey",
        publicKey: "pub-new",
        privateKey: PRIVATE_KEY,
      });
      const oldNames = {
        ...both,
        MONGODB_ATLAS_PUBLIC_API_KEY: "",
        MONGODB_ATLAS_PRIVATE_API_KEY: undefined,
      };
      assert.deepStrictEqual(readProviderConfig(noConfig, oldNames).credentials, {
        kind: "apiKey",
        publicKey: "pub-old",
        privateKey: "private-old",
      });
    });

    it("reads an API key from stack config", () => {
      const config = readProviderConfig(
        stack({ "mongodbatlas:publicKey": "pub", "mongodbatlas:privateKey": PRIVATE_KEY }),
        {},
      );
      assert.deepStrictEqual(config.credentials, {
        kind: "apiKey",
        publicKey: "pub",
        privateKey: PRIVATE_KEY,
      });
    });

    it("uses a stack-config API key over a service account in the environment (a CI runner's)", () => {
      const config = readProviderConfig(
        stack({ "mongodbatlas:publicKey": "pub", "mongodbatlas:privateKey": PRIVATE_KEY }),
        serviceAccountEnv,
      );
      assert.deepStrictEqual(config.credentials, {
        kind: "apiKey",
        publicKey: "pub",
        privateKey: PRIVATE_KEY,
      });
    });

    it("uses the service account when one source holds both kinds of credentials", () => {
      const both = { "mongodbatlas:publicKey": "pub", "mongodbatlas:privateKey": PRIVATE_KEY };
      const fromStack = readProviderConfig(
        stack({ ...both, "mongodbatlas:clientId": "id", "mongodbatlas:clientSecret": CLIENT_SECRET }),
        {},
      );
      assert.strictEqual(fromStack.credentials.kind, "serviceAccount");
      const fromEnv = readProviderConfig(noConfig, {
        ...serviceAccountEnv,
        MONGODB_ATLAS_PUBLIC_API_KEY: "pub",
        MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
      });
      assert.strictEqual(fromEnv.credentials.kind, "serviceAccount");
    });
  });

  describe("credentials problems", () => {
    it("lists every accepted name when there are no credentials, in one error", () => {
      const error = configError(noConfig, { UNRELATED: "x" });
      assert.deepStrictEqual(error.problems, [
        "no Atlas credentials: set a service account (mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID, and " +
          "mongodbatlas:clientSecret or MONGODB_ATLAS_CLIENT_SECRET) or an API key (mongodbatlas:publicKey or " +
          "MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY, and mongodbatlas:privateKey or " +
          "MONGODB_ATLAS_PRIVATE_API_KEY or MONGODB_ATLAS_PRIVATE_KEY)",
      ]);
    });

    const halves: [string, Record<string, string>, string][] = [
      [
        "clientId alone",
        { MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_1" },
        "mongodbatlas:clientSecret or MONGODB_ATLAS_CLIENT_SECRET is missing (clientId is set)",
      ],
      [
        "clientSecret alone",
        { MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET },
        "mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID is missing (clientSecret is set)",
      ],
      [
        "publicKey alone",
        { MONGODB_ATLAS_PUBLIC_KEY: "pub" },
        "mongodbatlas:privateKey or MONGODB_ATLAS_PRIVATE_API_KEY or MONGODB_ATLAS_PRIVATE_KEY is missing (publicKey is set)",
      ],
      [
        "privateKey alone",
        { MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY },
        "mongodbatlas:publicKey or MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY is missing (privateKey is set)",
      ],
    ];
    for (const [title, env, problem] of halves) {
      it(`names the missing half for ${title}`, () => {
        assert.deepStrictEqual(configError(noConfig, env).problems, [problem]);
      });
    }

    it("names both missing halves when one of each kind is set", () => {
      const error = configError(noConfig, {
        MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
        MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY,
      });
      assert.deepStrictEqual(error.problems, [
        "mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID is missing (clientSecret is set)",
        "mongodbatlas:publicKey or MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY is missing (privateKey is set)",
      ]);
    });
  });

  describe("settings", () => {
    it("parses the numeric settings and the flags", () => {
      const config = readProviderConfig(noConfig, {
        ...serviceAccountEnv,
        ATLAS_RESTORE_REQUEST_TIMEOUT_MS: "5000",
        ATLAS_RESTORE_MAX_ATTEMPTS: "3",
        ATLAS_RESTORE_POLL_MIN_DELAY_MS: "100",
        ATLAS_RESTORE_POLL_MAX_DELAY_MS: "2000",
        ATLAS_RESTORE_ENVELOPE: "true",
        ATLAS_RESTORE_PRETTY: "false",
      });
      assert.strictEqual(config.requestTimeoutMs, 5000);
      assert.deepStrictEqual(config.retry, { ...defaultRetryPolicy, maxAttempts: 3 });
      assert.deepStrictEqual(config.poll, { minDelayMs: 100, maxDelayMs: 2000, mode: "geometric" });
      assert.strictEqual(config.envelope, true);
      assert.strictEqual(config.pretty, false);
    });

    it("asks for the geometric schedule when either poll delay is set, the planned one otherwise", () => {
      const mode = (env: Record<string, string>) =>
        readProviderConfig(noConfig, { ...serviceAccountEnv, ...env }).poll.mode;
      assert.strictEqual(mode({}), "planned");
      assert.strictEqual(mode({ ATLAS_RESTORE_POLL_MIN_DELAY_MS: "100" }), "geometric");
      assert.strictEqual(mode({ ATLAS_RESTORE_POLL_MAX_DELAY_MS: "60000" }), "geometric");
    });

    it("raises the default poll cap to a larger first wait", () => {
      const config = readProviderConfig(
        stack({ "atlasRestore:pollMinDelayMs": "200000" }),
        serviceAccountEnv,
      );
      assert.deepStrictEqual(config.poll, { minDelayMs: 200_000, maxDelayMs: 200_000, mode: "geometric" });
    });

    const invalid: [string, Record<string, string>, string][] = [
      [
        "a zero request timeout",
        { ATLAS_RESTORE_REQUEST_TIMEOUT_MS: "0" },
        "atlasRestore:requestTimeoutMs or ATLAS_RESTORE_REQUEST_TIMEOUT_MS must be an integer of at least 1",
      ],
      [
        "a fractional attempt count",
        { ATLAS_RESTORE_MAX_ATTEMPTS: "2.5" },
        "atlasRestore:maxAttempts or ATLAS_RESTORE_MAX_ATTEMPTS must be an integer of at least 1",
      ],
      [
        "words for a delay",
        { ATLAS_RESTORE_POLL_MIN_DELAY_MS: "soon" },
        "atlasRestore:pollMinDelayMs or ATLAS_RESTORE_POLL_MIN_DELAY_MS must be an integer of at least 1",
      ],
      [
        "a poll cap below the first wait",
        { ATLAS_RESTORE_POLL_MIN_DELAY_MS: "5000", ATLAS_RESTORE_POLL_MAX_DELAY_MS: "4999" },
        "atlasRestore:pollMaxDelayMs or ATLAS_RESTORE_POLL_MAX_DELAY_MS must be an integer of at least 5000",
      ],
      [
        "a flag that is not true or false",
        { ATLAS_RESTORE_ENVELOPE: "yes" },
        "atlasRestore:envelope or ATLAS_RESTORE_ENVELOPE must be true or false",
      ],
      [
        "a flag in capitals",
        { ATLAS_RESTORE_PRETTY: "TRUE" },
        "atlasRestore:pretty or ATLAS_RESTORE_PRETTY must be true or false",
      ],
    ];
    for (const [title, env, problem] of invalid) {
      it(`refuses ${title}, naming the key`, () => {
        assert.deepStrictEqual(configError(noConfig, { ...serviceAccountEnv, ...env }).problems, [problem]);
      });
    }
  });

  describe("base URL", () => {
    it("accepts http and https URLs, a local emulator included", () => {
      for (const url of [
        "https://cloud.mongodb.com/",
        "http://127.0.0.1:8080",
        "https://atlas.example/prefix",
      ]) {
        assert.strictEqual(
          readProviderConfig(stack({ "mongodbatlas:baseUrl": url }), serviceAccountEnv).baseUrl,
          url,
        );
      }
    });

    it("refuses plain http to a host that is not loopback, naming the key", () => {
      for (const [url, host] of [
        ["http://cloud.mongodb.com", "cloud.mongodb.com"],
        ["http://10.0.0.5:8080/", "10.0.0.5"],
        ["http://proxy.corp", "proxy.corp"],
      ]) {
        const error = configError(noConfig, { ...serviceAccountEnv, MONGODB_ATLAS_BASE_URL: url! });
        assert.deepStrictEqual(error.problems, [
          "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL must use https unless it is a loopback address " +
            `(the credentials would travel in clear): ${host}`,
        ]);
      }
      for (const url of ["http://localhost:9000", "http://[::1]:9000", "http://127.0.0.2"]) {
        assert.strictEqual(
          readProviderConfig(stack({ "mongodbatlas:baseUrl": url }), serviceAccountEnv).baseUrl,
          url,
        );
      }
    });

    it("refuses a base URL carrying user:pass@, without echoing it", () => {
      for (const url of ["https://user:s3cr3t@cloud.mongodb.com", "http://s3cr3t@127.0.0.1:9000"]) {
        const error = configError(stack({ "mongodbatlas:baseUrl": url }), serviceAccountEnv);
        assert.deepStrictEqual(error.problems, [
          "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL must not carry credentials (user:pass@); " +
            "set a service account or API key instead",
        ]);
      }
    });

    it("refuses anything else, naming the key and not the value", () => {
      for (const url of ["ftp://s3cr3t@x", "cloud.mongodb.com", "https://", "https:///path", "s3cr3t"]) {
        const error = configError(noConfig, { ...serviceAccountEnv, MONGODB_ATLAS_BASE_URL: url });
        assert.deepStrictEqual(error.problems, [
          "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL must be an http(s) URL",
        ]);
      }
    });
  });

  it("reports every problem at once and never a secret value", () => {
    const error = configError(noConfig, {
      MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
      MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
      MONGODB_ATLAS_BASE_URL: "ftp://user:s3cr3t@x",
      ATLAS_RESTORE_POLL_MIN_DELAY_MS: "s3cr3t",
      ATLAS_RESTORE_PRETTY: "s3cr3t",
    });
    assert.deepStrictEqual(error.problems, [
      "mongodbatlas:clientId or MONGODB_ATLAS_CLIENT_ID is missing (clientSecret is set)",
      "mongodbatlas:publicKey or MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY is missing (privateKey is set)",
      "mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL must be an http(s) URL",
      "atlasRestore:pollMinDelayMs or ATLAS_RESTORE_POLL_MIN_DELAY_MS must be an integer of at least 1",
      "atlasRestore:pretty or ATLAS_RESTORE_PRETTY must be true or false",
    ]);
  });
});
