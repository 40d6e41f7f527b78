// The console's typed client: one method per console API call, so the screens never spell a URL.
// Shapes come from the console contract (county/console); every call goes through http.ts
// (cookie session, CSRF header, Chinese errors, session-expired → sign-in).
import type { StatFigures } from '../../domain/statistics';
import { download, request } from './http';
import type * as T from './draftTypes';

export type * from './draftTypes';
export { ROLES, AUDIT_KINDS } from './draftTypes';

export type CaseQuery = {
  q?: string;
  status?: string[];
  itemCode?: string;
  townshipCode?: string;
  pointCode?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  dueSoon?: boolean;
  supervised?: boolean;
  offset: number;
  limit: number;
};

export type StatScope = { townshipCode?: string; pointCode?: string };
export type StatQuery = StatScope & { from: string; to: string; groupBy?: T.CountyGroupBy };
export type PrintQuery = { kind: 'ledger' | 'visitBook' | 'townshipSummary' | 'monthlyStats'; month: string; pointCode?: string; townshipCode?: string };

export const consoleApi = {
  // ---- session ----
  me: () => request<T.Me>('/api/me'),
  signIn: (input: { name: string; password: string }) => request<T.Me>('/api/sign-in', { body: input }),
  signOut: () => request<void>('/api/sign-out', { body: {} }),
  changePassword: (input: { current: string; next: string }) => request<T.Me>('/api/change-password', { body: input }),
  scope: () => request<T.ScopeInfo>('/api/scope'),

  // ---- 总览 ----
  overview: () => request<T.Overview>('/api/overview'),

  // ---- 批次导入 ----
  importBatch: (file: File, onProgress: (f: number) => void) =>
    request<T.ImportFileResult>(`/api/import?fileName=${encodeURIComponent(file.name)}`, { method: 'POST', bytes: file, onProgress }),
  importLog: (q: { result?: string; pointCode?: string; from?: string; to?: string; offset: number; limit: number }) =>
    request<T.Page<T.ImportLogRow>>('/api/import-log', { body: q }),
  downloadReply: (pointCode: string) => download('/api/reply-file', { pointCode }, `${pointCode}.reply`),

  // ---- 全县台账 ----
  searchCases: (q: CaseQuery) => request<T.Page<T.CountyCaseRow>>('/api/cases', { body: q }),
  getCase: (id: string) => request<T.CountyCaseDetail>(`/api/cases/${encodeURIComponent(id)}`),
  reveal: (input: { caseId: string; field: 'idNumber' | 'phone' | 'creditCode' }) => request<{ value: string }>('/api/reveal', { body: input }),

  // ---- 决定 ----
  decide: (input: { caseId: string; expectedVersion: string; action: 'decide' | 'returnForCorrection'; decision?: 'approved' | 'refused'; date: string; note: string }) =>
    request<T.CountyCaseDetail>('/api/decide', { body: input }),

  // ---- 督办 ----
  supervise: (input: { caseId: string; expectedVersion: string; note: string; replyBy: string }) => request<T.CountyCaseDetail>('/api/supervise', { body: input }),
  supervisions: (q: { state?: string; townshipCode?: string; offset: number; limit: number }) => request<T.Page<T.Supervision>>('/api/supervisions', { body: q }),
  closeSupervision: (input: { id: string; note: string }) => request<T.Supervision>('/api/supervisions/close', { body: input }),

  // ---- 冲突 ----
  conflicts: (q: { open?: boolean; offset: number; limit: number }) => request<T.Page<T.ConflictRow>>('/api/conflicts', { body: q }),
  resolveConflict: (input: { id: string; choose: 'village' | 'county' }) => request<T.ConflictRow>('/api/conflicts/resolve', { body: input }),

  // ---- 统计 ----
  statistics: (q: StatQuery) => request<T.CountyStatistics>('/api/statistics', { body: q }),
  statisticsCases: (q: StatScope & { from: string; to: string; figure: string; group?: { by: T.CountyGroupBy; key: string }; offset: number; limit: number }) =>
    request<T.Page<T.CountyStatCaseRow>>('/api/statistics/cases', { body: { ...q, group: undefined, groupBy: q.group?.by, groupKey: q.group?.key } }),
  exportStatistics: (q: StatQuery) => download('/api/statistics.xlsx', q, '统计.xlsx'),

  // ---- 打印 ----
  renderPrint: (q: PrintQuery) => request<{ html: string; title: string; landscape: boolean }>('/api/print', { body: q }),
  downloadPdf: (q: PrintQuery) => download('/api/print.pdf', q, '打印.pdf'),

  // ---- 代办点与设备 ----
  points: () => request<T.PointRow[]>('/api/points'),
  addPoint: (input: { code: string; villageName: string; townshipName: string }) => request<T.EnrolTicket>('/api/points', { body: input }),
  newEnrolCode: (pointCode: string) => request<T.EnrolTicket>('/api/enrol-code', { body: { pointCode } }),
  downloadEnrolFile: (pointCode: string) => download('/api/enrol-file', { pointCode }, `${pointCode}.enrol`),
  revokeDevice: (input: { deviceId: string; reason: string }) => request<T.DeviceRow>('/api/devices/revoke', { body: input }),

  // ---- 账号与审计 ----
  accounts: () => request<T.Account[]>('/api/accounts'),
  audit: (q: { kind?: string; from?: string; to?: string; offset: number; limit: number }) => request<T.Page<T.AuditRow>>('/api/audit', { body: q }),
};

export type ConsoleApi = typeof consoleApi;
export type { StatFigures };
