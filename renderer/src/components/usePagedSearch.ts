// One way for list screens to page through the register: re-query when filters or page change,
// and let only the newest answer land (a slow old query must not overwrite a newer one).
import { useEffect, useRef, useState } from 'react';
import type { Page } from '../../../domain/records';
import { showError } from '../notify';

export type PageState = { current: number; pageSize: number };

export function usePagedSearch<F, R>(
  filters: F,
  page: PageState,
  fetchPage: (filters: F, offset: number, limit: number) => Promise<Page<R>>,
  failureTitle: string,
): { data: Page<R>; loading: boolean } {
  const [data, setData] = useState<Page<R>>({ total: 0, rows: [] });
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    fetchRef
      .current(filters, (page.current - 1) * page.pageSize, page.pageSize)
      .then((res) => {
        if (my === seq.current) setData(res);
      })
      .catch((e: unknown) => {
        if (my === seq.current) showError(e, failureTitle);
      })
      .finally(() => {
        if (my === seq.current) setLoading(false);
      });
  }, [filters, page, failureTitle]);

  return { data, loading };
}
