// Keyboard conventions for long forms: Enter in a one-line text box moves to the next field instead of
// submitting half a form; Ctrl+Enter (or ⌘+Enter) saves.
import { useEffect, useRef, type KeyboardEvent } from 'react';

const FIELD_SELECTOR =
  'input:not([disabled]):not([type=hidden]):not([readonly]), textarea:not([disabled]), [role=combobox]:not([aria-disabled=true])';

function isPlainTextInput(el: HTMLElement): boolean {
  if (el.tagName !== 'INPUT') return false;
  const input = el as HTMLInputElement;
  if (!['text', 'tel', 'password', 'number', 'search', ''].includes(input.type)) return false;
  if (input.getAttribute('role') === 'combobox') return false; // Select: Enter picks the option
  if (input.closest('.ant-picker')) return false; // DatePicker: Enter confirms the typed date
  return true;
}

export function focusNextField(from: HTMLElement, container: HTMLElement): void {
  const all = Array.from(container.querySelectorAll<HTMLElement>(FIELD_SELECTOR)).filter((el) => {
    if (el.offsetParent === null) return false;
    if (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked) {
      // a radio group is one stop: its checked button, or its first button when none is checked
      const group = el.closest('.ant-radio-group');
      if (group?.querySelector('input:checked')) return false;
      if (group && group.querySelector('input[type=radio]') !== el) return false;
    }
    return true;
  });
  const i = all.indexOf(from);
  const next = all.slice(i + 1).find((el) => el !== from);
  next?.focus();
}

/** Ctrl+Enter anywhere on the page (outside dialogs) saves, even when focus is on a button or nowhere. */
export function useCtrlEnter(onSave: () => void): void {
  const ref = useRef(onSave);
  ref.current = onSave;
  useEffect(() => {
    const on = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.isComposing) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest?.('.ant-modal, .ant-popover, .lock-overlay')) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"]) .ant-modal')) return;
      e.preventDefault();
      ref.current();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
}

/** Enter in a one-line text box moves to the next field (Ctrl+Enter is handled by useCtrlEnter). */
export function formKeyDown() {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    if (target.tagName !== 'INPUT') return;
    // Never let Enter in a field submit the whole form implicitly; Ctrl+Enter is the save key.
    if (target.getAttribute('role') !== 'combobox') e.preventDefault();
    if (!e.shiftKey && !e.altKey && isPlainTextInput(target)) focusNextField(target, e.currentTarget);
  };
}
