import { type Clock, systemClock } from "./clock";
import { Emulator } from "./emulator-state";
import { listen } from "./http/server";
import { listenDeployments } from "./mongo/server";
import { defaultRuntimeOptions, type EmulatorOptions, mergeOptions } from "./options";

/** A controllable clock, for tests that drive restores, nonces and tokens without waiting. */
export { type Clock, type ManualClock, manualClock } from "./clock";
/** The options of {@link startEmulator} and of `PATCH /__emulator/options`. */
export type { EmulatorOptions, RuntimeOptions, SunsetMode } from "./options";
/** The seed: the built-in one, a file reader and its format. */
export { defaultSeed, loadSeedFile, type Seed } from "./seed";

/** Where one deployment serves the MongoDB wire protocol. */
export interface WireEndpoint {
  /** The cluster's project and name (a serverless instance and the flex cluster of its name share one). */
  readonly groupId: string;
  readonly name: string;
  /** `mongodb://127.0.0.1:<port>/?authSource=admin[&replicaSet=…]`, the cluster GET's `connectionStrings.standard`. */
  readonly connectionString: string;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The port it bound on 127.0.0.1. */
  readonly port: number;
  /** Every deployment's wire-protocol server, in seed order. */
  readonly wire: readonly WireEndpoint[];
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts a local Atlas Admin API emulator on 127.0.0.1 (port 0 by default: any free port). Point a
 * stack at it with `mongodbatlas:baseUrl` or `MONGODB_ATLAS_BASE_URL` and the seed's credentials.
 * @param clock the emulator's time (default: the wall clock); a {@link manualClock} lets tests move
 *   restores, nonce and token expiry forward without sleeping
 */
export async function startEmulator(
  options: EmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<RunningEmulator> {
  const { port = 0, wirePort = 0, seed, stateFile, ...runtimeChange } = options;
  const runtime = mergeOptions(
    defaultRuntimeOptions(),
    Object.fromEntries(Object.entries(runtimeChange).filter(([, v]) => v !== undefined)),
  );
  const emulator = new Emulator({ seed, stateFile }, runtime, clock);
  const server = await listen(emulator, port);
  const closeHttp = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const data = emulator.store.data;
  const wires = await listenDeployments(
    data,
    emulator.store.seed.databaseUsers ?? [],
    emulator.clock,
    wirePort,
  ).catch(async (error: unknown) => {
    await closeHttp();
    throw error;
  });
  return {
    url: emulator.baseUrl,
    port: Number(new URL(emulator.baseUrl).port),
    wire: wires.map(({ deployment: d }) => ({
      groupId: d.groupId,
      name: d.name,
      connectionString: data.connectionStringsOf(d)!.standard,
    })),
    close: async () => {
      await Promise.all([closeHttp(), ...wires.map((w) => w.close())]);
    },
  };
}
