// 代办件记录: one case's whole record and timeline, printed for the archive (归档).
import { A4_PORTRAIT, cnDate, renderDocument, signatureRow, standardHeader, STANDARD_HEADER_MM, type Cell, type Col, type Document } from './html';
import type { CasePrintData } from './data';
import { ratingLabel } from './data';
import { CASE_STATUSES } from '../domain/caseStatus';
import {
  CUSTODY_STATES,
  DECISIONS,
  DELIVERY_METHODS,
  FOLLOWUP_KINDS,
  FOLLOWUP_METHODS,
  HANDLING_MODES,
  MATERIAL_STATES,
  labelOf,
} from '../domain/vocab';
import { chinaDate, chinaTime } from '../db/clock';

export const CASE_RECORD_TITLE = '代办件记录';

const KV_COLS: Col[] = [
  { title: '项目', widthMm: 25, align: 'center' },
  { title: '内容', widthMm: 65 },
  { title: '项目', widthMm: 25, align: 'center' },
  { title: '内容', widthMm: 65 },
];

export function instantText(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${chinaDate(ms)} ${chinaTime(ms)}`;
}

export function caseRecordDocument(d: CasePrintData): Document {
  const c = d.c;
  const a = c.applicant;
  const label = (s: string): Cell => ({ text: s, align: 'center', bold: true });
  const wide = (s: string): Cell => ({ text: s, colspan: 3 });
  const idLine = a.kind === 'org' ? ['统一社会信用代码', a.creditCodeMasked] : ['身份证号', a.idNumberMasked];
  const kv: Cell[][] = [
    [label('件号'), c.caseNo, label('当前状态'), CASE_STATUSES[c.status]],
    [label('申请人'), a.name, label(idLine[0]), idLine[1]],
    [label('联系电话'), a.phoneMasked, label('住址'), [a.villageGroup, a.address].filter(Boolean).join(' ')],
    [label('办理事项'), wide(`${c.itemName}（${c.itemCode}）${d.department ? `\u3000办理部门：${d.department}` : ''}`)],
    [label('办理方式'), labelOf(HANDLING_MODES, c.handlingMode), label('承诺时限'), `${c.committedWorkdays} 个工作日${c.waitingWorkdays ? `（等待补正 ${c.waitingWorkdays} 个工作日）` : ''}`],
    [label('受理日期'), `${cnDate(c.intakeDate)}${c.backfilled ? '（补录）' : ''}`, label('承诺办结日期'), c.status === 'refusedIntake' ? '' : `${cnDate(c.dueDate)}${c.dueEstimated ? '（估算）' : ''}`],
    [label('报送单位'), c.handedTo, label('报送日期'), cnDate(c.handedAt)],
    [label('办理结果'), c.decision ? DECISIONS[c.decision] : '', label('办结日期'), cnDate(c.decisionDate)],
    [label('送达方式'), c.deliveryMethod ? `${DELIVERY_METHODS[c.deliveryMethod]}${c.deliveredTo ? `（${c.deliveredTo}）` : ''}` : '', label('送达日期'), cnDate(c.deliveredAt)],
    [label('受理代办员'), d.agent.name, label('登记'), `${instantText(c.createdAt)} ${c.createdByName}`],
  ];
  if (c.decisionNote) kv.push([label('结果说明'), wide(c.decisionNote)]);
  if (c.refusalReason) kv.push([label('不予受理理由'), wide(c.refusalReason)]);
  if (c.withdrawReason) kv.push([label('撤回原因'), wide(c.withdrawReason)]);
  if (c.note) kv.push([label('备注'), wide(c.note)]);

  const materials: Cell[][] = c.materials.map((m) => [
    String(m.position),
    m.name,
    [m.form, m.copies ? `${m.copies}份` : ''].filter(Boolean).join(' '),
    MATERIAL_STATES[m.state],
    m.promisedDate ?? '',
    m.custody === 'none' ? '' : CUSTODY_STATES[m.custody],
  ]);
  const timeline: Cell[][] = c.timeline.map((e) => [instantText(e.at), e.label, e.agentName, e.note]);
  const followups: Cell[][] = c.followups.map((f) => [
    f.followDate,
    FOLLOWUP_KINDS[f.kind],
    FOLLOWUP_METHODS[f.method],
    f.reached ? '是' : '否',
    ratingLabel(f.rating),
    [f.efficiency && `效率:${ratingLabel(f.efficiency)}`, f.serviceLevel && `水平:${ratingLabel(f.serviceLevel)}`, f.attitude && `态度:${ratingLabel(f.attitude)}`]
      .filter(Boolean)
      .join(' '),
    f.comment,
    f.agentName,
  ]);
  const rects: Cell[][] = c.rectifications.map((r) => [r.openedDate, r.dueDate, r.status === 'closed' ? '已整改' : r.overdue ? '超期未整改' : '整改中', r.actionNote, r.closedDate ?? '']);

  const blocks: Document['blocks'] = [
    { kind: 'table', caption: '一、基本情况', cols: KV_COLS, rows: kv, fontPt: 10, minRowMm: 7.5, noHead: true, maxLines: 10 },
    {
      kind: 'table',
      caption: '二、材料收取情况',
      cols: [
        { title: '序号', widthMm: 10, align: 'center' },
        { title: '材料名称', widthMm: 54 },
        { title: '形式/份数', widthMm: 32, align: 'center' },
        { title: '收取情况', widthMm: 31, align: 'center' },
        { title: '承诺补交日期', widthMm: 24, align: 'center' },
        { title: '原件保管', widthMm: 29, align: 'center' },
      ],
      rows: materials,
      fontPt: 9.5,
      minRowMm: 6.5,
      emptyText: '未登记材料',
    },
    {
      kind: 'table',
      caption: '三、办理过程',
      cols: [
        { title: '时间', widthMm: 36, align: 'center' },
        { title: '环节', widthMm: 30, align: 'center' },
        { title: '经办人', widthMm: 20, align: 'center' },
        { title: '说明', widthMm: 94 },
      ],
      rows: timeline,
      fontPt: 9.5,
      minRowMm: 6.5,
    },
    {
      kind: 'table',
      caption: '四、反馈与回访',
      cols: [
        { title: '日期', widthMm: 23.5, align: 'center' },
        { title: '类别', widthMm: 26, align: 'center' },
        { title: '方式', widthMm: 12, align: 'center' },
        { title: '联系上', widthMm: 13, align: 'center' },
        { title: '满意度', widthMm: 21, align: 'center' },
        { title: '分项评价', widthMm: 30 },
        { title: '意见', widthMm: 36.5 },
        { title: '回访人', widthMm: 18, align: 'center' },
      ],
      rows: followups,
      fontPt: 9.5,
      minRowMm: 6.5,
      emptyText: '尚无反馈或回访记录',
    },
  ];
  if (rects.length) {
    blocks.push({
      kind: 'table',
      caption: '五、差评整改',
      cols: [
        { title: '立项日期', widthMm: 24, align: 'center' },
        { title: '整改期限', widthMm: 24, align: 'center' },
        { title: '状态', widthMm: 22, align: 'center' },
        { title: '整改情况', widthMm: 86 },
        { title: '完成日期', widthMm: 24, align: 'center' },
      ],
      rows: rects,
      fontPt: 9.5,
      minRowMm: 6.5,
    });
  }
  return {
    title: `${CASE_RECORD_TITLE}（${c.caseNo}）`,
    landscape: false,
    size: A4_PORTRAIT,
    parts: {
      header: () => standardHeader(d.point.unitName, CASE_RECORD_TITLE, `件号：${c.caseNo}`, `打印日期：${cnDate(d.today)}`),
      headerMm: STANDARD_HEADER_MM,
      closing: signatureRow(['代办员（签字）', '审核人（乡镇）'], '归档日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      closingMm: 10,
    },
    blocks,
  };
}

export function renderCaseRecord(d: CasePrintData): string {
  return renderDocument(caseRecordDocument(d));
}
