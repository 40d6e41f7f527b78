// Table rows that open something on click. Keyboard users reach the same page through the link in
// the row's first cell, so rows are not extra tab stops.
import type { HTMLAttributes } from 'react';
import { navigate } from './routing';

export function rowLink<T>(to: (row: T) => string | null): (row: T) => HTMLAttributes<HTMLElement> {
  return (row: T) => {
    const target = to(row);
    if (!target) return {};
    return {
      onClick: (e) => {
        // Let real links and buttons inside the row do their own thing.
        if ((e.target as HTMLElement).closest('a,button,input,.ant-select')) return;
        navigate(target);
      },
    };
  };
}
