import type { Register } from './register';
import { hashSecret, verifySecret } from './secrets';
import { uuidv7 } from '../domain/ids';
import { maskPhone } from '../domain/mask';
import { AppError } from '../domain/errors';
import type { AgentSummary } from '../domain/records';
import { normalisePhoneField } from '../domain/phone';
import { assertUniqueAgentName } from './agentNames';
import { NO_LOCK, type PinThrottle } from './pinThrottle';
import type { LockState } from './keyring';

type AgentRow = {
  id: string;
  name: string;
  phone: string;
  secret_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
};

export { FREE_ATTEMPTS } from './pinThrottle';

export function toAgentSummary(r: { id: string; name: string; phone: string; active: number; secret_hash?: string }): AgentSummary {
  return { id: r.id, name: r.name, phoneMasked: maskPhone(r.phone), active: r.active === 1, ...(r.secret_hash === '' ? { noPinHere: true } : {}) };
}

/** What an agent relayed from another laptop of the point is told at sign-in here (sync/village/records.ts gives them no PIN). */
export const NO_PIN_HERE_MESSAGE = '该代办员尚未在本机设置 PIN（是在本代办点另一台电脑上添加的，PIN 不随同步传递）。请由本机已有代办员登录后在 设置 → 值班代办员 中为其设置 PIN，或在登录页用恢复码为其设置。';

export function listAgents(reg: Register): AgentSummary[] {
  const rows = reg.db.prepare(`SELECT id, name, phone, active, secret_hash FROM agents ORDER BY active DESC, created_at`).all() as AgentRow[];
  return rows.map(toAgentSummary);
}

export function getAgentRow(reg: Register, id: string): AgentRow | undefined {
  return reg.db.prepare(`SELECT * FROM agents WHERE id = ?`).get(id) as AgentRow | undefined;
}

/** Inside a transaction. */
export function insertAgent(reg: Register, a: { name: string; phone: string; pin: string }, actorId: string | null): string {
  assertUniqueAgentName(reg, a.name);
  const phone = normalisePhoneField(a.phone, `代办员“${a.name}”的手机`);
  const id = uuidv7(reg.clock.nowMs());
  const now = reg.nowIso();
  reg.writer.apply(
    {
      table: 'agents',
      id,
      op: 'insert',
      fields: {
        name: a.name,
        phone,
        secret_hash: hashSecret(a.pin),
        active: 1,
        failed_attempts: 0,
        locked_until: null,
        created_at: now,
        created_by: actorId,
        updated_at: now,
      },
      action: 'agent.create',
      eventData: { name: a.name },
    },
    actorId ?? id,
  );
  return id;
}

/**
 * Checks a PIN of a plain (not yet encrypted) register with throttling: after FREE_ATTEMPTS wrong
 * tries each further failure locks the agent for a doubling wait (30 s … 15 min) that only a
 * monotonic clock counts down (db/pinThrottle.ts), so moving the system clock does not end it.
 * The counters are local security state, not register records: written without history or outbox
 * (`locked_until` holds the milliseconds still to wait).
 */
export function verifyAgentPin(reg: Register, agentId: string, pin: string, throttle: PinThrottle): AgentSummary {
  const a = getAgentRow(reg, agentId);
  if (!a) throw new AppError('not_found', '找不到这位代办员');
  if (a.active !== 1) throw new AppError('refused', '这位代办员已停用，请联系管理员');
  // Not a wrong PIN (nothing is counted towards the lockout): there is no PIN here to check against.
  if (!a.secret_hash) throw new AppError('refused', NO_PIN_HERE_MESSAGE);
  const saved: LockState = { failures: a.failed_attempts, remainingMs: Number(a.locked_until) > 0 ? Number(a.locked_until) : 0 };
  const save = (s: LockState) =>
    reg.db.prepare(`UPDATE agents SET failed_attempts = ?, locked_until = ? WHERE id = ?`).run(s.failures, s.remainingMs > 0 ? String(Math.ceil(s.remainingMs)) : null, agentId);
  const st = throttle.settle(agentId, saved);
  save(st);
  throttle.assertMayTry(st);
  if (verifySecret(pin, a.secret_hash)) {
    save(NO_LOCK);
    return toAgentSummary(a);
  }
  const f = throttle.failure(agentId, st);
  save(f.state);
  throw new AppError('refused', f.message);
}

export function setAgentActive(reg: Register, agentId: string, active: boolean, actorId: string): AgentSummary {
  const a = getAgentRow(reg, agentId);
  if (!a) throw new AppError('not_found', '找不到这位代办员');
  if (!active) {
    const others = reg.db.prepare(`SELECT COUNT(*) AS n FROM agents WHERE active = 1 AND id <> ?`).get(agentId) as { n: number };
    if (others.n === 0) throw new AppError('refused', '至少要保留一名在岗代办员');
  }
  reg.tx(() =>
    reg.writer.apply(
      {
        table: 'agents',
        id: agentId,
        op: 'update',
        fields: { active: active ? 1 : 0, updated_at: reg.nowIso() },
        action: active ? 'agent.activate' : 'agent.deactivate',
        eventData: { name: a.name },
      },
      actorId,
    ),
  );
  return toAgentSummary({ ...a, active: active ? 1 : 0 });
}

/** `oldPin` must already have been checked by the caller (PIN wrap or verifyAgentPin). `actorId`: who did it (the agent, or a colleague giving a relayed agent a PIN here). */
export function changePin(reg: Register, agentId: string, newPin: string, actorId = agentId): void {
  reg.tx(() =>
    reg.writer.apply(
      {
        table: 'agents',
        id: agentId,
        op: 'update',
        fields: { secret_hash: hashSecret(newPin), updated_at: reg.nowIso() },
        action: 'agent.changePin',
      },
      actorId,
    ),
  );
}
