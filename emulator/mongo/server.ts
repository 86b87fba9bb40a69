import { type AddressInfo, createServer, type Socket } from "net";

import type { Clock } from "../clock";
import type { DataPlane, Deployment } from "../data/plane";
import type { SeedDatabaseUser } from "../seed";
import { runCommand } from "./commands";
import type { Connection } from "./context";
import { Cursors } from "./cursors";
import { type ScramCredential, scramCredential } from "./scram";
import { encodeReply, MessageSplitter, parseMessage } from "./wire";

/** A deployment's wire-protocol server on loopback. */
export interface WireServer {
  readonly deployment: Deployment;
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** What a deployment's server needs. */
export interface WireServerOptions {
  readonly data: DataPlane;
  readonly deployment: Deployment;
  /** The database users of the deployment's project. */
  readonly users: readonly SeedDatabaseUser[];
  readonly clock: Clock;
  /** Port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
}

/**
 * Serves one deployment's documents over the MongoDB wire protocol on 127.0.0.1: the official
 * drivers and mongosh connect with its connection string and a database user's password.
 */
export async function listenWire(options: WireServerOptions): Promise<WireServer> {
  const { data, deployment, clock } = options;
  const cursors = new Cursors();
  const credentials = new Map<string, ScramCredential>();
  // Keys are derived on first use: 15,000 PBKDF2 rounds per user would slow every start.
  const credentialOf = (user: string): ScramCredential | undefined => {
    const seeded = options.users.find((u) => u.username === user);
    if (!seeded) return undefined;
    let credential = credentials.get(user);
    if (!credential) credentials.set(user, (credential = scramCredential(seeded.password)));
    return credential;
  };
  const sockets = new Set<Socket>();
  let connections = 0;
  let host = "";

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const connection: Connection = { id: ++connections };
    const splitter = new MessageSplitter();
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const message of splitter.push(chunk)) {
          const request = parseMessage(message);
          const now = clock.now();
          const reply = runCommand({
            command: request.command,
            db: request.db,
            deployment,
            host,
            now,
            connection,
            cursors,
            history: data.history(deployment.key, now),
            credentialOf,
          });
          if (!request.moreToCome) socket.write(encodeReply(request, reply));
        }
      } catch (error) {
        // Bytes that are not the wire protocol: MongoDB closes such a connection too.
        console.error(`Atlas emulator: closing a wire-protocol connection: ${(error as Error).message}`);
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `emulator cannot serve ${deployment.name} on 127.0.0.1 (${error.code ?? error.message}): port ${options.port ?? 0}`,
        ),
      ),
    );
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deployment,
    host,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * Starts one server per deployment, each on its own port (`firstPort + i` in seed order, or any
 * free ports when `firstPort` is 0), and records where each listens; on failure none stays open.
 */
export async function listenDeployments(
  data: DataPlane,
  users: readonly SeedDatabaseUser[],
  clock: Clock,
  firstPort = 0,
): Promise<WireServer[]> {
  const servers: WireServer[] = [];
  try {
    for (const [i, deployment] of data.deployments().entries()) {
      const server = await listenWire({
        data,
        deployment,
        users: users.filter((u) => u.groupId === deployment.groupId),
        clock,
        port: firstPort === 0 ? 0 : firstPort + i,
      });
      data.serve(deployment.key, server.host);
      servers.push(server);
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  return servers;
}
