// Table rows that open something: click, or focus with Tab and press Enter.
import type { HTMLAttributes, KeyboardEvent } from 'react';
import { navigate } from '../router';

export function rowLink<T>(to: (row: T) => string | null): (row: T) => HTMLAttributes<HTMLElement> {
  return (row: T) => {
    const target = to(row);
    if (!target) return {};
    return {
      tabIndex: 0,
      onClick: (e) => {
        // Let real links and buttons inside the row do their own thing.
        if ((e.target as HTMLElement).closest('a,button,input,.ant-select')) return;
        navigate(target);
      },
      onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) navigate(target);
      },
    };
  };
}
