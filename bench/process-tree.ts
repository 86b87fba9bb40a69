import { readdirSync, readFileSync } from "node:fs";

/**
 * Memory and CPU of one process tree, read from /proc: only the processes the bench started (the
 * engine and its descendants), never the rest of a shared machine.
 */

/** What a process is, from its command line. */
export type Role = "engine" | "language host" | "program" | "provider" | "other";

/** Peak RSS and last seen CPU time of one process. */
export interface ProcessUsage {
  readonly pid: number;
  readonly role: Role;
  peakRssKb: number;
  /** User + system CPU, ms, at the last sample. */
  cpuMs: number;
}

/** Per-role totals of one run. */
export interface TreeUsage {
  /** Highest RSS any one process of the role reached, MB. */
  readonly peakRssMb: Record<Role, number>;
  /** Highest sum of RSS over the whole tree at one sample, MB. */
  readonly peakTreeRssMb: number;
  /** CPU time per role, summed over its processes, s. */
  readonly cpuSeconds: Record<Role, number>;
  readonly samples: number;
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux.
const PAGE_KB = 4;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuMs: number;
  readonly rssKb: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; fields follow the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      ppid: Number(fields[1]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      rssKb: Number(fields[21]) * PAGE_KB,
    };
  } catch {
    return undefined; // exited between the listing and the read
  }
}

function roleOf(pid: number): Role {
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "other";
  }
  if (/dynamic-provider|pulumi-resource-pulumi-nodejs/.test(cmd)) return "provider";
  if (/pulumi-language-nodejs/.test(cmd)) return "language host";
  if (/@pulumi[/]pulumi[/]cmd[/]run|run-plugin|cmd\/run/.test(cmd)) return "program";
  if (/(^|\/)pulumi( |$)/.test(cmd)) return "engine";
  return "other";
}

/** Samples the tree under `rootPid` every `everyMs` until stopped. */
export function sampleTree(rootPid: number, everyMs = 50): { stop(): TreeUsage } {
  const seen = new Map<number, ProcessUsage>();
  let peakTreeKb = 0;
  let samples = 0;
  const sample = () => {
    const stats = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readStat(Number(name)))
      .filter((s): s is Stat => s !== undefined);
    const children = new Map<number, Stat[]>();
    for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
    const root = stats.find((s) => s.pid === rootPid);
    if (!root) return;
    const tree: Stat[] = [];
    const queue = [root];
    while (queue.length > 0) {
      const next = queue.shift()!;
      tree.push(next);
      queue.push(...(children.get(next.pid) ?? []));
    }
    samples++;
    let treeKb = 0;
    for (const s of tree) {
      let usage = seen.get(s.pid);
      if (!usage) {
        usage = { pid: s.pid, role: roleOf(s.pid), peakRssKb: 0, cpuMs: 0 };
        seen.set(s.pid, usage);
      }
      usage.peakRssKb = Math.max(usage.peakRssKb, s.rssKb);
      usage.cpuMs = Math.max(usage.cpuMs, s.cpuMs);
      treeKb += s.rssKb;
    }
    peakTreeKb = Math.max(peakTreeKb, treeKb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const roles: Role[] = ["engine", "language host", "program", "provider", "other"];
      const peakRssMb = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
      const cpuSeconds = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
      for (const usage of seen.values()) {
        peakRssMb[usage.role] = Math.max(peakRssMb[usage.role], usage.peakRssKb / 1024);
        cpuSeconds[usage.role] += usage.cpuMs / 1000;
      }
      return { peakRssMb, peakTreeRssMb: peakTreeKb / 1024, cpuSeconds, samples };
    },
  };
}
