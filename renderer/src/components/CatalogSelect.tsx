// A service-item picker searching the catalog on the server (汉字, 拼音, 首字母).
import { Select, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import type { CatalogItem } from '../../../domain/records';
import { api } from '../api';
import { showError } from '../notify';

export function CatalogSelect({
  value,
  onChange,
  placeholder = '全部事项',
  style,
  id,
}: {
  value?: string;
  onChange: (code: string | undefined) => void;
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
}) {
  const [items, setItems] = useState<CatalogItem[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | null>(null);
  const seq = useRef(0);
  const names = useRef(new Map<string, string>());
  const search = useCallback((q: string) => {
    if (timer.current) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      const my = ++seq.current;
      setLoading(true);
      try {
        const rows = await api.searchCatalog({ q, limit: 50 });
        for (const r of rows) names.current.set(r.code, r.name);
        if (my === seq.current) setItems(rows);
      } catch (e) {
        showError(e, '查询事项失败');
      } finally {
        if (my === seq.current) setLoading(false);
      }
    }, 180);
  }, []);
  useEffect(() => search(''), [search]);
  return (
    <Select
      id={id}
      aria-label="事项"
      allowClear
      showSearch
      value={value}
      placeholder={placeholder}
      filterOption={false}
      onSearch={search}
      onChange={(v: string | undefined) => onChange(v)}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : '没有找到'}
      options={[
        ...(value && !items.some((i) => i.code === value) ? [{ value, label: names.current.get(value) ?? value }] : []),
        ...items.map((i) => ({ value: i.code, label: i.name })),
      ]}
      style={style}
      popupMatchSelectWidth={360}
    />
  );
}
