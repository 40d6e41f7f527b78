// Input validation at the API boundary. Every method's input is parsed here before the service
// sees it, whichever shell (Electron IPC or the loopback bridge) carried it.
import { z } from 'zod';
import { CASE_ACTIONS, CASE_STATUSES } from '../domain/caseStatus';
import { CATALOG_SEARCH_MAX_CHARS, SEARCH_MAX_CHARS, searchTooLongMessage } from '../domain/search';
import {
  CUSTODY_STATES,
  DECISIONS,
  DELIVERY_METHODS,
  FOLLOWUP_KINDS,
  FOLLOWUP_METHODS,
  HANDLING_MODES,
  MATERIAL_STATES,
  VISIT_CATEGORIES,
  VISIT_CHANNELS,
  VISIT_HANDLINGS,
} from '../domain/vocab';
import { pinProblem } from '../domain/pin';

function keysOf<T extends Record<string, unknown>>(o: T) {
  return z.enum(Object.keys(o) as [Extract<keyof T, string>, ...Extract<keyof T, string>[]]);
}

const searchText = (max: number) => z.string().trim().max(max, searchTooLongMessage(max)).default('');
const text = (max: number) => z.string().trim().max(max, `内容过长（最多${max}字）`);
const requiredText = (label: string, max: number) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}过长（最多${max}字）`);
export const dateStr = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, '日期不存在');
const rating = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
/** A new PIN (setup, new agent, change, reset): the rule in domain/pin.ts. */
const pin = z.string().superRefine((v, c) => {
  const problem = pinProblem(v);
  if (problem) c.addIssue({ code: 'custom', message: problem });
});
const id = z.string().min(1).max(64);

export const agentInput = z.object({
  name: requiredText('代办员姓名', 20),
  phone: text(20).default(''),
  pin,
});

export const setupPointInput = z.object({
  villageCode: z.string().trim(),
  villageName: requiredText('村（嘎查、社区）名称', 30),
  townshipName: requiredText('乡镇（苏木）名称', 30),
  countyName: requiredText('县（旗、区）名称', 30),
  consultPhone: text(30).default(''),
  complaintPhone: text(30).default(''),
  agents: z.array(agentInput).min(1, '至少登记一名代办员').max(50),
});

export const applicantInput = z.object({
  /** Reuse a known applicant; the fields below then update it. */
  id: id.optional(),
  kind: z.enum(['person', 'org']).default('person'),
  name: requiredText('申请人姓名', 50),
  /** 居民身份证号码 (15 or 18) for a person; may be omitted only when `id` names a known applicant. */
  idNumber: text(20).optional(),
  creditCode: text(22).optional(),
  /** The agent confirmed a credit code failing the check character against the licence (早期试点代码). */
  creditCodeConfirmed: z.boolean().optional(),
  phone: text(20).default(''),
  villageGroup: text(30).default(''),
  address: text(100).default(''),
  /** A known ID number typed with another name: 'correct' the record, or 'keep' the stored name. */
  nameChoice: z.enum(['correct', 'keep']).optional(),
});

export const materialInput = z.object({
  name: requiredText('材料名称', 60),
  form: text(20).default(''),
  copies: z.number().int().min(0).max(99).default(1),
  required: z.boolean().default(true),
  deferrable: z.boolean().default(false),
  state: keysOf(MATERIAL_STATES),
  promisedDate: dateStr.nullable().optional(),
  custody: keysOf(CUSTODY_STATES).default('none'),
});

export const createCaseInput = z.object({
  applicant: applicantInput,
  itemCode: requiredText('事项', 40),
  handlingMode: keysOf(HANDLING_MODES).default('proxy'),
  /** Omitted = today. A past date marks the case as 补录 (entered after the fact from paper). */
  intakeDate: dateStr.optional(),
  /** 补录 further back than the 补录 window: the agent checked the paper record and confirms the date. */
  backfillConfirmed: z.boolean().optional(),
  materials: z.array(materialInput).max(60),
  note: text(500).default(''),
  /** 不予受理: the request is recorded with the written reason and no clock starts. */
  refuse: z.object({ reason: requiredText('不予受理理由', 500) }).optional(),
  visitId: id.optional(),
});

export const transitionCaseInput = z.object({
  id,
  action: keysOf(CASE_ACTIONS),
  note: text(500).default(''),
  /** 报送: unit handed up to. */
  handedTo: text(60).optional(),
  date: dateStr.optional(),
  decision: keysOf(DECISIONS).optional(),
  deliveryMethod: keysOf(DELIVERY_METHODS).optional(),
  deliveredTo: text(30).optional(),
  reason: text(500).optional(),
});

export const updateMaterialInput = z.object({
  caseId: id,
  materialId: id,
  state: keysOf(MATERIAL_STATES).optional(),
  promisedDate: dateStr.nullable().optional(),
  custody: keysOf(CUSTODY_STATES).optional(),
});

export const searchCasesInput = z.object({
  q: searchText(SEARCH_MAX_CHARS),
  status: z.array(keysOf(CASE_STATUSES)).max(10).optional(),
  itemCode: text(40).optional(),
  agentId: id.optional(),
  from: dateStr.optional(),
  to: dateStr.optional(),
  overdue: z.boolean().optional(),
  dueSoon: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

export const followupInput = z.object({
  caseId: id,
  kind: keysOf(FOLLOWUP_KINDS),
  method: keysOf(FOLLOWUP_METHODS),
  reached: z.boolean(),
  rating: rating.nullable().optional(),
  efficiency: rating.nullable().optional(),
  serviceLevel: rating.nullable().optional(),
  attitude: rating.nullable().optional(),
  comment: text(500).default(''),
  /** Omitted = today; a past date is a late entry of a follow-up done on paper. */
  date: dateStr.optional(),
});

export const visitInput = z.object({
  visitDate: dateStr.optional(),
  backfillConfirmed: z.boolean().optional(),
  visitTime: z.string().regex(/^\d{2}:\d{2}$/, '时间格式应为 HH:mm').optional(),
  visitorName: requiredText('来访人姓名', 50),
  visitorPhone: text(20).default(''),
  visitorCount: z.number().int().min(1).max(500).default(1),
  channel: keysOf(VISIT_CHANNELS),
  category: keysOf(VISIT_CATEGORIES),
  summary: requiredText('来访事由', 1000),
  handling: keysOf(VISIT_HANDLINGS),
  transferredTo: text(60).default(''),
  outcome: text(500).default(''),
  settledDate: dateStr.nullable().optional(),
});

export const updateVisitInput = z.object({
  id,
  handling: keysOf(VISIT_HANDLINGS).optional(),
  transferredTo: text(60).optional(),
  outcome: text(500).optional(),
  settledDate: dateStr.nullable().optional(),
});

export const searchVisitsInput = z.object({
  q: searchText(SEARCH_MAX_CHARS),
  from: dateStr.optional(),
  to: dateStr.optional(),
  category: keysOf(VISIT_CATEGORIES).optional(),
  unsettled: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

const draftKind = z.enum(['intake', 'visit']);
/** A filled-in intake form is a few KB; this only stops a runaway client from filling the register. */
const DRAFT_MAX_CHARS = 200_000;

export const REGISTER_INPUTS = {
  getAppState: z.object({}).default({}),
  setupPoint: setupPointInput,
  updatePoint: z.object({
    consultPhone: text(30).optional(),
    complaintPhone: text(30).optional(),
    idleLockMinutes: z.number().int().min(1, '锁屏时间至少1分钟').max(120, '锁屏时间最多120分钟').optional(),
  }),
  signIn: z.object({ agentId: id, pin: z.string().min(1, '请输入密码').max(64) }),
  signOut: z.object({}).default({}),
  addAgent: agentInput,
  /** Re-activating an agent of an encrypted register needs a new PIN (deactivating removed the old one). */
  setAgentActive: z.object({ agentId: id, active: z.boolean(), pin: pin.optional() }),
  /** With every PIN forgotten: the sealed recovery code opens the register and sets this agent a new PIN. */
  recoverWithCode: z.object({ recoveryCode: z.string().trim().min(1, '请输入恢复码').max(60), agentId: id, newPin: pin }),
  changePin: z.object({ oldPin: z.string().max(64), newPin: pin }),
  /** A signed-in agent gives a colleague relayed from another laptop of the point (no PIN here yet) a PIN on this laptop. */
  setAgentPin: z.object({ agentId: id, pin }),

  searchCatalog: z.object({ q: searchText(CATALOG_SEARCH_MAX_CHARS), limit: z.number().int().min(1).max(500).default(50) }),
  getCatalogItem: z.object({ code: requiredText('事项编码', 40) }),

  checkIdNumber: z.object({ idNumber: text(30) }),
  findApplicantByIdNumber: z.object({ idNumber: text(30) }),
  searchApplicants: z.object({ q: text(40), limit: z.number().int().min(1).max(50).default(10) }),
  revealApplicant: z.object({ applicantId: id, field: z.enum(['idNumber', 'phone', 'creditCode']) }),
  updateApplicant: applicantInput.extend({ id }),

  createCase: createCaseInput,
  getCase: z.object({ id }),
  getCaseByNumber: z.object({ caseNo: requiredText('件号', 40) }),
  searchCases: searchCasesInput,
  transitionCase: transitionCaseInput,
  updateMaterial: updateMaterialInput,
  recordFollowup: followupInput,
  closeRectification: z.object({ id, actionNote: requiredText('整改情况', 1000), date: dateStr.optional() }),
  today: z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }),
  answerCountyNotice: z.object({ noticeId: id, answer: requiredText('答复', 1000) }),

  createVisit: visitInput,
  updateVisit: updateVisitInput,
  getVisit: z.object({ id }),
  searchVisits: searchVisitsInput,
  convertVisitToCase: createCaseInput.omit({ visitId: true }).extend({ visitId: id }),

  backupNow: z.object({ dir: text(1000).optional() }).default({}),
  listBackups: z.object({}).default({}),
  /** A backup file anywhere (a USB stick): whose it is, and whether it needs a PIN of its agents or its recovery code. */
  inspectBackup: z.object({ path: requiredText('备份文件', 1000) }),
  /** A backup made with another key (another laptop, or before a PIN change) needs a PIN of that backup or its recovery code. */
  restoreBackup: z.object({
    path: requiredText('备份文件', 1000),
    confirm: z.literal(true),
    agentId: id.optional(),
    pin: z.string().max(64).optional(),
    recoveryCode: z.string().max(60).optional(),
    /** The agent confirms this laptop now serves the backup's point (another point's backup is refused otherwise). */
    servesPoint: z.string().regex(/^\d{12}$/, '区划代码应为12位数字').optional(),
  }),
  doctor: z.object({}).default({}),

  // Unfinished forms of the signed-in agent (kept in the register, see db/drafts.ts). `agentId` names
  // whose form it is: a late write from a form that was open before an agent switch is refused.
  loadDraft: z.object({ kind: draftKind, agentId: id }),
  saveDraft: z.object({
    kind: draftKind,
    agentId: id,
    data: z.unknown().refine((d) => JSON.stringify(d ?? null).length <= DRAFT_MAX_CHARS, `草稿过大（最多${DRAFT_MAX_CHARS}字符）`),
  }),
  deleteDraft: z.object({ kind: draftKind, agentId: id }),
} as const;
