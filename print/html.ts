// The page engine of every print: A4 sheets laid out here, not by the browser, so that the
// preview on screen, window.print() in the browser shell, Electron's printToPDF and the Node PDF
// renderer all give the same pages — with 第 x 页 共 y 页, the table header repeated on each page,
// no row split across pages, and the signature lines where the paper form has them.
//
// How: every table row gets an explicit height computed from its text (CJK glyphs are 1 em wide,
// ASCII is counted generously at 0.6 em, lines break anywhere), with a little slack, and the rows
// are packed into pages of fixed height. Each page is its own <section> with `break-after: page`,
// and @page has no margin so the browser adds no header or footer of its own (URL, date).

export const PT_MM = 0.3528;
export const LINE_HEIGHT = 1.4;

/** Serif for body text: 宋体 on Windows, Noto/Source Han on Linux, Songti on macOS. */
export const FONT_SERIF = `"SimSun","宋体","NSimSun","Noto Serif CJK SC","Source Han Serif SC","Songti SC","STSong","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",serif`;
/** Headings: 黑体 where there is one. */
export const FONT_SANS = `"SimHei","黑体","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif`;

export type PageSize = { widthMm: number; heightMm: number; padTopMm: number; padSideMm: number; padBottomMm: number };
export const A4_PORTRAIT: PageSize = { widthMm: 210, heightMm: 297, padTopMm: 12, padSideMm: 15, padBottomMm: 10 };
export const A4_LANDSCAPE: PageSize = { widthMm: 297, heightMm: 210, padTopMm: 10, padSideMm: 12, padBottomMm: 8 };
// A page a hair shorter than the sheet, so rounding in the browser never spills onto an extra sheet.
const SHEET_SLACK_MM = 0.6;

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** "2026-11-21" → "2026年11月21日". */
export function cnDate(d: string | null | undefined): string {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
}

/** "2026-11-21" → "2026-11-21" (tables keep the compact form; ledgers are read by column). */
export function shortDate(d: string | null | undefined): string {
  return d ?? '';
}

// ---- text measurement ----

function charEm(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) {
    if (/[0-9a-z]/.test(ch)) return /[mw]/.test(ch) ? 1 : 0.56;
    if (/[-*.,:;()'" ]/.test(ch)) return 0.42;
    return /[MW@%]/.test(ch) ? 1 : 0.75;
  }
  if (c >= 0xff61 && c <= 0xff9f) return 0.6;
  return 1;
}

/**
 * Width of a string in em, counted a little generously against the widest fonts of the stack
 * (measured in Chromium: Noto Serif CJK digits 0.55 em, '-' 0.35 em, capitals 0.7 em, M/W 0.94 em;
 * SimSun is 0.5 em for all ASCII).
 */
export function textEm(s: string): number {
  let w = 0;
  for (const ch of s) w += charEm(ch);
  return w;
}

// 禁则: closing punctuation may not start a line, opening punctuation may not end one.
const NO_START = new Set([...'，。、；：！？）》」』】〕〉”’…%,.;:!?)]}-—·']);
const NO_END = new Set([...'（《「『【〔〈“‘([{']);

/**
 * Lines a text takes in a box `widthMm` wide at `fontPt`, breaking anywhere (word-break: break-all)
 * as Chromium does: greedy filling, a glyph carried over to keep punctuation off the line start.
 */
export function textLines(s: string, widthMm: number, fontPt: number): number {
  // A hair of room for rounding: a text that exactly fills the box may still wrap.
  const cap = widthMm / (fontPt * PT_MM) - 0.2;
  let lines = 0;
  for (const part of String(s).split('\n')) {
    const chars = [...part];
    let n = 1;
    let used = 0;
    for (let i = 0; i < chars.length; i++) {
      const w = charEm(chars[i]);
      if (used > 0 && used + w > cap) {
        n++;
        const carry = i > 0 && (NO_START.has(chars[i]) || NO_END.has(chars[i - 1])) ? charEm(chars[i - 1]) : 0;
        used = carry + w;
      } else {
        used += w;
      }
    }
    lines += n;
  }
  return lines;
}

/** Cuts a text to at most `maxLines` lines in the box, ending with “…”. */
export function clampText(s: string, widthMm: number, fontPt: number, maxLines: number): string {
  if (textLines(s, widthMm, fontPt) <= maxLines) return s;
  const chars = [...s.replace(/\n/g, ' ')];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (textLines(chars.slice(0, mid).join('') + '…', widthMm, fontPt) <= maxLines) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}

export function lineMm(fontPt: number): number {
  return fontPt * PT_MM * LINE_HEIGHT;
}

// ---- tables ----

export type Col = { title: string; widthMm: number; align?: 'left' | 'center' | 'right' };
/** A cell: plain text, or html with the text it shows (for measuring) and an optional column span. */
export type Cell = string | { html?: string; text: string; colspan?: number; align?: 'left' | 'center' | 'right'; bold?: boolean };

export type TableBlock = {
  kind: 'table';
  cols: Col[];
  rows: Cell[][];
  fontPt: number;
  /** Minimum row height, e.g. room for a handwritten signature. */
  minRowMm?: number;
  /** Caption above the table ("一、总体情况"); repeated with “（续）” on later pages. */
  caption?: string;
  /** Longest a cell may grow, in lines; longer text is cut with “…”. */
  maxLines?: number;
  /** Shown as a single row when there are no rows. */
  emptyText?: string;
  /** A form-like grid (label | value) without a header row. */
  noHead?: boolean;
};

export type HtmlBlock = { kind: 'html'; html: string; heightMm: number };
export type Block = TableBlock | HtmlBlock;

const PAD_X_MM = 1.2;
const PAD_Y_MM = 0.9;
const BORDER_MM = 0.3;
const CAPTION_MM = 8;

function cellText(c: Cell): string {
  return typeof c === 'string' ? c : c.text;
}
function cellHtml(c: Cell): string {
  if (typeof c !== 'string' && c.html !== undefined) return c.html;
  return esc(cellText(c)).replace(/\n/g, '<br>');
}
function span(c: Cell): number {
  return typeof c === 'string' ? 1 : (c.colspan ?? 1);
}

/** Width of each cell of a row in mm, following column spans. */
function cellWidths(cells: Cell[], cols: Col[]): number[] {
  let col = 0;
  return cells.map((c) => {
    let w = 0;
    for (let k = 0; k < span(c) && col < cols.length; k++) w += cols[col++].widthMm;
    return w;
  });
}

function rowHeightMm(cells: Cell[], cols: Col[], fontPt: number, minRowMm: number): number {
  let lines = 1;
  const widths = cellWidths(cells, cols);
  cells.forEach((c, i) => {
    lines = Math.max(lines, textLines(cellText(c), widths[i] - 2 * PAD_X_MM - BORDER_MM, fontPt));
  });
  return Math.max(minRowMm, lines * lineMm(fontPt) + 2 * PAD_Y_MM + BORDER_MM);
}

function rowHtml(cells: Cell[], cols: Col[], heightMm: number): string {
  let col = 0;
  const tds = cells.map((c) => {
    const first = cols[Math.min(col, cols.length - 1)];
    const n = span(c);
    col += n;
    const align = (typeof c !== 'string' && c.align) || first.align || 'left';
    const bold = typeof c !== 'string' && c.bold ? ' b' : '';
    return `<td class="a-${align}${bold}"${n > 1 ? ` colspan="${n}"` : ''}>${cellHtml(c)}</td>`;
  });
  return `<tr style="height:${heightMm.toFixed(2)}mm">${tds.join('')}</tr>`;
}

type PreparedRow = { cells: Cell[]; heightMm: number };

function emptyRowMm(t: TableBlock): number {
  return rowHeightMm([{ text: t.emptyText ?? '（无）', colspan: t.cols.length }], t.cols, t.fontPt, t.minRowMm ?? 0);
}

/** A table laid out on its own (not paginated): its html and height in mm. */
export function tableAlone(t: TableBlock): { html: string; heightMm: number } {
  const { headMm, rows } = prepareTable(t);
  const heightMm = (t.caption ? CAPTION_MM : 0) + headMm + (rows.length ? rows.reduce((a, r) => a + r.heightMm, 0) : emptyRowMm(t));
  return { html: tableHtml(t, rows, headMm, t.caption ?? null), heightMm };
}

function prepareTable(t: TableBlock): { headMm: number; rows: PreparedRow[] } {
  const headMm = t.noHead ? 0 : rowHeightMm(t.cols.map((c) => c.title), t.cols, t.fontPt, 0);
  const maxLines = t.maxLines ?? 8;
  const rows = t.rows.map((r) => {
    const widths = cellWidths(r, t.cols);
    const cells = r.map((c, i) => {
      const w = widths[i] - 2 * PAD_X_MM - BORDER_MM;
      if (typeof c !== 'string' || textLines(c, w, t.fontPt) <= maxLines) return c;
      return clampText(c, w, t.fontPt, maxLines);
    });
    return { cells, heightMm: rowHeightMm(cells, t.cols, t.fontPt, t.minRowMm ?? 0) };
  });
  return { headMm, rows };
}

function tableHtml(t: TableBlock, rows: PreparedRow[], headMm: number, caption: string | null): string {
  const width = t.cols.reduce((s, c) => s + c.widthMm, 0);
  const colgroup = t.cols.map((c) => `<col style="width:${c.widthMm.toFixed(2)}mm">`).join('');
  const head = t.cols.map((c) => `<th>${esc(c.title)}</th>`).join('');
  const body = rows.length
    ? rows.map((r) => rowHtml(r.cells, t.cols, r.heightMm)).join('')
    : rowHtml([{ text: t.emptyText ?? '（无）', colspan: t.cols.length, align: 'center' }], t.cols, emptyRowMm(t));
  return (
    (caption ? `<div class="caption" style="height:${CAPTION_MM}mm">${esc(caption)}</div>` : '') +
    `<table class="grid" style="width:${width.toFixed(2)}mm;font-size:${t.fontPt}pt"><colgroup>${colgroup}</colgroup>` +
    (t.noHead ? '' : `<thead><tr style="height:${headMm.toFixed(2)}mm">${head}</tr></thead>`) +
    `<tbody>${body}</tbody></table>`
  );
}

// ---- pages ----

export type PageParts = {
  /** Heading of every page (unit name, title, period); fixed height. */
  header: (pageNo: number) => string;
  headerMm: number;
  /** Signature lines etc. at the foot of every page, above the page number; fixed height. */
  footer?: (pageNo: number, pages: number) => string;
  footerMm?: number;
  /** Only on the last page, after the body (e.g. 制表人/审核人 when it should be signed once). */
  closing?: string;
  closingMm?: number;
};

export type Document = {
  title: string;
  landscape: boolean;
  size: PageSize;
  parts: PageParts;
  blocks: Block[];
};

const PAGE_NO_MM = 6;
const GAP_MM = 3;

/** Packs blocks into pages; returns each page's body html. */
export function paginate(doc: Document): string[] {
  const s = doc.size;
  const bodyMm =
    s.heightMm - SHEET_SLACK_MM - s.padTopMm - s.padBottomMm - doc.parts.headerMm - (doc.parts.footerMm ?? 0) - PAGE_NO_MM - 2;
  const pages: string[][] = [[]];
  let used = 0;
  const newPage = () => {
    pages.push([]);
    used = 0;
  };
  const put = (html: string, mm: number) => {
    pages[pages.length - 1].push(html);
    used += mm;
  };
  // The closing (signatures) keeps company with the last row: it never stands alone on a page.
  const closingMm = doc.parts.closing ? (doc.parts.closingMm ?? 20) + GAP_MM : 0;
  doc.blocks.forEach((b, bi) => {
    const last = bi === doc.blocks.length - 1;
    const gap = used > 0 ? GAP_MM : 0;
    if (b.kind === 'html') {
      if (used > 0 && used + gap + b.heightMm + (last ? closingMm : 0) > bodyMm) newPage();
      put(`<div style="margin-top:${used > 0 ? GAP_MM : 0}mm;height:${b.heightMm}mm;overflow:hidden">${b.html}</div>`, (used > 0 ? GAP_MM : 0) + b.heightMm);
      return;
    }
    const { headMm, rows } = prepareTable(b);
    const capMm = b.caption ? CAPTION_MM : 0;
    let i = 0;
    let first = true;
    // Start the table on a new page unless its header and first row fit here.
    const firstRowMm = rows[0]?.heightMm ?? emptyRowMm(b);
    const tail = last && rows.length <= 1 ? closingMm : 0;
    if (used > 0 && used + gap + capMm + headMm + firstRowMm + tail > bodyMm) newPage();
    do {
      const top = used > 0 ? GAP_MM : 0;
      let room = bodyMm - used - top - capMm - headMm;
      const chunk: PreparedRow[] = [];
      while (i < rows.length) {
        const need = rows[i].heightMm + (last && i === rows.length - 1 ? closingMm : 0);
        if (!(need <= room || (chunk.length === 0 && used === 0))) break;
        room -= rows[i].heightMm;
        chunk.push(rows[i++]);
      }
      const caption = b.caption ? (first ? b.caption : `${b.caption}（续）`) : null;
      const mm = top + capMm + headMm + chunk.reduce((a, r) => a + r.heightMm, 0) + (rows.length ? 0 : firstRowMm);
      put(`<div style="margin-top:${top}mm">${tableHtml(b, chunk, headMm, caption)}</div>`, mm);
      first = false;
      if (i < rows.length) newPage();
    } while (i < rows.length);
  });
  if (doc.parts.closing) {
    if (used > 0 && used + closingMm > bodyMm) newPage();
    put(`<div style="margin-top:${GAP_MM}mm;height:${doc.parts.closingMm ?? 20}mm">${doc.parts.closing}</div>`, closingMm);
  }
  return pages.map((p) => p.join(''));
}

export function pageNumber(n: number, of: number): string {
  return `第 ${n} 页 共 ${of} 页`;
}

/** The whole HTML document: pages already laid out, inline CSS, nothing fetched. */
export function renderDocument(doc: Document, bodies: string[] = paginate(doc)): string {
  return documentShell(doc.title, doc.landscape, doc.size, renderPages(doc, bodies));
}

/** The pages of a document as HTML sections (several documents of one size can share one shell). */
export function renderPages(doc: Document, bodies: string[] = paginate(doc)): string {
  return bodies
    .map((body, i) => {
      const n = i + 1;
      return `<section class="page">
<header style="height:${doc.parts.headerMm}mm">${doc.parts.header(n)}</header>
<div class="body">${body}</div>
${doc.parts.footer ? `<div class="foot" style="height:${doc.parts.footerMm ?? 0}mm">${doc.parts.footer(n, bodies.length)}</div>` : ''}
<div class="pageno">${pageNumber(n, bodies.length)}</div>
</section>`;
    })
    .join('\n');
}

export function documentShell(title: string, landscape: boolean, s: PageSize, pagesHtml: string, extraCss = ''): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
@page { size: A4 ${landscape ? 'landscape' : 'portrait'}; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${FONT_SERIF}; color: #000; font-size: 10.5pt; line-height: ${LINE_HEIGHT};
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.page { position: relative; width: ${s.widthMm}mm; height: ${(s.heightMm - SHEET_SLACK_MM).toFixed(2)}mm;
  padding: ${s.padTopMm}mm ${s.padSideMm}mm ${s.padBottomMm}mm; overflow: hidden; display: flex; flex-direction: column;
  break-after: page; page-break-after: always; background: #fff; }
.page:last-child { break-after: auto; page-break-after: auto; }
header { flex: none; overflow: hidden; }
.body { flex: 1 1 auto; min-height: 0; }
.foot { flex: none; overflow: hidden; }
.pageno { flex: none; height: ${PAGE_NO_MM}mm; text-align: center; font-size: 9pt; padding-top: 1.5mm; }
.unit { font-family: ${FONT_SANS}; font-size: 13pt; text-align: center; letter-spacing: 1px; }
.title { font-family: ${FONT_SANS}; font-size: 19pt; font-weight: bold; text-align: center; letter-spacing: 4px; margin-top: 1mm; }
.meta { display: flex; justify-content: space-between; font-size: 10pt; margin-top: 2.5mm; }
.caption { font-family: ${FONT_SANS}; font-size: 11.5pt; font-weight: bold; padding-top: 1.5mm; }
table.grid { border-collapse: collapse; table-layout: fixed; }
table.grid th, table.grid td { border: ${BORDER_MM}mm solid #000; padding: ${PAD_Y_MM}mm ${PAD_X_MM}mm; line-height: ${LINE_HEIGHT};
  word-break: break-all; overflow-wrap: anywhere; vertical-align: middle; overflow: hidden; }
table.grid th { font-family: ${FONT_SANS}; font-weight: normal; text-align: center; background: #f0f0f0; }
tr { break-inside: avoid; page-break-inside: avoid; }
.b { font-weight: bold; }
.a-left { text-align: left; } .a-center { text-align: center; } .a-right { text-align: right; }
.sign { display: flex; justify-content: space-between; align-items: flex-end; font-size: 10.5pt; gap: 4mm; white-space: nowrap; }
.sign span.line { display: inline-block; border-bottom: 0.3mm solid #000; min-width: 30mm; height: 6mm; vertical-align: bottom; }
.num { white-space: nowrap; }
@media screen {
  body { background: #8a8f98; padding: 8px 0; }
  .page { margin: 0 auto 10px; box-shadow: 0 1px 6px rgba(0,0,0,.35); }
}
${extraCss}
</style></head><body>
${pagesHtml}
</body></html>`;
}

/** Standard heading: full unit name, the form's title, and one line of period (left) and date (right). */
export function standardHeader(unitName: string, title: string, left: string, right: string): string {
  return `<div class="unit">${esc(unitName)}</div><div class="title">${esc(title)}</div><div class="meta"><span>${esc(left)}</span><span>${esc(right)}</span></div>`;
}
export const STANDARD_HEADER_MM = 26;

/** A row of signature blanks: 制表人：______  审核人：______ … */
export function signatureRow(labels: string[], tail = ''): string {
  return `<div class="sign">${labels.map((l) => `<span>${esc(l)}：<span class="line"></span></span>`).join('')}${tail ? `<span>${tail}</span>` : ''}</div>`;
}
