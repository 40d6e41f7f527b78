// 受理回执 + 一次性告知单 (two parts on one A4 sheet with a cut line: the stub the point keeps and
// the receipt the villager takes home), and the 不予受理告知书 for a refused request.
import { ESTIMATE_NOTE } from '../domain/calendarEstimate';
import QRCode from 'qrcode';
import {
  A4_PORTRAIT,
  cnDate,
  documentShell,
  esc,
  lineMm,
  pageNumber,
  renderDocument,
  standardHeader,
  STANDARD_HEADER_MM,
  tableAlone,
  textLines,
  type Cell,
  type Col,
} from './html';
import type { CasePrintData } from './data';
import { HANDLING_MODES, MATERIAL_STATES, labelOf } from '../domain/vocab';
import type { CaseMaterial } from '../domain/records';
import { AppError } from '../domain/errors';

export const RECEIPT_TITLE = '受理回执';
export const REFUSAL_TITLE = '不予受理告知书';

const S = A4_PORTRAIT;
const CONTENT_MM = S.widthMm - 2 * S.padSideMm;
const PAD_TOP = 8;
const PAD_BOTTOM = 5;
const PAGE_NO = 6;
const CUT_MM = 8;
const USABLE = S.heightMm - 0.6 - PAD_TOP - PAD_BOTTOM - PAGE_NO;

/** The case number as a QR code (inline SVG, no network), sized by its container. */
export async function qrSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  return svg.replace('<svg ', '<svg width="100%" height="100%" ');
}

const RECEIVED = new Set(['original', 'copy', 'both']);

function materialForm(m: CaseMaterial): string {
  return [m.form, m.copies ? `${m.copies}份` : ''].filter(Boolean).join(' ');
}

/** The 一次性告知 lines: every material still owed, with its promised date. */
export function owedMaterials(ms: CaseMaterial[]): string[] {
  return ms
    .filter((m) => m.state === 'deferred' || m.state === 'missing')
    .map((m, i) => {
      const what = `${i + 1}. ${m.name}${materialForm(m) ? `（${materialForm(m)}）` : ''}`;
      return m.state === 'deferred' && m.promisedDate
        ? `${what}：容缺受理，请于 ${cnDate(m.promisedDate)} 前补交`
        : `${what}：尚缺，请尽快补交`;
    });
}

type Part = { html: string; heightMm: number };

function paragraph(text: string, fontPt: number, extraStyle = ''): Part {
  const h = textLines(text, CONTENT_MM - 2, fontPt) * lineMm(fontPt) + 1;
  return { html: `<div style="font-size:${fontPt}pt;${extraStyle}">${esc(text).replace(/\n/g, '<br>')}</div>`, heightMm: h };
}

function receiptPart(d: CasePrintData, which: 'stub' | 'receipt', qr: string, compact: boolean): Part {
  const c = d.c;
  const a = c.applicant;
  const parts: Part[] = [];
  const head = `<div style="position:relative;height:24mm">
  <div style="position:absolute;left:0;top:0;font-size:9pt;border:0.3mm solid #000;padding:0.5mm 2mm">${which === 'stub' ? '第一联\u3000代办点留存' : '第二联\u3000申请人留存'}</div>
  <div class="unit" style="padding:0 26mm">${esc(d.point.unitName)}</div>
  <div class="title" style="font-size:17pt">${which === 'stub' ? '受理回执（存根）' : '受理回执\u3000一次性告知单'}</div>
  <div style="text-align:center;font-size:12pt;margin-top:1mm">件号：<b class="num">${esc(c.caseNo)}</b></div>
  <div style="position:absolute;right:0;top:0;width:22mm;height:22mm" title="件号二维码">${qr}</div>
</div>`;
  parts.push({ html: head, heightMm: 24 });

  const label = (s: string): Cell => ({ text: s, align: 'center', bold: true });
  const kvCols: Col[] = [
    { title: '', widthMm: 26 },
    { title: '', widthMm: 64 },
    { title: '', widthMm: 26 },
    { title: '', widthMm: 64 },
  ];
  const idLine = a.kind === 'org' ? ['信用代码', a.creditCodeMasked] : ['身份证号', a.idNumberMasked];
  const kv = tableAlone({
    kind: 'table',
    noHead: true,
    cols: kvCols,
    fontPt: 10,
    minRowMm: 6.5,
    rows: [
      [label('申请人'), a.name, label(idLine[0]), idLine[1]],
      [label('联系电话'), a.phoneMasked, label('受理日期'), cnDate(c.intakeDate)],
      [label('办理事项'), { text: `${c.itemName}${d.department ? `（${d.department}）` : ''}\u3000\u3000办理方式：${labelOf(HANDLING_MODES, c.handlingMode)}`, colspan: 3 }],
      [
        label('承诺办结日期'),
        {
          text: `${cnDate(c.dueDate)}（受理次日起 ${c.committedWorkdays} 个工作日${c.dueEstimated ? `，节假日安排未发布，${ESTIMATE_NOTE}` : ''}；补正材料等待的时间另计）`,
          colspan: 3,
        },
      ],
    ],
  });
  parts.push(kv);

  const received = c.materials.filter((m) => RECEIVED.has(m.state));
  if (compact) {
    const text = received.length
      ? `已收材料：${received.map((m) => `${m.name}（${MATERIAL_STATES[m.state].replace('已收', '')}${m.copies > 1 ? ` ${m.copies}份` : ''}）`).join('、')}`
      : '已收材料：无';
    parts.push(paragraph(text, 9.5, 'margin-top:1.5mm'));
  } else {
    const t = tableAlone({
      kind: 'table',
      cols: [
        { title: '序号', widthMm: 10, align: 'center' },
        { title: '材料名称', widthMm: 84 },
        { title: '要求', widthMm: 32, align: 'center' },
        { title: '收取情况', widthMm: 54, align: 'center' },
      ],
      fontPt: 9.5,
      minRowMm: 6,
      maxLines: 2,
      emptyText: '本事项未列材料',
      rows: c.materials.map((m, i) => [
        String(i + 1),
        m.name,
        materialForm(m),
        m.state === 'deferred' && m.promisedDate ? `容缺后补（${m.promisedDate} 前）` : MATERIAL_STATES[m.state],
      ]),
    });
    parts.push({ html: `<div style="margin-top:1.5mm">${t.html}</div>`, heightMm: t.heightMm + 1.5 });
  }

  const owed = owedMaterials(c.materials);
  const noticeText = owed.length
    ? `一次性告知：经核对，您还需补交以下材料，请在约定日期前送到本代办点（逾期未补交的，将影响办理）：\n${owed.join('\n')}`
    : '一次性告知：经核对，本事项所需材料已收齐，无需补交其他材料。';
  const notice = paragraph(noticeText, 10);
  parts.push({
    html: `<div style="margin-top:1.5mm;border:0.3mm solid #000;padding:1mm 2mm">${notice.html}</div>`,
    heightMm: notice.heightMm + 4.5,
  });

  const contacts = `代办员：${d.agent.name}\u3000联系电话：${d.agent.phone || '—'}\u3000\u3000咨询电话：${d.point.consultPhone || '—'}\u3000\u3000投诉电话：${d.point.complaintPhone || '—'}`;
  parts.push(paragraph(contacts, 10, 'margin-top:1.5mm'));
  if (which === 'receipt') {
    parts.push(paragraph('凭本回执查询办理进度、领取办理结果。代办点一周内告知办理进度，办结后两周内回访。', 9.5));
  }
  const sign =
    which === 'stub'
      ? `<div class="sign" style="margin-top:3mm"><span>申请人（签字）：<span class="line"></span></span><span>代办员（签字）：<span class="line"></span></span><span>日期：${esc(cnDate(c.intakeDate))}</span></div>`
      : `<div class="sign" style="margin-top:3mm"><span>代办员（签字）：<span class="line"></span></span><span>（代办点盖章）</span><span>打印日期：${esc(cnDate(d.today))}</span></div>`;
  parts.push({ html: sign, heightMm: 10 });
  return { html: parts.map((p) => p.html).join(''), heightMm: parts.reduce((s, p) => s + p.heightMm, 0) };
}

const CUT_LINE = `<div style="height:${CUT_MM}mm;display:flex;align-items:center;gap:2mm;font-size:9pt;color:#333">
<span style="flex:1;border-top:0.4mm dashed #000"></span><span>✂ 沿此线剪开\u3000上联代办点留存\u3000下联交申请人</span><span style="flex:1;border-top:0.4mm dashed #000"></span></div>`;

function sheet(inner: string, n: number, of: number): string {
  return `<section class="page" style="padding:${PAD_TOP}mm ${S.padSideMm}mm ${PAD_BOTTOM}mm">
<div class="body">${inner}</div>
<div class="pageno">${pageNumber(n, of)}</div>
</section>`;
}

export type ReceiptLayout = 'oneSheet' | 'twoPages';

/** 受理回执 + 一次性告知单: both parts on one sheet with a cut line, or (many materials) a page each. */
export async function renderReceipt(d: CasePrintData): Promise<{ html: string; layout: ReceiptLayout }> {
  if (d.c.status === 'refusedIntake') {
    throw new AppError('refused', '这件申请登记为不予受理，请打印《不予受理告知书》');
  }
  const qr = await qrSvg(d.c.caseNo);
  const half = (USABLE - CUT_MM) / 2;
  const title = `${RECEIPT_TITLE}（${d.c.caseNo}）`;
  for (const compact of [false, true]) {
    const stub = receiptPart(d, 'stub', qr, compact);
    const rec = receiptPart(d, 'receipt', qr, compact);
    if (stub.heightMm <= half && rec.heightMm <= half) {
      const inner = `<div style="height:${half}mm;overflow:hidden">${stub.html}</div>${CUT_LINE}<div style="height:${half}mm;overflow:hidden">${rec.html}</div>`;
      return { html: documentShell(title, false, S, sheet(inner, 1, 1)), layout: 'oneSheet' };
    }
  }
  const stub = receiptPart(d, 'stub', qr, true);
  const rec = receiptPart(d, 'receipt', qr, true);
  const pages = sheet(stub.html, 1, 2) + sheet(rec.html, 2, 2);
  return { html: documentShell(title, false, S, pages), layout: 'twoPages' };
}

/** 不予受理告知书, with a 送达回执 slip under a cut line for the applicant's signature. */
export function renderRefusal(d: CasePrintData): string {
  const c = d.c;
  if (c.status !== 'refusedIntake') throw new AppError('refused', '这件代办件已受理，不需要《不予受理告知书》');
  const a = c.applicant;
  const id = a.kind === 'org' ? (a.creditCodeMasked ? `（统一社会信用代码：${a.creditCodeMasked}）` : '') : a.idNumberMasked ? `（身份证号：${a.idNumberMasked}）` : '';
  const fontPt = 12;
  const paras = [
    `${a.name}${id}：`,
    `\u3000\u3000您于${cnDate(c.intakeDate)}申请办理“${c.itemName}”事项。经审核，该申请不符合受理条件，本代办点决定不予受理。理由如下：`,
    `\u3000\u3000${c.refusalReason}`,
    `\u3000\u3000如有疑问，请拨打咨询电话 ${d.point.consultPhone || '—'}；如对本告知有异议，可拨打投诉电话 ${d.point.complaintPhone || '—'}，或向${d.point.townshipName}便民服务中心反映。`,
    '\u3000\u3000特此告知。',
  ];
  const textMm = paras.reduce((s, p) => s + textLines(p, CONTENT_MM - 2, fontPt) * lineMm(fontPt) + 2, 0);
  const body = `<div style="font-size:${fontPt}pt;line-height:1.4">${paras.map((p) => `<p style="margin:0 0 2mm">${esc(p)}</p>`).join('')}</div>
<div style="margin:8mm 0 0 95mm;font-size:12pt;line-height:2.2">
<div>代办员（签字）：<span style="display:inline-block;border-bottom:0.3mm solid #000;width:40mm"></span></div>
<div>${esc(d.point.unitName)}（盖章）</div>
<div>${esc(cnDate(c.intakeDate))}</div></div>`;
  const slip = `<div class="title" style="font-size:14pt;margin-top:2mm">送达回执</div>
<div style="font-size:11pt;margin-top:3mm">本人已收到${esc(d.point.unitName)}《不予受理告知书》（编号：<span class="num">${esc(c.caseNo)}</span>）。</div>
<div class="sign" style="margin-top:8mm"><span>申请人（签字）：<span class="line"></span></span><span>签收日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日</span></div>
<div class="sign" style="margin-top:5mm"><span>送达人（代办员）：<span class="line"></span></span><span></span></div>`;
  return renderDocument(
    {
      title: `${REFUSAL_TITLE}（${c.caseNo}）`,
      landscape: false,
      size: S,
      parts: {
        header: () => standardHeader(d.point.unitName, REFUSAL_TITLE, `编号：${c.caseNo}`, `日期：${cnDate(c.intakeDate)}`),
        headerMm: STANDARD_HEADER_MM + 4,
      },
      blocks: [
        { kind: 'html', html: body, heightMm: Math.max(110, textMm + 45) },
        { kind: 'html', html: `${CUT_LINE.replace('上联代办点留存\u3000下联交申请人', '上联交申请人\u3000下联（送达回执）由代办点留存')}${slip}`, heightMm: 72 },
      ],
    },
    undefined,
  );
}
