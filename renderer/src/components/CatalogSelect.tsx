// The one service-item picker: searches the catalog on the server (汉字, 拼音, 首字母, everyday words),
// newest answer wins. Used as a list filter (代办件) and, `detailed`, as the intake form's 办理事项.
import { Select, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { CatalogItem } from '../../../domain/records';
import { CATALOG_SEARCH_MAX_CHARS } from '../../../domain/search';
import { api } from '../api';
import { showError } from '../notify';
import { isUnreachable } from '../serviceStatus';

type Option = { value: string; label: string; item?: CatalogItem };

export function CatalogSelect({
  value,
  onChange,
  selectedItem,
  placeholder = '全部事项',
  detailed = false,
  allowClear = true,
  style,
  popupWidth,
  id,
  'aria-label': ariaLabel,
}: {
  value?: string;
  /** The chosen code and its catalog entry (null when cleared). */
  onChange?: (code: string | undefined, item: CatalogItem | null) => void;
  /** The chosen entry when it is known already (e.g. from a restored draft) but not in the current answer. */
  selectedItem?: CatalogItem | null;
  placeholder?: string;
  /** Show department, time limit and code under each name (for choosing an item, not filtering). */
  detailed?: boolean;
  allowClear?: boolean;
  style?: CSSProperties;
  popupWidth?: number;
  /** Set by antd Form.Item, whose label then names the box. */
  id?: string;
  /** Accessible name when there is no Form.Item label (defaults to "事项"). */
  'aria-label'?: string;
}) {
  const [items, setItems] = useState<CatalogItem[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | null>(null);
  const seq = useRef(0);
  /** Every entry seen, so a chosen code keeps its name when a later search no longer lists it. */
  const seen = useRef(new Map<string, CatalogItem>());
  const search = useCallback((q: string) => {
    if (timer.current) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      const my = ++seq.current;
      setLoading(true);
      try {
        const rows = await api.searchCatalog({ q: q.slice(0, CATALOG_SEARCH_MAX_CHARS), limit: 50 });
        for (const r of rows) seen.current.set(r.code, r);
        if (my === seq.current) setItems(rows);
      } catch (e) {
        // An unreachable service is already announced over the page; only other failures get a message.
        if (!isUnreachable(e)) showError(e, '查询事项失败');
      } finally {
        if (my === seq.current) setLoading(false);
      }
    }, 180);
  }, []);
  useEffect(() => search(''), [search]);
  useEffect(() => () => {
    if (timer.current) window.clearTimeout(timer.current);
  }, []);

  const options = useMemo<Option[]>(() => {
    const list: Option[] = items.map((i) => ({ value: i.code, label: i.name, item: i }));
    if (value && !items.some((i) => i.code === value)) {
      const it = selectedItem?.code === value ? selectedItem : seen.current.get(value);
      list.unshift({ value, label: it?.name ?? value, item: it });
    }
    return list;
  }, [items, value, selectedItem]);

  return (
    <Select<string, Option>
      id={id}
      aria-label={ariaLabel ?? (id ? undefined : '事项')}
      allowClear={allowClear}
      showSearch
      value={value}
      placeholder={placeholder}
      filterOption={false}
      onSearch={search}
      onFocus={() => items.length === 0 && search('')}
      onChange={(v: string | undefined) => {
        const it = v ? (options.find((o) => o.value === v)?.item ?? seen.current.get(v) ?? null) : null;
        onChange?.(v, it);
      }}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : '没有找到，换个关键词试试'}
      options={options}
      optionRender={
        detailed
          ? (o) => {
              const it = o.data.item;
              if (!it) return o.label;
              return (
                <div>
                  <div style={{ whiteSpace: 'normal' }}>{it.name}</div>
                  <div className="text-muted" style={{ fontSize: 13 }}>
                    {it.department} · {it.committedWorkdays}个工作日 · {it.code}
                  </div>
                </div>
              );
            }
          : undefined
      }
      listHeight={detailed ? 360 : undefined}
      style={style}
      popupMatchSelectWidth={popupWidth ?? true}
    />
  );
}
