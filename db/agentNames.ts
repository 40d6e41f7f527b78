import type { Register } from './register';
import { AppError } from '../domain/errors';
import { agentNameKey, duplicateAgentNameMessage } from '../domain/agentName';

/** Refuses a name already on the roster (active or not; see domain/agentName.ts for why). */
export function assertUniqueAgentName(reg: Register, name: string, exceptId?: string): void {
  const key = agentNameKey(name);
  // A point has a handful of agents; comparing in JS keeps one normalisation rule (NFKC) for both sides.
  const rows = reg.db.prepare(`SELECT id, name, active FROM agents`).all() as { id: string; name: string; active: number }[];
  const same = rows.find((r) => r.id !== exceptId && agentNameKey(r.name) === key);
  if (same) throw new AppError('conflict', duplicateAgentNameMessage(name, same.active !== 1));
}
