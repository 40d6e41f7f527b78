// Polls syncStatus: every few seconds normally, every second while a sync is running.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../api/syncSchemas';
import { api } from '../api';

export function useSyncStatus(): { status: SyncStatus | null; error: string | null; reload: () => Promise<void> } {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const s = await api.syncStatus({});
      if (alive.current) {
        setStatus(s);
        setError(null);
      }
    } catch (e) {
      if (alive.current) setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  const running = status?.running ?? false;
  useEffect(() => {
    alive.current = true;
    void reload();
    const t = window.setInterval(() => void reload(), running ? 1000 : 5000);
    return () => {
      alive.current = false;
      window.clearInterval(t);
    };
  }, [reload, running]);

  return { status, error, reload };
}
