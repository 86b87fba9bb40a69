/** One target row of results.md: what was asked, what was measured, and whether it was met. */
export interface Target {
  readonly target: string;
  readonly measured: string;
  /** Undefined when the run could not measure it. */
  readonly met: boolean | undefined;
  /** How far from the limit, in words ("18 % under", "missed by 0.4 s"). */
  readonly margin: string;
}

/** Seconds with one decimal. */
export const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A `≤ limit` target on a value, with the margin in the value's unit or as a percentage. */
export function atMost(
  target: string,
  value: number | undefined,
  limit: number,
  show: (v: number) => string,
): Target {
  if (value === undefined || Number.isNaN(value))
    return { target, measured: "not measured", met: undefined, margin: "—" };
  const met = value <= limit + 1e-9;
  const percent = limit === 0 ? undefined : Math.abs((value - limit) / limit) * 100;
  const distance = percent === undefined ? show(Math.abs(value - limit)) : `${percent.toFixed(0)} %`;
  return {
    target,
    measured: show(value),
    met,
    margin: met ? (value === limit ? "exactly at the limit" : `${distance} under`) : `missed by ${distance}`,
  };
}

/** The table of targets. */
export function targetTable(targets: readonly Target[]): string[] {
  return [
    "| target | measured | met | by how much |",
    "| --- | --- | --- | --- |",
    ...targets.map(
      (t) =>
        `| ${t.target} | ${t.measured} | ${t.met === undefined ? "not measured" : t.met ? "yes" : "**no**"} | ${t.margin} |`,
    ),
  ];
}
