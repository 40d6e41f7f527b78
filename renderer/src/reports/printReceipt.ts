// "The receipt prints straight from the intake screen in one step after saving": the intake
// screen calls printReceipt(api, caseId) from its 打印受理回执 button. A refused request gets its
// 不予受理告知书 instead. Electron prints to the chosen (or default) printer without a dialog; the
// browser shell opens its print dialog with the receipt already in it.
import type { DaibanApi } from '../../../api/contract';
import { printDocument } from './printing';

export async function printReceipt(api: DaibanApi, caseId: string, opts: { refused?: boolean } = {}): Promise<{ printer: string | null }> {
  return printDocument(api, { kind: opts.refused ? 'refusal' : 'receipt', caseId });
}
