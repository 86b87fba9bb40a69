import { AtlasApiError } from "../atlas/errors";
import type { ConnectionStrings } from "../atlas/wire";
import {
  CloneCheckError,
  type ConnectClone,
  connectionStringOf,
  DatabaseCredentialsError,
  verifyClone,
  type VerifyCloneInputs,
  type VerifyResult,
} from "../verify";
import { sameValue } from "./input-diff";
import type { RestoreTarget, Session } from "./types";

/**
 * The clone check a restore's record runs once its job completed and its target is ready (see
 * record.ts): what to check where the data landed, how to reach the target, and what state keeps.
 */

/** Checks the clone in a restore's target; `sourceCounts` as Atlas reports them, by namespace. */
export type CloneVerifier = (
  s: Session,
  target: RestoreTarget,
  inputs: VerifyCloneInputs,
  sourceCounts: ReadonlyMap<string, number>,
) => Promise<VerifyResult>;

/** One collection of a clone check, as the record keeps it. */
export interface CheckedCollection {
  /** The collection read, `db.collection` (where a collection-level restore landed it). */
  readonly namespace: string;
  /** What its count had to be: `exactly 5000`, `at least 1`, `as the source: 5000`; absent without one. */
  readonly expected?: string;
  /** Documents found (0 when the collection does not exist). */
  readonly found: number;
  /** Documents matching the check's query, when it has one. */
  readonly matching?: number;
  readonly ok: boolean;
}

/** What the record keeps of a clone check: whether it passed, and each collection's counts. */
export interface CloneVerification {
  readonly ok: boolean;
  readonly collections: readonly CheckedCollection[];
}

/** The outcome as state keeps it: small, and nothing read from the documents. */
export function verificationOf(result: VerifyResult): CloneVerification {
  return {
    ok: result.ok,
    collections: result.collections.map((c) => ({
      namespace: c.namespace,
      ...(c.expected !== undefined ? { expected: c.expected } : {}),
      found: c.found,
      ...(c.query ? { matching: c.query.matching } : {}),
      ok: c.ok,
    })),
  };
}

/**
 * Whether an earlier step already passed this same check on this same job: then nothing connects to
 * the database again. A failed check, another job or a changed `verify` is checked (again).
 */
export function checkedBefore(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
): boolean {
  const before = olds?.verification as CloneVerification | null | undefined;
  return (
    before?.ok === true &&
    sameValue(olds?.restoreJobId, news.restoreJobId) &&
    sameValue(olds?.verify, news.verify)
  );
}

/**
 * The check as asked, aimed where the data landed: a collection-level restore reports, per
 * collection, where it went (`effectiveTargetNamespace`, renamed by Atlas when `CREATE_NEW` met an
 * existing collection) and the source's documents (`totalDocuments`, what `sameAsSource` compares
 * with). Other restores report neither: the check is read as given.
 */
export function aimedAtLanding(
  verify: VerifyCloneInputs,
  recorded: Record<string, unknown>,
): { inputs: VerifyCloneInputs; sourceCounts: Map<string, number> } {
  const states = Array.isArray(recorded.collectionStates)
    ? (recorded.collectionStates as Record<string, unknown>[])
    : [];
  const landing = new Map<string, string>();
  const sourceCounts = new Map<string, number>();
  for (const { sourceNamespace, targetNamespace, effectiveTargetNamespace, totalDocuments } of states) {
    const asked = typeof targetNamespace === "string" ? targetNamespace : sourceNamespace;
    const landed = typeof effectiveTargetNamespace === "string" ? effectiveTargetNamespace : asked;
    if (typeof asked !== "string" || typeof landed !== "string") continue;
    landing.set(asked, landed);
    if (typeof totalDocuments === "number") sourceCounts.set(landed, totalDocuments);
  }
  return {
    inputs: {
      collections: verify.collections.map((c) => ({
        ...c,
        namespace: landing.get(c.namespace) ?? c.namespace,
      })),
    },
    sourceCounts,
  };
}

/** The target's `stateName` and connection strings, through the API that owns it. */
export async function describeTarget(
  s: Session,
  target: RestoreTarget,
): Promise<{ stateName?: string; connectionStrings?: ConnectionStrings }> {
  const read = {
    cluster: s.client.getCluster,
    flex: s.client.getFlexCluster,
    serverless: s.client.getServerlessInstance,
  }[target.api];
  return read(target.groupId, target.name);
}

/**
 * The connection string to check a target through: `standard` where Atlas answers one (no DNS
 * needed), else `standardSrv`. A serverless instance answers only `standardSrv`; since the 2026-01-22
 * sunset each one is also the Flex cluster of the same name, whose `standard` is used when it answers.
 */
export async function targetConnectionString(s: Session, target: RestoreTarget): Promise<string> {
  const own = (await describeTarget(s, target)).connectionStrings ?? {};
  const twin = target.api === "serverless" && !own.standard ? await flexTwinStrings(s, target) : {};
  const found = connectionStringOf({ ...own, ...(twin.standard ? { standard: twin.standard } : {}) });
  if (found === undefined)
    throw new CloneCheckError(`Atlas reports no connection string for the restore's target: ${target.name}`);
  return found;
}

/** The Flex cluster a serverless instance became, if the Flex API knows it (400 or 404: not yet). */
async function flexTwinStrings(s: Session, target: RestoreTarget): Promise<ConnectionStrings> {
  try {
    return (await s.client.getFlexCluster(target.groupId, target.name)).connectionStrings ?? {};
  } catch (error) {
    if (error instanceof AtlasApiError && (error.status === 400 || error.status === 404)) return {};
    throw error;
  }
}

/**
 * The clone check over Atlas and the official driver (or `connect`): the target's connection string
 * from its GET, and the session's database user for that target (stack config secrets; never state).
 */
export function atlasCloneVerifier(connect?: ConnectClone): CloneVerifier {
  return async (s, target, inputs, sourceCounts) => {
    if (!s.databaseCredentials)
      throw new DatabaseCredentialsError("this session has no database credentials");
    return verifyClone({
      connectionString: await targetConnectionString(s, target),
      credentials: s.databaseCredentials({ groupId: target.groupId, clusterName: target.name }),
      inputs,
      sourceCounts,
      ...(connect ? { connect } : {}),
    });
  };
}
