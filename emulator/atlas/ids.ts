import { randomBytes } from "crypto";

/** Pattern of Atlas ids (24 lowercase hex digits, a MongoDB ObjectId). */
export const OBJECT_ID_PATTERN = /^([a-f0-9]{24})$/;

/** Pattern of Atlas cluster, instance and flex cluster names. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

/**
 * Returns a new ObjectId-shaped id: 4 bytes of seconds then 8 random bytes, like MongoDB's, so ids sort by
 * creation time the way real Atlas ids roughly do.
 */
export function newObjectId(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return seconds.toString(16).padStart(8, "0") + randomBytes(8).toString("hex");
}
