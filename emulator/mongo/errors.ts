import type { Document } from "bson";

// Command errors as MongoDB answers them ({ ok: 0, errmsg, code, codeName }); the driver raises them
// as MongoServerError with the same code. Codes are MongoDB's (src/mongo/base/error_codes.yml).

/** MongoDB error codes the emulator answers. */
export const CODES = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  AuthenticationFailed: 18,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  MechanismUnavailable: 334,
  DuplicateKey: 11000,
  UnrecognizedPipelineStage: 40324,
} as const;

/** A MongoDB error code's name. */
export type CodeName = keyof typeof CODES;

/** A command that failed: answered `{ ok: 0, errmsg, code, codeName }`, the connection stays open. */
export class CommandError extends Error {
  override readonly name = "CommandError";
  readonly code: number;

  constructor(
    readonly codeName: CodeName,
    message: string,
  ) {
    super(message);
    this.code = CODES[codeName];
  }

  /** The answer document. */
  toReply(): Document {
    // The codeName of error 40324 is its code prefixed (MongoDB's "Location" codes).
    const codeName = this.codeName === "UnrecognizedPipelineStage" ? "Location40324" : this.codeName;
    return { ok: 0, errmsg: this.message, code: this.code, codeName };
  }
}

/** What a command needs but does not have: the field named. */
export function badValue(message: string): CommandError {
  return new CommandError("BadValue", message);
}

/** A feature of MongoDB the emulator does not offer. */
export function notSupported(what: string): CommandError {
  return new CommandError("CommandNotSupported", `not supported by the Atlas emulator: ${what}`);
}
