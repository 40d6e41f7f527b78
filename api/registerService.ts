import { REGISTER_INPUTS } from './schemas';
import type { RegisterOutputs } from './contract';
import { AppError } from '../domain/errors';
import type { Handlers, ServiceContext } from './context';
import type { AppState } from '../domain/records';
import { getPoint, setupPoint, updatePoint } from '../db/point';
import { changePin, getAgentRow, insertAgent, listAgents, setAgentActive, toAgentSummary, verifyAgentPin } from '../db/agents';
import { getCatalogItem, searchCatalog } from '../db/catalog';
import { findApplicantByIdNumber, revealApplicant, searchApplicants, toApplicant, upsertApplicant, getApplicantRow } from '../db/applicants';
import { caseIdByNumber, createCase, getCaseDetail, searchCases, transitionCase, updateMaterial } from '../db/cases';
import { closeRectification, recordFollowup } from '../db/followups';
import { todaySummary } from '../db/today';
import { createVisit, getVisit, linkVisitToCase, searchVisits, updateVisit } from '../db/visits';
import { backupTo, listBackups, restoreFrom } from '../db/backup';
import { backupsDir } from '../db/dataDir';
import { runDoctor } from '../db/doctor';
import { parseResidentId } from '../domain/idNumber';
import { adoptRestoredRegister, checkRestoreCandidate } from '../sync/village/devices';

function calendarWarnings(ctx: ServiceContext): string[] {
  const today = ctx.reg.today();
  const year = Number(today.slice(0, 4));
  const cal = ctx.reg.calendar;
  const out: string[] = [];
  for (const y of cal.missingYears(year, year + (Number(today.slice(5, 7)) >= 11 ? 1 : 0))) {
    out.push(`${y}年的节假日安排尚未收到，涉及${y}年的期限暂按周一至周五为工作日估算，收到县里下发的日历后会自动更正。`);
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
      const id = ctx.reg.tx(() => upsertApplicant(ctx.reg, input, me, null));
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
      return backupTo(ctx.reg, dir ?? backupsDir(ctx.reg.dataDir), dir ? '手动-' : '手动-');
    },
    async listBackups() {
      signed();
      return listBackups(ctx.reg);
    },
    async restoreBackup({ path, servesPoint }) {
      signed();
      const current = getPoint(ctx.reg)?.villageCode ?? null;
      const { safetyBackup } = await restoreFrom(ctx.reg, path, { check: (c) => checkRestoreCandidate(current, c, servesPoint) });
      await ctx.reopen();
      // A restored register is a new device (sync/village/devices.ts); reopen again to take its new id.
      const identity = adoptRestoredRegister(ctx.reg);
      await ctx.reopen();
      ctx.session.agentId = null;
      return { ok: true, restoredFrom: path, safetyBackup, message: identity.message };
    },
    async doctor() {
      signed();
      return runDoctor(ctx.reg);
    },
  };
}
