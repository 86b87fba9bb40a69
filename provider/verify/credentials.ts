/**
 * The database user a clone check logs in with. A password is a secret: it comes from stack config
 * (set with `--secret`) or the environment, never from resource inputs, so it never reaches state.
 */

/** A database user's name and password. */
export interface DatabaseCredentials {
  readonly username: string;
  readonly password: string;
}

/** Where the database credentials come from: stack config keys first, then environment variables. */
export const DATABASE_SETTINGS = {
  /** The user every target is checked with, unless `credentials` names one for that target. */
  username: { config: "atlasRestore:databaseUsername", env: "ATLAS_RESTORE_DATABASE_USERNAME" },
  password: { config: "atlasRestore:databasePassword", env: "ATLAS_RESTORE_DATABASE_PASSWORD" },
  /**
   * Per target, a JSON object keyed `<groupId>/<clusterName>` (or `<clusterName>` for that name in any
   * project), each value `{ "username": …, "password": … }`; set it with `--secret`.
   */
  credentials: { config: "atlasRestore:databaseCredentials", env: "ATLAS_RESTORE_DATABASE_CREDENTIALS" },
} as const;

/** Missing or malformed database credentials; names the keys, never a value. */
export class DatabaseCredentialsError extends Error {
  override readonly name = "DatabaseCredentialsError";
}

/** The target cluster a clone check logs in to. */
export interface CloneTarget {
  readonly groupId: string;
  readonly clusterName: string;
}

/**
 * The credentials for `target`. Pure: the caller passes the stack config and the environment. A
 * per-target entry wins, then the username and password pair from stack config, then the pair from
 * the environment; a pair is never mixed from two sources. Throws {@link DatabaseCredentialsError}.
 */
export function readDatabaseCredentials(
  get: (key: string) => string | undefined,
  env: Record<string, string | undefined>,
  target: CloneTarget,
): DatabaseCredentials {
  const s = DATABASE_SETTINGS;
  const present = (value: string | undefined): value is string => value !== undefined && value !== "";
  const perTarget = get(s.credentials.config) ?? env[s.credentials.env];
  const where = present(get(s.credentials.config)) ? s.credentials.config : s.credentials.env;
  if (present(perTarget)) {
    const entry = targetEntry(perTarget, where, target);
    if (entry) return entry;
  }
  for (const [username, password] of [
    [get(s.username.config), get(s.password.config)],
    [env[s.username.env], env[s.password.env]],
  ] as const) {
    if (present(username) && present(password)) return { username, password };
    if (present(username) !== present(password))
      throw new DatabaseCredentialsError(
        `database credentials are a pair: set both ${s.username.config} and ${s.password.config} (or ${s.username.env} and ${s.password.env})`,
      );
  }
  throw new DatabaseCredentialsError(
    `checking a clone needs a database user: set ${s.username.config} and, with --secret, ${s.password.config}, or an entry in ${s.credentials.config} for ${target.groupId}/${target.clusterName}`,
  );
}

function targetEntry(json: string, where: string, target: CloneTarget): DatabaseCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new DatabaseCredentialsError(
      `${where} must be a JSON object of { "username", "password" } by target`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new DatabaseCredentialsError(
      `${where} must be a JSON object of { "username", "password" } by target`,
    );
  const byTarget = parsed as Record<string, unknown>;
  const key = [`${target.groupId}/${target.clusterName}`, target.clusterName].find((k) =>
    Object.hasOwn(byTarget, k),
  );
  if (key === undefined) return undefined;
  const entry = byTarget[key] as Record<string, unknown> | null;
  if (
    typeof entry?.username !== "string" ||
    entry.username === "" ||
    typeof entry.password !== "string" ||
    entry.password === ""
  )
    throw new DatabaseCredentialsError(`${where} needs a non-empty username and password for: ${key}`);
  return { username: entry.username, password: entry.password };
}
