// Setup, sign-in, agents and PINs, backup and restore: the handlers that touch the register's keys.
// With a vault (the shells and the CLI) the register is encrypted and opened by an agent's PIN or
// the recovery code; without one (unit tests) it is a plain file checked against the PIN hashes.
import type { REGISTER_INPUTS } from './schemas';
import type { RegisterOutputs } from './contract';
import type { Handlers, ServiceContext } from './context';
import { AppError } from '../domain/errors';
import { chinaDate, systemClock } from '../db/clock';
import { pointSince, getPoint, setupPoint } from '../db/point';
import { adoptRestoredRegister, checkRestoreCandidate } from '../sync/village/devices';
import { changePin, getAgentRow, insertAgent, listAgents, setAgentActive, toAgentSummary, verifyAgentPin } from '../db/agents';
import { backupTo, inspectBackup, listBackups, restoreFrom } from '../db/backup';
import { backupsDir } from '../db/dataDir';
import { calendarWarnings } from './registerService';
import type { AgentSummary, AppState, PointInfo, RecoveryNotice } from '../domain/records';
import type { Register } from '../db/register';

type AuthMethods =
  | 'getAppState'
  | 'setupPoint'
  | 'signIn'
  | 'signOut'
  | 'recoverWithCode'
  | 'addAgent'
  | 'setAgentActive'
  | 'changePin'
  | 'setAgentPin'
  | 'backupNow'
  | 'listBackups'
  | 'inspectBackup'
  | 'restoreBackup';

export function appState(ctx: ServiceContext): AppState {
  const vaultState = ctx.vault?.state() ?? 'plain';
  if (!ctx.isOpen) {
    // Locked (or not set up): only what keys.json holds — the point's public identity and names.
    const k = vaultState === 'encrypted' ? ctx.vault!.keyring() : null;
    const point: PointInfo | null = k?.point ? { consultPhone: '', complaintPhone: '', idleLockMinutes: 10, ...k.point } : null;
    return {
      initialized: k !== null,
      point,
      agents: (k?.agents ?? []).map((a) => ({ id: a.id, name: a.name, phoneMasked: '', active: true })),
      currentAgent: null,
      calendarWarnings: [],
      today: chinaDate(systemClock.nowMs()),
      dataDir: ctx.vault?.dataDir ?? '',
      schemaVersion: 0,
      shell: ctx.shell,
      pointSince: null,
      encrypted: vaultState !== 'plain',
      registerLocked: k !== null,
    };
  }
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
    pointSince: pointSince(reg),
    encrypted: reg.encrypted,
    registerLocked: false,
  };
}

function notice(reg: Register, recoveryCode: string, removedPlainCopies = 0): RecoveryNotice {
  return { recoveryCode, unitName: getPoint(reg)?.unitName ?? '', createdAt: reg.nowIso(), removedPlainCopies };
}

function requirePoint(ctx: ServiceContext): void {
  if (!getPoint(ctx.reg)) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
}

function activeAgent(reg: Register, agentId: string): AgentSummary {
  const a = getAgentRow(reg, agentId);
  if (!a) throw new AppError('not_found', '找不到这位代办员');
  if (a.active !== 1) throw new AppError('refused', '这位代办员已停用，请联系管理员');
  return toAgentSummary(a);
}

export function authHandlers(ctx: ServiceContext): Pick<Handlers<typeof REGISTER_INPUTS, RegisterOutputs>, AuthMethods> {
  const signed = () => {
    requirePoint(ctx);
    return ctx.requireAgent();
  };
  const vaultOf = () => (ctx.vault && ctx.vault.state() === 'encrypted' ? ctx.vault : null);

  return {
    async getAppState() {
      return appState(ctx);
    },

    async setupPoint(input) {
      const vault = ctx.vault;
      if (vault && vault.state() === 'fresh') {
        const r = await vault.create(
          (reg) => setupPoint(reg, input),
          input.agents,
          (reg) => getPoint(reg),
        );
        ctx.setRegister(r.reg);
        ctx.session.agentId = r.agentIds[0] ?? null;
        return { ...appState(ctx), recovery: notice(r.reg, r.recoveryCode) };
      }
      const { agentIds } = setupPoint(ctx.reg, input);
      ctx.session.agentId = agentIds[0] ?? null;
      return { ...appState(ctx), recovery: null };
    },

    async signIn({ agentId, pin }) {
      const vault = ctx.vault;
      const state = vault?.state() ?? 'plain';
      if (vault && state === 'encrypted') {
        const entry = vault.keyring().agents.find((a) => a.id === agentId);
        if (!entry && ctx.isOpen) {
          // An agent without a wrap yet (a register converted by a colleague): the PIN hash in the
          // open register vouches once, then their PIN wraps the key too.
          const a = verifyAgentPin(ctx.reg, agentId, pin, ctx.throttle);
          await vault.setAgentPin(ctx.reg.dataKey!, a, pin);
          ctx.session.agentId = a.id;
          return { ...a, recovery: null };
        }
        const key = await vault.unlockWithPin(agentId, pin);
        if (!ctx.isOpen) ctx.setRegister(await vault.open(key));
        vault.ensureOsWrap(key);
        requirePoint(ctx);
        const a = activeAgent(ctx.reg, agentId);
        vault.setPoint(getPoint(ctx.reg));
        ctx.session.agentId = a.id;
        return { ...a, recovery: null };
      }
      requirePoint(ctx);
      const a = verifyAgentPin(ctx.reg, agentId, pin, ctx.throttle);
      if (vault && state === 'plain') {
        // A register from before encryption: this first sign-in encrypts it and removes the plain copies.
        const r = await vault.convertPlain(ctx.reg, { id: a.id, name: a.name, pin }, getPoint(ctx.reg));
        ctx.setRegister(r.reg);
        ctx.session.agentId = a.id;
        return { ...a, recovery: notice(r.reg, r.recoveryCode, r.removed.length) };
      }
      ctx.session.agentId = a.id;
      return { ...a, recovery: null };
    },

    async signOut() {
      ctx.session.agentId = null;
      return { ok: true };
    },

    async recoverWithCode({ recoveryCode, agentId, newPin }) {
      const vault = vaultOf();
      if (!vault) throw new AppError('refused', '这份登记簿没有加密，不需要恢复码：请用 PIN 登录');
      const key = await vault.unlockWithRecovery(recoveryCode);
      if (!ctx.isOpen) ctx.setRegister(await vault.open(key));
      requirePoint(ctx);
      const a = activeAgent(ctx.reg, agentId);
      await vault.setAgentPin(key, a, newPin);
      changePin(ctx.reg, agentId, newPin);
      ctx.session.agentId = a.id;
      return a;
    },

    async addAgent(input) {
      const me = signed();
      const id = ctx.reg.tx(() => insertAgent(ctx.reg, input, me));
      const a = toAgentSummary(getAgentRow(ctx.reg, id)!);
      await vaultOf()?.setAgentPin(ctx.reg.dataKey!, a, input.pin);
      return a;
    },

    async setAgentActive({ agentId, active, pin }) {
      const me = signed();
      const vault = vaultOf();
      if (active && vault && !vault.keyring().agents.some((a) => a.id === agentId) && !pin) {
        throw new AppError('invalid_input', '重新启用这位代办员需要为其设置新的 PIN（停用时原 PIN 已作废）');
      }
      const a = setAgentActive(ctx.reg, agentId, active, me);
      if (vault) {
        if (!active) vault.removeAgent(agentId);
        else if (pin) {
          await vault.setAgentPin(ctx.reg.dataKey!, a, pin);
          changePin(ctx.reg, agentId, pin);
        }
      }
      return a;
    },

    async changePin({ oldPin, newPin }) {
      const me = signed();
      const vault = vaultOf();
      if (vault) {
        await vault.unlockWithPin(me, oldPin);
        await vault.setAgentPin(ctx.reg.dataKey!, activeAgent(ctx.reg, me), newPin);
      } else verifyAgentPin(ctx.reg, me, oldPin, ctx.throttle);
      changePin(ctx.reg, me, newPin);
      return { ok: true };
    },

    async setAgentPin({ agentId, pin }) {
      const me = signed();
      const row = getAgentRow(ctx.reg, agentId);
      if (!row) throw new AppError('not_found', '找不到这位代办员');
      // Only for an agent without a PIN on this laptop: nobody sets a colleague's existing PIN behind their back.
      if (row.secret_hash) throw new AppError('refused', `${row.name} 已在本机设置过 PIN；忘记 PIN 请在登录页用恢复码重设`);
      const a = activeAgent(ctx.reg, agentId);
      changePin(ctx.reg, agentId, pin, me);
      await vaultOf()?.setAgentPin(ctx.reg.dataKey!, a, pin);
      return toAgentSummary(getAgentRow(ctx.reg, agentId)!);
    },

    async backupNow({ dir }) {
      const me = signed();
      return dir ? backupTo(ctx.reg, dir, '手动-', { agentId: me }) : backupTo(ctx.reg, backupsDir(ctx.reg.dataDir), '手动-', { agentId: me, createDir: true });
    },

    async listBackups() {
      signed();
      return listBackups(ctx.reg);
    },

    async inspectBackup({ path }) {
      signed();
      return inspectBackup(ctx.reg, path.trim());
    },

    async restoreBackup({ path, agentId, pin, recoveryCode, servesPoint }) {
      const me = signed();
      const current = getPoint(ctx.reg)?.villageCode ?? null;
      let message = '';
      const r = await restoreFrom(ctx.reg, path, {
        agentId: me,
        vault: ctx.vault,
        secret: { agentId, pin, recoveryCode },
        check: (c) => checkRestoreCandidate(current, c, servesPoint),
        // A restored register is a new device (sync/village/devices.ts): it re-enrols and closes the old one.
        afterRestore: (restored) => (message = adoptRestoredRegister(restored).message),
      });
      ctx.setRegister(r.reg);
      ctx.session.agentId = null;
      return { ok: true, restoredFrom: path, safetyBackup: r.safetyBackup ?? '', message };
    },
  };
}
