import type { Register } from './register';
import { hashSecret, verifySecret } from './secrets';
import { uuidv7 } from '../domain/ids';
import { maskPhone } from '../domain/mask';
import { AppError } from '../domain/errors';
import type { AgentSummary } from '../domain/records';
import { normalisePhoneField } from '../domain/phone';
import { assertUniqueAgentName } from './agentNames';

type AgentRow = {
  id: string;
  name: string;
  phone: string;
  secret_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
};

export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60 * 1000;

export function toAgentSummary(r: { id: string; name: string; phone: string; active: number }): AgentSummary {
  return { id: r.id, name: r.name, phoneMasked: maskPhone(r.phone), active: r.active === 1 };
}

export function listAgents(reg: Register): AgentSummary[] {
  const rows = reg.db.prepare(`SELECT id, name, phone, active FROM agents ORDER BY active DESC, created_at`).all() as AgentRow[];
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
 * Checks a PIN with throttling: after FREE_ATTEMPTS wrong tries each further failure locks the
 * agent for a doubling delay (30 s, 1 min, 2 min … 15 min). The counters are local security state,
 * not register records, so they are written without history or outbox.
 */
export function verifyAgentPin(reg: Register, agentId: string, pin: string): AgentSummary {
  const a = getAgentRow(reg, agentId);
  if (!a) throw new AppError('not_found', '找不到这位代办员');
  if (a.active !== 1) throw new AppError('refused', '这位代办员已停用，请联系管理员');
  const now = reg.clock.nowMs();
  if (a.locked_until && Date.parse(a.locked_until) > now) {
    const secs = Math.ceil((Date.parse(a.locked_until) - now) / 1000);
    const wait = secs >= 60 ? `${Math.ceil(secs / 60)} 分钟` : `${secs} 秒`;
    throw new AppError('throttled', `密码错误次数过多，请 ${wait} 后再试`);
  }
  if (verifySecret(pin, a.secret_hash)) {
    reg.db.prepare(`UPDATE agents SET failed_attempts = 0, locked_until = NULL WHERE id = ?`).run(agentId);
    return toAgentSummary(a);
  }
  const failed = a.failed_attempts + 1;
  let lockedUntil: string | null = null;
  if (failed >= FREE_ATTEMPTS) {
    const ms = Math.min(MAX_LOCK_MS, 30_000 * 2 ** (failed - FREE_ATTEMPTS));
    lockedUntil = new Date(now + ms).toISOString();
  }
  reg.db.prepare(`UPDATE agents SET failed_attempts = ?, locked_until = ? WHERE id = ?`).run(failed, lockedUntil, agentId);
  const left = FREE_ATTEMPTS - failed;
  throw new AppError(
    'refused',
    left > 0 ? `密码不正确，还可以再试 ${left} 次` : '密码不正确，已暂时锁定，请稍后再试',
  );
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

export function changePin(reg: Register, agentId: string, oldPin: string, newPin: string): void {
  verifyAgentPin(reg, agentId, oldPin);
  reg.tx(() =>
    reg.writer.apply(
      {
        table: 'agents',
        id: agentId,
        op: 'update',
        fields: { secret_hash: hashSecret(newPin), updated_at: reg.nowIso() },
        action: 'agent.changePin',
      },
      agentId,
    ),
  );
}
