// One way for list screens to page through the register: re-query when filters or page change,
// and let only the newest answer land (a slow old query must not overwrite a newer one). A failed
// read is kept as `error` (with `retry`), so the list can say so instead of showing "no results".
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../../domain/records';
import { showError } from '../notify';
import { isUnreachable } from '../serviceStatus';

export type PageState = { current: number; pageSize: number };

export function usePagedSearch<F, R>(
  filters: F,
  page: PageState,
  fetchPage: (filters: F, offset: number, limit: number) => Promise<Page<R>>,
  failureTitle: string,
): { data: Page<R>; loading: boolean; error: unknown; retry: () => void } {
  const [data, setData] = useState<Page<R>>({ total: 0, rows: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    fetchRef
      .current(filters, (page.current - 1) * page.pageSize, page.pageSize)
      .then((res) => {
        if (my !== seq.current) return;
        setData(res);
        setError(null);
      })
      .catch((e: unknown) => {
        if (my !== seq.current) return;
        setError(e);
        // The list itself shows an unreachable service; other failures also get the usual message.
        if (!isUnreachable(e)) showError(e, failureTitle);
      })
      .finally(() => {
        if (my === seq.current) setLoading(false);
      });
  }, [filters, page, failureTitle, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, loading, error, retry };
}
