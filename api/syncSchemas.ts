// Inputs and outputs of the sync methods (issue: 同步). See docs/sync-protocol.md.
import { z } from 'zod';

const pathInput = z.string().trim().min(1, '请填写文件或文件夹路径').max(1000, '路径过长');

export const SYNC_INPUTS = {
  syncStatus: z.object({}),
  syncNow: z.object({}),
  enrolWithCode: z.object({
    url: z
      .string()
      .trim()
      .min(1, '请填写县级服务地址')
      .max(300, '地址过长')
      .regex(/^https?:\/\/[^\s/]+(\/.*)?$/i, '县级服务地址应以 http:// 或 https:// 开头'),
    code: z.string().trim().min(4, '请填写登记码').max(40, '登记码过长'),
  }),
  enrolWithFile: z.object({ path: pathInput }),
  exportBatches: z.object({ dir: pathInput }),
  importReply: z.object({ path: pathInput }),
  listConflicts: z.object({ includeResolved: z.boolean().default(false) }),
  resolveConflict: z.object({ id: z.string().min(1).max(40), note: z.string().trim().max(500).default('') }),
} as const;

/** One thing the county sent that was applied here (catalog, holiday table, decision on a case). */
export type DownstreamSummary = { id: string; kind: 'catalog' | 'holidays' | 'decision'; appliedAt: string; summary: string };

export type SyncStatus = {
  enrolled: boolean;
  /** Enrolled by file and the county has not yet acknowledged this computer. */
  awaitingConfirmation: boolean;
  countyName: string | null;
  countyCode: string | null;
  pointCode: string | null;
  url: string | null;
  deviceFingerprint: string | null;
  countyFingerprint: string | null;
  /** null until the county was tried once since the program started. */
  online: boolean | null;
  checkedAt: string | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** Changes recorded here that the county has not acknowledged yet. */
  waiting: number;
  lastError: string | null;
  running: boolean;
  progress: { done: number; total: number } | null;
  nextAttemptAt: string | null;
  recentDownstream: DownstreamSummary[];
  conflicts: number;
};

export type SyncRunResult = {
  uploaded: number;
  acked: number;
  waiting: number;
  applied: DownstreamSummary[];
  conflicts: number;
  message: string;
};

export type EnrolResult = {
  countyName: string;
  countyCode: string;
  pointCode: string;
  unitName: string;
  method: 'code' | 'file';
  catalogVersion: string;
  catalogItems: number;
  holidayYears: number[];
  dueDatesChanged: number;
  deviceFingerprint: string;
  countyFingerprint: string;
  message: string;
};

export type ExportedBatch = { path: string; fromSeq: number; toSeq: number; count: number; bytes: number };
export type ExportResult = { files: ExportedBatch[]; changes: number; message: string };

export type ReplyResult = {
  acked: number;
  waiting: number;
  applied: DownstreamSummary[];
  conflicts: number;
  nothingNew: boolean;
  warnings: string[];
  message: string;
};

export type SyncConflict = {
  id: string;
  entity: string;
  entityLabel: string;
  entityId: string;
  /** Case number when the record is (or belongs to) a case. */
  caseNo: string | null;
  field: string;
  fieldLabel: string;
  localValue: string | null;
  remoteValue: string | null;
  winner: 'local' | 'remote';
  reason: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedNote: string;
};

export type SyncOutputs = {
  syncStatus: SyncStatus;
  syncNow: SyncRunResult;
  enrolWithCode: EnrolResult;
  enrolWithFile: EnrolResult;
  exportBatches: ExportResult;
  importReply: ReplyResult;
  listConflicts: SyncConflict[];
  resolveConflict: SyncConflict;
};
