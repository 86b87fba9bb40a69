// Request body schemas of the create operations, copied from the OpenAPI subsets with only the validation
// keywords kept and $refs inlined. test/emulator/atlas/request-schemas.spec.ts checks they still equal the
// contract, so an update of an OpenAPI file cannot silently diverge from what the emulator enforces.

/** The JSON Schema subset the emulator validates request bodies with. */
export interface Schema {
  type?: "object" | "string" | "integer" | "number" | "boolean" | "array";
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  items?: Schema;
  readOnly?: boolean;
  writeOnly?: boolean;
  nullable?: boolean;
}

/** `Link`, in every body (read-only, so never sent). */
const LINKS: Schema = {
  items: { properties: { href: { type: "string" }, rel: { type: "string" } }, type: "object" },
  readOnly: true,
  type: "array",
};

/** `ApiPrivateDownloadDeliveryUrl[]`, on a dedicated job and on each of its components. */
const PRIVATE_DOWNLOAD_URLS: Schema = {
  items: {
    properties: {
      deliveryUrl: { type: "string" },
      endpointId: { pattern: "^vpce-[0-9a-f]{17}$", type: "string" },
    },
    type: "object",
  },
  readOnly: true,
  type: "array",
};

/** `ApiAtlasRestoreNamespaceView[]`: the databases or collections of a collection restore. */
const NAMESPACES: Schema = {
  items: {
    properties: { sourceNamespace: { type: "string" }, targetNamespace: { type: "string" } },
    required: ["sourceNamespace"],
    type: "object",
  },
  type: "array",
};

/**
 * The properties `ServerlessBackupRestoreJob` and `DiskBackupSnapshotRestoreJob` share, alike to the
 * letter in the two OpenAPI files.
 */
const FLAGGED_JOB_PROPERTIES: Record<string, Schema> = {
  cancelled: { readOnly: true, type: "boolean" },
  deliveryType: { enum: ["automated", "download", "pointInTime"], type: "string" },
  deliveryUrl: { items: { type: "string" }, readOnly: true, type: "array" },
  desiredTimestamp: {
    properties: {
      date: { format: "date-time", readOnly: true, type: "string" },
      increment: { format: "int32", minimum: 1199145600, readOnly: true, type: "integer" },
    },
    readOnly: true,
    type: "object",
  },
  expired: { readOnly: true, type: "boolean" },
  expiresAt: { format: "date-time", readOnly: true, type: "string" },
  failed: { readOnly: true, type: "boolean" },
  finishedAt: { format: "date-time", readOnly: true, type: "string" },
  id: { pattern: "^([a-f0-9]{24})$", readOnly: true, type: "string" },
  links: LINKS,
  oplogInc: { format: "int32", minimum: 1, type: "integer" },
  oplogTs: { format: "int32", minimum: 1199145600, type: "integer" },
  pointInTimeUTCSeconds: { format: "int32", minimum: 1199145600, type: "integer" },
  snapshotId: { pattern: "^([a-f0-9]{24})$", type: "string" },
  targetClusterName: { pattern: "^[a-zA-Z0-9][a-zA-Z0-9-]*$", type: "string" },
  targetGroupId: { pattern: "^([a-f0-9]{24})$", type: "string" },
  timestamp: { format: "date-time", readOnly: true, type: "string" },
};

/** Body of createGroupServerlessBackupRestoreJob (`ServerlessBackupRestoreJob`). */
export const ServerlessBackupRestoreJob: Schema = {
  properties: FLAGGED_JOB_PROPERTIES,
  required: ["deliveryType", "targetClusterName", "targetGroupId"],
  type: "object",
};

/** Body of createGroupFlexClusterBackupRestoreJob (`FlexBackupRestoreJobCreate20241113`). */
export const FlexBackupRestoreJobCreate20241113: Schema = {
  properties: {
    deliveryType: { enum: ["RESTORE", "DOWNLOAD"], readOnly: true, type: "string" },
    expirationDate: { format: "date-time", readOnly: true, type: "string" },
    id: { pattern: "^([a-f0-9]{24})$", readOnly: true, type: "string" },
    instanceName: { pattern: "^[a-zA-Z0-9][a-zA-Z0-9-]*$", readOnly: true, type: "string" },
    links: LINKS,
    projectId: { pattern: "^([a-f0-9]{24})$", readOnly: true, type: "string" },
    restoreFinishedDate: { format: "date-time", readOnly: true, type: "string" },
    restoreScheduledDate: { format: "date-time", readOnly: true, type: "string" },
    snapshotFinishedDate: { format: "date-time", readOnly: true, type: "string" },
    snapshotId: { pattern: "^([a-f0-9]{24})$", type: "string", writeOnly: true },
    snapshotUrl: { readOnly: true, type: "string" },
    status: { enum: ["PENDING", "QUEUED", "RUNNING", "FAILED", "COMPLETED"], readOnly: true, type: "string" },
    targetDeploymentItemName: {
      pattern: "^[\\p{L}\\p{N}\\-_.(),:&@+']{1,64}$",
      type: "string",
      writeOnly: true,
    },
    targetProjectId: { pattern: "^([a-f0-9]{24})$", type: "string", writeOnly: true },
  },
  required: ["snapshotId", "targetDeploymentItemName"],
  type: "object",
};

/** Body of downloadGroupFlexClusterBackup (`FlexBackupSnapshotDownloadCreate20241113`). */
export const FlexBackupSnapshotDownloadCreate20241113: Schema = {
  properties: {
    links: LINKS,
    snapshotId: { pattern: "^([a-f0-9]{24})$", type: "string", writeOnly: true },
  },
  required: ["snapshotId"],
  type: "object",
};

/** Body of createGroupClusterBackupRestoreJob (`DiskBackupSnapshotRestoreJob`). */
export const DiskBackupSnapshotRestoreJob: Schema = {
  properties: {
    ...FLAGGED_JOB_PROPERTIES,
    components: {
      items: {
        properties: {
          downloadUrl: { readOnly: true, type: "string" },
          privateDownloadDeliveryUrls: PRIVATE_DOWNLOAD_URLS,
          replicaSetName: { readOnly: true, type: "string" },
        },
        type: "object",
      },
      readOnly: true,
      type: "array",
    },
    privateDownloadDeliveryUrls: PRIVATE_DOWNLOAD_URLS,
  },
  required: ["deliveryType"],
  type: "object",
};

/** Body of takeGroupClusterBackupSnapshots (`DiskBackupOnDemandSnapshotRequest`). */
export const DiskBackupOnDemandSnapshotRequest: Schema = {
  properties: {
    description: { type: "string" },
    links: LINKS,
    retentionInDays: { format: "int32", minimum: 1, type: "integer" },
  },
  type: "object",
};

/** Body of createGroupClusterCollectionRestoreJob (`ApiAtlasCollectionRestoreJobRequest`); `maxItems` (100 namespaces) is checked by the handler. */
export const ApiAtlasCollectionRestoreJobRequest: Schema = {
  nullable: true,
  properties: {
    collectionSuffix: { nullable: true, type: "string" },
    collections: NAMESPACES,
    databaseSuffix: { nullable: true, type: "string" },
    databases: NAMESPACES,
    indexStrategy: { enum: ["ALL", "NONE", "ALL_EXCEPT_TTL"], type: "string" },
    oplogInc: { format: "int32", nullable: true, type: "integer" },
    oplogTs: { format: "int32", nullable: true, type: "integer" },
    pointInTimeUtcSeconds: { format: "int32", nullable: true, type: "integer" },
    snapshotId: { pattern: "^([a-f0-9]{24})$", type: "string" },
    targetClusterName: { type: "string" },
    targetGroupId: { pattern: "^([a-f0-9]{24})$", type: "string" },
    writeStrategy: { enum: ["CREATE_NEW", "OVERWRITE_EXISTING"], type: "string" },
  },
  required: ["indexStrategy", "targetClusterName", "targetGroupId", "writeStrategy"],
  type: "object",
};
