// Township and village pickers limited to what the signed-in account may see (ScopeInfo from the server).
import { Select } from 'antd';
import type { CSSProperties } from 'react';
import { useConsole } from '../session';

export function TownshipSelect({ value, onChange, style, placeholder = '全部乡镇' }: { value?: string; onChange: (v: string | undefined) => void; style?: CSSProperties; placeholder?: string }) {
  const { scope } = useConsole();
  return (
    <Select
      aria-label="乡镇"
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={placeholder}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      style={style}
      options={scope.townships.map((t) => ({ value: t.code, label: t.name }))}
    />
  );
}

/** Villages grouped by township; `townshipCode` narrows the list to one township. */
export function PointSelect({
  value,
  onChange,
  style,
  townshipCode,
  placeholder = '全部代办点（村）',
}: {
  value?: string;
  onChange: (v: string | undefined) => void;
  style?: CSSProperties;
  townshipCode?: string;
  placeholder?: string;
}) {
  const { scope } = useConsole();
  const townships = scope.townships.filter((t) => !townshipCode || t.code === townshipCode);
  return (
    <Select
      aria-label="代办点"
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder={placeholder}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      style={style}
      popupMatchSelectWidth={300}
      options={townships.map((t) => ({
        label: t.name,
        title: t.name,
        options: scope.points.filter((p) => p.townshipCode === t.code).map((p) => ({ value: p.code, label: `${p.villageName}（${t.name}）` })),
      }))}
    />
  );
}
