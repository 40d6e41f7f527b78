// One entry for every print: gather the data, lay out the pages, return a complete HTML document.
import type { Register } from '../db/register';
import { AppError } from '../domain/errors';
import { periodLabel, monthRange } from '../domain/statistics';
import { CASE_PRINTS, MONTH_PRINTS, PRINT_KINDS, casePrintData, ledgerData, monthlyStatsData, visitBookData, type PrintParams } from './data';
import { renderLedger } from './ledger';
import { renderVisitBook } from './visitBook';
import { renderMonthlyStats } from './monthlyStats';
import { renderCaseRecord } from './caseRecord';
import { renderReceipt, renderRefusal } from './receipt';

export type BuiltPrint = { html: string; title: string; landscape: boolean; fileBase: string };

function safeFile(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '-');
}

export async function buildPrint(reg: Register, p: PrintParams): Promise<BuiltPrint> {
  if (CASE_PRINTS.includes(p.kind) && !p.caseId) throw new AppError('invalid_input', '请先选择代办件');
  if (MONTH_PRINTS.includes(p.kind) && !p.month) throw new AppError('invalid_input', '请选择月份');
  const label = PRINT_KINDS[p.kind];
  switch (p.kind) {
    case 'receipt': {
      const d = casePrintData(reg, p.caseId!);
      const r = await renderReceipt(d);
      return { html: r.html, title: `${label} ${d.c.caseNo}`, landscape: false, fileBase: safeFile(`${label}-${d.c.caseNo}`) };
    }
    case 'refusal': {
      const d = casePrintData(reg, p.caseId!);
      return { html: renderRefusal(d), title: `${label} ${d.c.caseNo}`, landscape: false, fileBase: safeFile(`${label}-${d.c.caseNo}`) };
    }
    case 'caseRecord': {
      const d = casePrintData(reg, p.caseId!);
      return { html: renderCaseRecord(d), title: `${label} ${d.c.caseNo}`, landscape: false, fileBase: safeFile(`${label}-${d.c.caseNo}`) };
    }
    case 'ledger':
    case 'visitBook':
    case 'monthlyStats': {
      const month = p.month!;
      const { from, to } = monthRange(month);
      const period = periodLabel(from, to);
      const html =
        p.kind === 'ledger'
          ? renderLedger(ledgerData(reg, month))
          : p.kind === 'visitBook'
            ? renderVisitBook(visitBookData(reg, month))
            : renderMonthlyStats(monthlyStatsData(reg, month));
      return { html, title: `${label}（${period}）`, landscape: p.kind !== 'monthlyStats', fileBase: safeFile(`${label}-${period}`) };
    }
  }
}
