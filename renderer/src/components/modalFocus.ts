// antd's Modal moves focus to its own container when it opens, which defeats autoFocus on the first
// field. Pass this as `afterOpenChange` so typing can start at once in the dialog's first field.
export function focusFirstField(open: boolean): void {
  if (!open) return;
  const wraps = Array.from(document.querySelectorAll<HTMLElement>('.ant-modal-wrap')).filter((w) => w.style.display !== 'none');
  const wrap = wraps[wraps.length - 1];
  const field = wrap?.querySelector<HTMLElement>(
    '.ant-modal-body input:not([type=hidden]):not([disabled]):not([readonly]), .ant-modal-body textarea:not([disabled]), .ant-modal-body input[role=combobox]',
  );
  field?.focus();
}
