import assert from "node:assert";

import axios, { type AxiosAdapter } from "axios";

import { assertContract, operationOf } from "../emulator/contract";

/** Wraps axios's own HTTP adapter: each Atlas answer is checked against the contract, its operation recorded. */
export function contractChecking(operations: string[]): AxiosAdapter {
  const http = axios.getAdapter("http");
  return async (config) => {
    const response = await http(config);
    const url = new URL(config.url!, config.baseURL);
    const operation = operationOf(String(config.method).toUpperCase(), url.pathname);
    if (operation) {
      operations.push(operation);
      const text = String(response.data ?? "");
      const type = String(response.headers["content-type"] ?? "");
      if (response.status === 204) assert.strictEqual(text, "", "a 204 has no body");
      else assertContract(operation, response.status, JSON.parse(text), type || undefined);
    }
    return response;
  };
}
