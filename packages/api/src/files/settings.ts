/** The limits of uploads, shared by the procedure, the HTTP layer and the sweep. */
export type UploadSettings = {
  /** Largest file accepted, in bytes (`PARLEY_MAX_UPLOAD_MB`, default 25 MB). */
  maxBytes: number;
  /** How long an upload no message claimed is kept (`PARLEY_UPLOAD_TTL_HOURS`, default 24 h). */
  pendingTtlSeconds: number;
};

export const defaultUploadSettings: UploadSettings = {
  maxBytes: 25 * 1024 * 1024,
  pendingTtlSeconds: 24 * 60 * 60,
};

/** Most files one message (or a new ticket's description) carries. */
export const maxAttachmentsPerMessage = 10;
