// THE typed API between the renderer and the register. Both shells (Electron IPC and the loopback
// HTTP bridge) carry exactly these calls through one channel; nothing else reaches the main side.
import { z } from 'zod';
import type { ErrorCode } from '../domain/errors';
import { REGISTER_INPUTS } from './schemas';
import { REPORT_INPUTS, type ReportOutputs } from './reportSchemas';
import { SYNC_INPUTS, type SyncOutputs } from './syncSchemas';
import type {
  AgentSummary,
  AppState,
  Applicant,
  BackupInfo,
  BackupInspection,
  CaseDetail,
  CaseRow,
  CatalogItem,
  DoctorReport,
  Page,
  PointInfo,
  RecoveryNotice,
  TodaySummary,
  Visit,
} from '../domain/records';

export type RegisterOutputs = {
  getAppState: AppState;
  setupPoint: AppState & { recovery: RecoveryNotice | null };
  updatePoint: PointInfo;
  /** `recovery`: this sign-in encrypted a register from before encryption (a new recovery code to print). */
  signIn: AgentSummary & { recovery: RecoveryNotice | null };
  recoverWithCode: AgentSummary;
  signOut: { ok: true };
  addAgent: AgentSummary;
  setAgentActive: AgentSummary;
  changePin: { ok: true };
  setAgentPin: AgentSummary;

  searchCatalog: CatalogItem[];
  getCatalogItem: CatalogItem;

  checkIdNumber: { ok: true; birthDate: string; sex: 'male' | 'female'; idNumber: string } | { ok: false; error: string };
  findApplicantByIdNumber: Applicant | null;
  searchApplicants: Applicant[];
  revealApplicant: { value: string };
  updateApplicant: Applicant;

  createCase: CaseDetail;
  getCase: CaseDetail;
  getCaseByNumber: CaseDetail;
  searchCases: Page<CaseRow>;
  transitionCase: CaseDetail;
  updateMaterial: CaseDetail;
  recordFollowup: CaseDetail;
  closeRectification: CaseDetail;
  today: TodaySummary;
  answerCountyNotice: TodaySummary;

  createVisit: Visit;
  updateVisit: Visit;
  getVisit: Visit;
  searchVisits: Page<Visit>;
  convertVisitToCase: CaseDetail;

  backupNow: BackupInfo;
  listBackups: BackupInfo[];
  inspectBackup: BackupInspection;
  restoreBackup: { ok: true; restoredFrom: string; safetyBackup: string; message: string };
  doctor: DoctorReport;

  loadDraft: { savedAt: number; data: unknown } | null;
  saveDraft: { savedAt: number };
  deleteDraft: { ok: true };
};

/** Every method of the API with its input schema: the register's, the reports' and sync's. */
export const API_INPUTS = { ...REGISTER_INPUTS, ...REPORT_INPUTS, ...SYNC_INPUTS } as const;
export type ApiMethod = keyof typeof API_INPUTS;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API_INPUTS)[M]>;
export type ApiParsed<M extends ApiMethod> = z.output<(typeof API_INPUTS)[M]>;
export type ApiOutputs = RegisterOutputs & ReportOutputs & SyncOutputs;

export type DaibanApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutputs[M]> };

/** What travels over either shell for one call. */
export type ApiResponse<M extends ApiMethod> =
  | { ok: true; value: ApiOutputs[M] }
  | { ok: false; error: { code: ErrorCode; message: string } };
