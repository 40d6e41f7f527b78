// Inputs and outputs of the sync methods (issue: 同步). See docs/sync-protocol.md.
import { z } from 'zod';
import type {
  EnrolResult,
  ExportResult,
  ReplyResult,
  SyncConflict,
  SyncRunResult,
  SyncStatus,
} from '../domain/syncRecords';
export type * from '../domain/syncRecords';

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
