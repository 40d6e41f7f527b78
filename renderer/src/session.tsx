// Who is signed in and what the point is; every page reads it through useSession().
import { createContext, useContext } from 'react';
import type { AgentSummary, AppState, PointInfo } from '../../domain/records';

export type Session = {
  state: AppState;
  agent: AgentSummary;
  point: PointInfo;
  /** Re-reads getAppState (after adding agents, a restore, …). */
  refresh: () => Promise<void>;
  lock: () => void;
  switchAgent: () => void;
};

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside of a signed-in shell');
  return s;
}
