import { OptionsError } from "../options";

/**
 * The body of `PATCH /__emulator/jobs/{id}`: any of `expired`, `cancelled`, `failed`, `completed`
 * (each `true`), and `held` (`true` stops the job where it is, `false` lets it go on).
 */
export interface JobChange {
  expired?: true;
  cancelled?: true;
  failed?: true;
  completed?: true;
  held?: boolean;
}

const ONCE = ["expired", "cancelled", "failed", "completed"] as const;

/** Checks a job change; throws with every problem, so a typo does not silently change nothing. */
export function jobChange(body: unknown): JobChange {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OptionsError(["a job change must be a JSON object"]);
  }
  const problems: string[] = [];
  const change: JobChange = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "held") {
      if (typeof value !== "boolean") problems.push("held must be true or false");
      else change.held = value;
    } else if (!(ONCE as readonly string[]).includes(key)) problems.push(`unknown job change: ${key}`);
    else if (value !== true) problems.push(`${key} can only be set to true`);
    else change[key as (typeof ONCE)[number]] = true;
  }
  if (Object.keys(body).length === 0)
    problems.push("a job change needs expired, cancelled, failed, completed or held");
  if (change.failed && change.completed) problems.push("a job cannot be both failed and completed");
  if (problems.length > 0) throw new OptionsError(problems);
  return change;
}
