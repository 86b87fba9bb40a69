import { readFileSync } from "node:fs";
import { connect } from "node:net";

/**
 * Notices that the Pulumi engine that started this provider process is gone, so that an orphaned
 * provider stops instead of finishing work nobody will record. When only the CLI's process group is
 * killed (Ctrl-\, an OOM kill, a runner signalling its direct child), plugins live on in their own
 * process groups; without this, the provider kept calling Atlas, and with its stderr closed looped
 * in its uncaught-exception handler at 100 % CPU.
 */

/** What the watch looks at; injected so that tests drive it without processes or sockets. */
export interface EngineWatchProbes {
  /** Process ids of this process's parent and grandparent at start (the engine is one of them). */
  readonly ancestors: readonly number[];
  /** The current parent process id (it changes when the parent dies and the process is reparented). */
  ppid(): number;
  /** Whether a process exists. */
  alive(pid: number): boolean;
  /** Whether the engine's gRPC address still accepts connections (`refused` means it is gone). */
  engine?(): Promise<"up" | "refused" | "unknown">;
  /** The output streams; a write that fails with EPIPE means the engine closed its end. */
  readonly streams: readonly NodeJS.EventEmitter[];
  every(ms: number, run: () => void): { stop(): void };
}

/** A running watch. */
export interface EngineWatch {
  stop(): void;
  /**
   * Looks at once (parent and ancestors, no I/O) and reports whether the engine still seems there,
   * so that a call about to be sent between two periodic looks is not sent to a dead engine's end.
   */
  checkNow(): boolean;
}

/** How often the watch looks (ms). */
export const WATCH_EVERY_MS = 500;

/**
 * Calls `onGone` once, with the reason, when the engine is gone: an output stream broke, an
 * ancestor died or the process was reparented, or the engine's address refuses connections.
 */
export function watchEngine(probes: EngineWatchProbes, onGone: (reason: string) => void): EngineWatch {
  let done = false;
  const firstParent = probes.ppid();
  const gone = (reason: string) => {
    if (done) return;
    done = true;
    timer.stop();
    onGone(reason);
  };
  // Listening also stops Node from turning a failed write into an uncaught exception, whose handler
  // writes to the same broken stream again.
  for (const stream of probes.streams) {
    stream.on("error", (error: NodeJS.ErrnoException) =>
      gone(`output stream failed: ${error.code ?? "error"}`),
    );
  }
  let probing = false;
  let ticks = 0;
  /** The cheap, synchronous looks; also run right before each Atlas call (see `checkNow`). */
  const look = (): boolean => {
    if (done) return false;
    if (probes.ppid() !== firstParent) gone("parent process changed");
    else {
      const dead = probes.ancestors.find((pid) => !probes.alive(pid));
      if (dead !== undefined) gone(`ancestor process exited: ${dead}`);
    }
    return !done;
  };
  const timer = probes.every(WATCH_EVERY_MS, () => {
    if (!look()) return;
    // A connection costs the engine a little; every fourth look is enough.
    if (!probes.engine || probing || ticks++ % 4 !== 0) return;
    probing = true;
    void probes.engine().then((answer) => {
      probing = false;
      if (answer === "refused") gone("engine connection refused");
    });
  });
  return { stop: () => ((done = true), timer.stop()), checkNow: look };
}

/** The probes of the real process: /proc for the grandparent (Linux), a TCP connect for the engine. */
export function processProbes(engineAddress: string | undefined): EngineWatchProbes {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  return {
    ancestors: [parent, ...(grandparent !== undefined && grandparent > 1 ? [grandparent] : [])],
    ppid: () => process.ppid,
    alive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
      }
    },
    ...(engineAddress ? { engine: () => probeAddress(engineAddress) } : {}),
    streams: [process.stdout, process.stderr],
    every: (ms, run) => {
      const handle = setInterval(run, ms);
      handle.unref();
      return { stop: () => clearInterval(handle) };
    },
  };
}

/** The parent of a process, from `/proc/<pid>/stat` (undefined where there is no /proc). */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after its last ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function probeAddress(address: string): Promise<"up" | "refused" | "unknown"> {
  const at = address.lastIndexOf(":");
  const port = Number(address.slice(at + 1));
  const host = address.slice(0, at) || "127.0.0.1";
  if (!Number.isInteger(port)) return Promise.resolve("unknown");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.unref();
    const finish = (answer: "up" | "refused" | "unknown") => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => finish("unknown"));
    socket.once("connect", () => finish("up"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(error.code === "ECONNREFUSED" ? "refused" : "unknown"),
    );
  });
}
