import type { Handlers, ServiceContext } from './context';
import type { REPORT_INPUTS, ReportOutputs } from './reportSchemas';
import { AppError } from '../domain/errors';
import { getPoint } from '../db/point';
import { computeStatistics, listFigureCases } from '../db/statistics';
import { buildPrint } from '../print/index';
import { ledgerData } from '../print/data';
import { ledgerXlsx, statisticsXlsx } from '../print/xlsx';
import { nodePdfRenderer, type PdfRenderer } from '../print/pdfRenderer';
import { GROUP_BYS, monthRange, periodLabel, type GroupBy } from '../domain/statistics';

const NO_PRINTER_IN_BROWSER =
  '浏览器版不能直接选择打印机。请点“保存为PDF”后打印，或在预览中点“打印”，用浏览器的打印对话框选择打印机。';

// Prints and statistics (issue: 打印与统计).
export function reportHandlers(ctx: ServiceContext): Handlers<typeof REPORT_INPUTS, ReportOutputs> {
  const signed = () => {
    if (!getPoint(ctx.reg)) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
    return ctx.requireAgent();
  };
  const pdf = (): PdfRenderer => {
    if (ctx.pdfRenderer) return ctx.pdfRenderer;
    // The browser shell, the CLI and tests run in Node next to a local Chromium.
    if (ctx.shell === 'web') return nodePdfRenderer;
    throw new AppError('internal', '此版本未配置PDF生成，请在预览中使用“打印”并选择“另存为PDF”。');
  };
  const period = (p: { month?: string; from?: string; to?: string }) => (p.month ? monthRange(p.month) : { from: p.from!, to: p.to! });

  return {
    async renderPrint(p) {
      signed();
      const b = await buildPrint(ctx.reg, p);
      return { html: b.html, title: b.title, landscape: b.landscape };
    },
    async savePdf(p) {
      signed();
      const b = await buildPrint(ctx.reg, p);
      const buf = await pdf()(b.html, { landscape: b.landscape });
      return { fileName: `${b.fileBase}.pdf`, base64: buf.toString('base64') };
    },
    async printers() {
      signed();
      if (!ctx.printer) throw new AppError('refused', NO_PRINTER_IN_BROWSER);
      return ctx.printer.list();
    },
    async printHtml({ printer, ...p }) {
      signed();
      if (!ctx.printer) throw new AppError('refused', NO_PRINTER_IN_BROWSER);
      let deviceName = printer;
      if (!deviceName) {
        const list = await ctx.printer.list();
        deviceName = (list.find((x) => x.isDefault) ?? list[0])?.name ?? '';
        if (!deviceName) throw new AppError('refused', '这台电脑没有安装打印机。请先安装打印机，或点“保存为PDF”。');
      }
      const b = await buildPrint(ctx.reg, p);
      await ctx.printer.print(b.html, { landscape: b.landscape, deviceName });
      return { ok: true, printer: deviceName };
    },
    async statistics({ from, to, groupBy }) {
      signed();
      return computeStatistics(ctx.reg.db, { from, to, today: ctx.reg.today(), groupBy });
    },
    async statisticsCases({ from, to, figure, group, offset, limit }) {
      signed();
      return listFigureCases(ctx.reg.db, { from, to, today: ctx.reg.today(), figure, group, offset, limit });
    },
    async exportXlsx(p) {
      signed();
      const point = getPoint(ctx.reg)!;
      const { from, to } = period(p);
      if (p.kind === 'ledger') {
        const buf = await ledgerXlsx(ledgerData(ctx.reg, p.month!));
        return { fileName: `行政服务代办记录-${periodLabel(from, to)}.xlsx`, base64: buf.toString('base64') };
      }
      const today = ctx.reg.today();
      const q = { from, to, today };
      const groups: Partial<Record<GroupBy, ReturnType<typeof computeStatistics>['groups']>> = {};
      for (const by of Object.keys(GROUP_BYS) as GroupBy[]) groups[by] = computeStatistics(ctx.reg.db, { ...q, groupBy: by }).groups;
      const buf = await statisticsXlsx({
        unitName: point.unitName,
        today,
        overall: computeStatistics(ctx.reg.db, q),
        groups,
        poor: listFigureCases(ctx.reg.db, { ...q, figure: 'poor', offset: 0, limit: 5000 }).rows,
      });
      return { fileName: `代办统计-${periodLabel(from, to)}.xlsx`, base64: buf.toString('base64') };
    },
  };
}
