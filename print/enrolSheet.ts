// 代办点登记单: the A4 sheet the county hands over with a laptop (or sends to the township) so the
// point can enrol: the one-time code large, the county's address, a QR code holding both (what the
// village's enrolment screen reads), the expiry, three steps and the hand-over signatures.
import { A4_PORTRAIT, FONT_SANS, cnDate, esc, renderDocument, signatureRow, standardHeader, STANDARD_HEADER_MM, type Document } from './html';
import { qrSvg } from './receipt';

export type EnrolSheetData = {
  countyName: string;
  townshipName: string;
  villageName: string;
  pointCode: string;
  /** XXXX-XXXX-XXXX-XXXX, single use. */
  code: string;
  countyUrl: string;
  /** ISO time the code stops working. */
  expiresAt: string;
  /** 'YYYY-MM-DD', China date of printing. */
  today: string;
};

/** What the QR code holds: the same JSON the console's on-screen QR shows ({ url, code }). */
export function enrolQrText(d: Pick<EnrolSheetData, 'countyUrl' | 'code'>): string {
  return JSON.stringify({ url: d.countyUrl, code: d.code });
}

function chinaTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${cnDate(t.slice(0, 10))} ${t.slice(11, 16)}`;
}

export async function enrolSheetHtml(d: EnrolSheetData): Promise<string> {
  const qr = await qrSvg(enrolQrText(d));
  const row = (k: string, v: string) => `<tr><th style="width:42mm">${esc(k)}</th><td class="a-left" style="font-size:12.5pt">${v}</td></tr>`;
  const body = `
<div style="font-size:12.5pt;margin-top:6mm">登记码（只能使用一次）：</div>
<div class="enrol-code" style="font-family:Consolas,'Courier New',monospace;font-size:30pt;font-weight:bold;letter-spacing:2pt;text-align:center;border:0.6mm solid #000;padding:5mm 0;margin:3mm 0 7mm">${esc(d.code)}</div>
<table class="grid" style="width:100%">
${row('代办点', esc(`${d.townshipName}${d.villageName}`))}
${row('区划代码', `<span style="font-family:Consolas,monospace">${esc(d.pointCode)}</span>`)}
${row('县级中心地址', `<span style="font-family:Consolas,monospace;word-break:break-all">${esc(d.countyUrl || '（未设置：请向县政务服务中心询问）')}</span>`)}
${row('有效期至', esc(chinaTime(d.expiresAt)))}
</table>
<div style="display:flex;gap:8mm;align-items:center;margin-top:8mm">
  <div style="width:50mm;height:50mm;flex:none" title="登记二维码">${qr}</div>
  <ol style="font-size:12pt;line-height:1.9;margin:0;padding-left:6mm;font-family:${FONT_SANS}">
    <li>在代办点电脑上打开代办通，进入“同步”页面，点“用登记码登记”。</li>
    <li>填写上面的县级中心地址和登记码（或扫描左边的二维码核对）。</li>
    <li>登记成功后，这台电脑的记录自动同步到县级中心。登记码用过即作废，过期未用请向县里重新申领。</li>
  </ol>
</div>
<div style="font-size:10pt;margin-top:6mm">请妥善保管本单：登记码相当于这台电脑接入县级中心的凭据，不要拍照外传。</div>`;
  const doc: Document = {
    title: `代办点登记单（${d.villageName}）`,
    landscape: false,
    size: A4_PORTRAIT,
    parts: {
      header: () => standardHeader(`${d.countyName}政务服务中心`, '代办点登记单', `${d.townshipName}${d.villageName}便民服务代办点`, `打印日期：${cnDate(d.today)}`),
      headerMm: STANDARD_HEADER_MM,
      closing: signatureRow(['发放人', '领取人'], '日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      closingMm: 12,
    },
    blocks: [{ kind: 'html', html: body, heightMm: 190 }],
  };
  return renderDocument(doc);
}
