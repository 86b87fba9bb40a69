import { OptionsError } from "../options";

/** The body of `PATCH /__emulator/jobs/{id}`: any of `expired`, `cancelled`, `failed`, each `true`. */
export interface JobChange {
  expired?: true;
  cancelled?: true;
  failed?: true;
}

/** Checks a job change; throws with every problem, so a typo does not silently change nothing. */
export function jobChange(body: unknown): JobChange {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OptionsError(["a job change must be a JSON object"]);
  }
  const problems: string[] = [];
  const change: JobChange = {};
  for (const [key, value] of Object.entries(body)) {
    if (key !== "expired" && key !== "cancelled" && key !== "failed")
      problems.push(`unknown job change: ${key}`);
    else if (value !== true) problems.push(`${key} can only be set to true`);
    else change[key] = true;
  }
  if (Object.keys(body).length === 0) problems.push("a job change needs expired, cancelled or failed");
  if (problems.length > 0) throw new OptionsError(problems);
  return change;
}
