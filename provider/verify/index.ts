// Checking a clone after its restore: what to ask (inputs.ts, checked by check.ts), where the password comes from
// (credentials.ts), the pure comparison (compare.ts) and the driver edge (verify-clone.ts).
export { checkVerifyInputs, type VerifyContext } from "./check";
export { type CollectionResult, compareClone, type FoundCollection, type VerifyResult } from "./compare";
export {
  type CloneTarget,
  DATABASE_SETTINGS,
  type DatabaseCredentials,
  DatabaseCredentialsError,
  readDatabaseCredentials,
} from "./credentials";
export {
  CollectionCheck,
  CountExpectation,
  DocumentCount,
  Namespace,
  QueryExpectation,
  QueryFilter,
  VerifyCloneInputs,
} from "./inputs";
export { queryProblems } from "./query";
export {
  CloneCheckError,
  type CloneReader,
  type ConnectClone,
  connectionStringOf,
  verifyClone,
  type VerifyCloneOptions,
} from "./verify-clone";
