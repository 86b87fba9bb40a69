import type { AtlasClient } from "../atlas/client";
import { AtlasApiError } from "../atlas/errors";

/**
 * What a source named by project and name is today. Atlas moves clusters between kinds (serverless
 * instances became Flex clusters at the 2026-01-22 sunset; Flex clusters can be upgraded to dedicated
 * ones), so a program that names only the source can keep working across such moves.
 */
export type SourceKind = "cluster" | "flex" | "serverless";

/** The error code the clusters API answers (400) for a Flex cluster's name. */
export const FLEX_IN_CLUSTER_API = "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API";

/**
 * Reads the source through the clusters API, as the Atlas CLI's `backup restores start` does: a
 * dedicated cluster answers; a Flex cluster's name answers 400 `CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`;
 * anything else the clusters API does not know (404, or a serverless instance refused with a 400) is
 * left to the serverless restore path, which itself falls back to Flex after the sunset.
 */
export async function detectSourceKind(
  client: AtlasClient,
  groupId: string,
  clusterName: string,
): Promise<SourceKind> {
  try {
    await client.getCluster(groupId, clusterName);
    return "cluster";
  } catch (error) {
    if (!(error instanceof AtlasApiError)) throw error;
    if (error.status === 400 && error.errorCode === FLEX_IN_CLUSTER_API) return "flex";
    if (error.status === 404) return "serverless";
    if (error.status === 400 && error.errorCode?.includes("SERVERLESS")) return "serverless";
    throw error;
  }
}
