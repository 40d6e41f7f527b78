import { ESTIMATE_NOTE } from '../domain/calendarEstimate';
import { REGISTER_INPUTS } from './schemas';
import type { RegisterOutputs } from './contract';
import { AppError } from '../domain/errors';
import type { Handlers, ServiceContext } from './context';
import type { AppState } from '../domain/records';
import { getPoint, pointSince, setupPoint, updatePoint } from '../db/point';
import { changePin, getAgentRow, insertAgent, listAgents, setAgentActive, toAgentSummary, verifyAgentPin } from '../db/agents';
import { getCatalogItem, searchCatalog } from '../db/catalog';
import { findApplicantByIdNumber, revealApplicant, searchApplicants, toApplicant, upsertApplicant, getApplicantRow } from '../db/applicants';
import { createCase, transitionCase, updateMaterial } from '../db/cases';
import { caseIdByNumber, getCaseDetail, searchCases } from '../db/caseQueries';
import { closeRectification, recordFollowup } from '../db/followups';
import { todaySummary } from '../db/today';
import { answerNotice } from '../db/countyNotices';
import { createVisit, getVisit, linkVisitToCase, searchVisits, updateVisit } from '../db/visits';
import { backupTo, listBackups, restoreFrom } from '../db/backup';
import { backupsDir } from '../db/dataDir';
import { runDoctor } from '../db/doctor';
import { deleteDraft, loadDraft, saveDraft } from '../db/drafts';
import { parseResidentId } from '../domain/idNumber';

function calendarWarnings(ctx: ServiceContext): string[] {
  const today = ctx.reg.today();
  const year = Number(today.slice(0, 4));
  const cal = ctx.reg.calendar;
  const out: string[] = [];
  for (const y of cal.missingYears(year, year + (Number(today.slice(5, 7)) >= 11 ? 1 : 0))) {
    out.push(`${y}年的节假日安排尚未收到，涉及${y}年的期限暂${ESTIMATE_NOTE}，收到县里下发的日历后会自动更正。`);
  }
  return out;
}

export function appState(ctx: ServiceContext): AppState {
  const reg = ctx.reg;
  const point = getPoint(reg);
  const current = ctx.session.agentId ? getAgentRow(reg, ctx.session.agentId) : undefined;
  return {
    initialized: point !== null,
    point,
    agents: listAgents(reg),
    currentAgent: current ? toAgentSummary(current) : null,
    calendarWarnings: point ? calendarWarnings(ctx) : [],
    today: reg.today(),
    pointSince: pointSince(reg),
    dataDir: reg.dataDir,
    schemaVersion: reg.schemaVersion,
    shell: ctx.shell,
  };
}

function requirePoint(ctx: ServiceContext): void {
  if (!getPoint(ctx.reg)) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
}

export function registerHandlers(ctx: ServiceContext): Handlers<typeof REGISTER_INPUTS, RegisterOutputs> {
  const signed = () => {
    requirePoint(ctx);
    return ctx.requireAgent();
  };
  /** Only the signed-in agent reads or writes their own drafts. */
  const draftOwner = (agentId: string) => {
    const me = signed();
    if (agentId !== me) throw new AppError('refused', '草稿属于另一位代办员，未读取或保存');
    return me;
  };
  return {
    async getAppState() {
      return appState(ctx);
    },
    async setupPoint(input) {
      const { agentIds } = setupPoint(ctx.reg, input);
      ctx.session.agentId = agentIds[0] ?? null;
      return appState(ctx);
    },
    async updatePoint(input) {
      signed();
      return updatePoint(ctx.reg, input);
    },
    async signIn({ agentId, pin }) {
      requirePoint(ctx);
      const a = verifyAgentPin(ctx.reg, agentId, pin);
      ctx.session.agentId = a.id;
      return a;
    },
    async signOut() {
      ctx.session.agentId = null;
      return { ok: true };
    },
    async addAgent(input) {
      const me = signed();
      const id = ctx.reg.tx(() => insertAgent(ctx.reg, input, me));
      return toAgentSummary(getAgentRow(ctx.reg, id)!);
    },
    async setAgentActive({ agentId, active }) {
      return setAgentActive(ctx.reg, agentId, active, signed());
    },
    async changePin({ oldPin, newPin }) {
      changePin(ctx.reg, signed(), oldPin, newPin);
      return { ok: true };
    },

    async searchCatalog({ q, limit }) {
      return searchCatalog(ctx.reg, q, limit);
    },
    async getCatalogItem({ code }) {
      return getCatalogItem(ctx.reg, code);
    },

    async checkIdNumber({ idNumber }) {
      const p = parseResidentId(idNumber, { today: ctx.reg.today() });
      return p.ok ? { ok: true, birthDate: p.value.birthDate, sex: p.value.sex, idNumber: p.value.id18 } : { ok: false, error: p.error };
    },
    async findApplicantByIdNumber({ idNumber }) {
      signed();
      const r = findApplicantByIdNumber(ctx.reg, idNumber);
      return r ? toApplicant(r) : null;
    },
    async searchApplicants({ q, limit }) {
      signed();
      return searchApplicants(ctx.reg, q, limit);
    },
    async revealApplicant({ applicantId, field }) {
      return { value: revealApplicant(ctx.reg, applicantId, field, signed()) };
    },
    async updateApplicant(input) {
      const me = signed();
      // Editing the record itself: a new name is a correction of the record (kept in its history).
      const id = ctx.reg.tx(() => upsertApplicant(ctx.reg, { nameChoice: 'correct', ...input }, me, null));
      return toApplicant(getApplicantRow(ctx.reg, id));
    },

    async createCase(input) {
      const id = createCase(ctx.reg, input, signed());
      return getCaseDetail(ctx.reg, id);
    },
    async getCase({ id }) {
      signed();
      return getCaseDetail(ctx.reg, id);
    },
    async getCaseByNumber({ caseNo }) {
      signed();
      return getCaseDetail(ctx.reg, caseIdByNumber(ctx.reg, caseNo));
    },
    async searchCases(input) {
      signed();
      return searchCases(ctx.reg, input);
    },
    async transitionCase(input) {
      transitionCase(ctx.reg, input, signed());
      return getCaseDetail(ctx.reg, input.id);
    },
    async updateMaterial(input) {
      updateMaterial(ctx.reg, input, signed());
      return getCaseDetail(ctx.reg, input.caseId);
    },
    async recordFollowup(input) {
      recordFollowup(ctx.reg, input, signed());
      return getCaseDetail(ctx.reg, input.caseId);
    },
    async closeRectification({ id, actionNote, date }) {
      const caseId = closeRectification(ctx.reg, id, actionNote, date, signed());
      return getCaseDetail(ctx.reg, caseId);
    },
    async today({ limit }) {
      signed();
      return todaySummary(ctx.reg, limit);
    },
    async answerCountyNotice({ noticeId, answer }) {
      answerNotice(ctx.reg, noticeId, answer, signed());
      return todaySummary(ctx.reg, 50);
    },

    async createVisit(input) {
      return getVisit(ctx.reg, createVisit(ctx.reg, input, signed()));
    },
    async updateVisit(input) {
      updateVisit(ctx.reg, input, signed());
      return getVisit(ctx.reg, input.id);
    },
    async getVisit({ id }) {
      signed();
      return getVisit(ctx.reg, id);
    },
    async searchVisits(input) {
      signed();
      return searchVisits(ctx.reg, input);
    },
    async convertVisitToCase(input) {
      const me = signed();
      getVisit(ctx.reg, input.visitId);
      // The visitor's phone was taken at the visit; the renderer only ever saw it masked.
      if (!input.applicant.phone) {
        const v = ctx.reg.db.prepare(`SELECT visitor_phone FROM visits WHERE id = ?`).get(input.visitId) as { visitor_phone: string };
        input = { ...input, applicant: { ...input.applicant, phone: v.visitor_phone } };
      }
      // One transaction: the case and the visit's link to it land together or not at all.
      const id = ctx.reg.tx(() => {
        const caseId = createCase(ctx.reg, input, me);
        linkVisitToCase(ctx.reg, input.visitId, caseId, me);
        return caseId;
      });
      return getCaseDetail(ctx.reg, id);
    },

    async backupNow({ dir }) {
      signed();
      return backupTo(ctx.reg, dir ?? backupsDir(ctx.reg.dataDir), '手动-');
    },
    async listBackups() {
      signed();
      return listBackups(ctx.reg);
    },
    async restoreBackup({ path }) {
      signed();
      const { safetyBackup } = await restoreFrom(ctx.reg, path);
      await ctx.reopen();
      ctx.session.agentId = null;
      return { ok: true, restoredFrom: path, safetyBackup };
    },
    async doctor() {
      signed();
      return runDoctor(ctx.reg);
    },

    async loadDraft({ kind, agentId }) {
      return loadDraft(ctx.reg, draftOwner(agentId), kind);
    },
    async saveDraft({ kind, agentId, data }) {
      return saveDraft(ctx.reg, draftOwner(agentId), kind, data);
    },
    async deleteDraft({ kind, agentId }) {
      deleteDraft(ctx.reg, draftOwner(agentId), kind);
      return { ok: true };
    },
  };
}
