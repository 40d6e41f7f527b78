// Inputs and outputs of the sync methods (issue: 同步).
export const SYNC_INPUTS = {} as const;
export type SyncOutputs = Record<never, never>;
