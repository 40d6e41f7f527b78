// Who is signed in to the console, what they may reach, and the scope (townships, points, items) they see.
import { createContext, useContext } from 'react';
import type { Me, Role, ScopeInfo } from './api';

export type ConsoleSession = {
  me: Me;
  scope: ScopeInfo;
  signOut: () => Promise<void>;
  /** Re-reads the scope (after enrolling a point, …). */
  refreshScope: () => Promise<void>;
};

export const ConsoleSessionContext = createContext<ConsoleSession | null>(null);

export function useConsole(): ConsoleSession {
  const s = useContext(ConsoleSessionContext);
  if (!s) throw new Error('useConsole outside of the signed-in console');
  return s;
}

/**
 * What each role may open. The server checks every call itself; this only keeps menus and buttons
 * from offering what would be refused (issue 7: 管理员 everything; 工作人员 no accounts, enrolment or
 * publishing; 乡镇 reads and supervises its own villages, statistics and prints).
 */
export const CAN = {
  overview: ['admin', 'clerk', 'township'],
  import: ['admin', 'clerk'],
  cases: ['admin', 'clerk', 'township'],
  supervise: ['admin', 'clerk', 'township'],
  decide: ['admin', 'clerk'],
  conflicts: ['admin', 'clerk'],
  statistics: ['admin', 'clerk', 'township'],
  evaluation: ['admin', 'clerk', 'township'],
  evaluate: ['admin', 'clerk'],
  evaluationWeights: ['admin'],
  prints: ['admin', 'clerk', 'township'],
  points: ['admin'],
  publish: ['admin'],
  accounts: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Ability = keyof typeof CAN;

export function can(role: Role, what: Ability): boolean {
  return (CAN[what] as readonly Role[]).includes(role);
}

export function useCan(what: Ability): boolean {
  return can(useConsole().me.role, what);
}
