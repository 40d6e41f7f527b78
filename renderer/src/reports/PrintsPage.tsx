// 打印台账: choose a print and a month (or a case), see it exactly as it will come out of the
// printer, then print it, save it as PDF, or export the ledger to Excel.
import { FileExcelOutlined, FilePdfOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Spin, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { chinaToday } from '../format';
import { errorText, showError, showSuccess } from '../notify';
import { navigate, useRoute } from '../components/routing';
import { choosePrinter, chosenPrinter, downloadBase64, isElectron, PDF_TYPE, XLSX_TYPE, type PrintInput } from './printing';

type Kind = PrintInput['kind'];

const KINDS: { value: Kind; label: string; needs: 'month' | 'case' }[] = [
  { value: 'ledger', label: '《行政服务代办记录》（月度台账，横向）', needs: 'month' },
  { value: 'visitBook', label: '《来信来访登记簿》（月度，横向）', needs: 'month' },
  { value: 'monthlyStats', label: '月度统计表（周上报、月会商）', needs: 'month' },
  { value: 'receipt', label: '受理回执 + 一次性告知单', needs: 'case' },
  { value: 'refusal', label: '不予受理告知书', needs: 'case' },
  { value: 'caseRecord', label: '代办件记录（归档）', needs: 'case' },
];

type Doc = { html: string; title: string; landscape: boolean };

function isKind(v: string | null): v is Kind {
  return KINDS.some((k) => k.value === v);
}

export function PrintsPage() {
  const loc = useRoute();
  const q = loc.query;
  const kind: Kind = isKind(q.get('kind')) ? (q.get('kind') as Kind) : 'ledger';
  const month = /^\d{4}-\d{2}$/.test(q.get('month') ?? '') ? q.get('month')! : chinaToday().slice(0, 7);
  const caseId = q.get('case') ?? '';
  const needs = KINDS.find((k) => k.value === kind)!.needs;

  const [caseNo, setCaseNo] = useState(q.get('caseNo') ?? '');
  const [doc, setDoc] = useState<Doc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<'print' | 'pdf' | 'xlsx' | null>(null);
  const [printers, setPrinters] = useState<{ name: string; isDefault: boolean }[] | null>(null);
  const [printer, setPrinter] = useState(chosenPrinter());
  const frame = useRef<HTMLIFrameElement>(null);

  const setQuery = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(q);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    navigate(`/prints?${next.toString()}`, { replace: true });
  };

  const input: PrintInput | null = needs === 'month' ? { kind, month } : caseId ? { kind, caseId } : null;
  const inputKey = JSON.stringify(input);

  const load = useCallback(async () => {
    const i = JSON.parse(inputKey) as PrintInput | null;
    if (!i) {
      setDoc(null);
      setError(null);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      setDoc(await api.renderPrint(i));
    } catch (e) {
      setDoc(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [inputKey]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!isElectron()) return;
    api
      .printers({})
      .then(setPrinters)
      .catch(() => setPrinters([]));
  }, []);

  async function findCase() {
    const no = caseNo.trim();
    if (!no) return;
    try {
      const c = await api.getCaseByNumber({ caseNo: no });
      setQuery({ case: c.id, caseNo: c.caseNo });
    } catch (e) {
      showError(e);
    }
  }

  async function print() {
    if (!input || !doc) return;
    setBusy('print');
    try {
      if (isElectron()) {
        const r = await api.printHtml({ ...input, printer });
        showSuccess(`已发送到打印机：${r.printer}`);
      } else {
        const w = frame.current?.contentWindow;
        if (!w) throw new Error('预览尚未就绪，请稍候再试。');
        w.focus();
        w.print();
      }
    } catch (e) {
      showError(e, '打印失败');
    } finally {
      setBusy(null);
    }
  }

  async function savePdf() {
    if (!input) return;
    setBusy('pdf');
    try {
      const f = await api.savePdf(input);
      downloadBase64(f.fileName, f.base64, PDF_TYPE);
      showSuccess(`已保存 ${f.fileName}`);
    } catch (e) {
      showError(e, '保存PDF失败');
    } finally {
      setBusy(null);
    }
  }

  async function exportXlsx() {
    setBusy('xlsx');
    try {
      const f = await api.exportXlsx(kind === 'ledger' ? { kind: 'ledger', month } : { kind: 'statistics', month });
      downloadBase64(f.fileName, f.base64, XLSX_TYPE);
      showSuccess(`已导出 ${f.fileName}`);
    } catch (e) {
      showError(e, '导出失败');
    } finally {
      setBusy(null);
    }
  }

  return (
    <div>
      <PageTitle title="打印台账" />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size="middle" align="center">
          <Select<Kind>
            value={kind}
            style={{ width: 340 }}
            options={KINDS.map((k) => ({ value: k.value, label: k.label }))}
            onChange={(v) => setQuery({ kind: v })}
            aria-label="打印内容"
            data-testid="print-kind"
          />
          {needs === 'month' ? (
            <DatePicker
              picker="month"
              allowClear={false}
              value={dayjs(`${month}-01`)}
              format="YYYY年M月"
              onChange={(d) => d && setQuery({ month: d.format('YYYY-MM') })}
              aria-label="月份"
              data-testid="print-month"
            />
          ) : (
            <Space.Compact>
              <Input
                style={{ width: 280 }}
                placeholder="输入件号，如 150822101201-20261120-001"
                value={caseNo}
                onChange={(e) => setCaseNo(e.target.value)}
                onPressEnter={() => void findCase()}
                aria-label="件号"
              />
              <Button onClick={() => void findCase()}>查找</Button>
            </Space.Compact>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} disabled={!input}>
            刷新
          </Button>
        </Space>
        <div style={{ marginTop: 12, display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
          {isElectron() && printers && (
            <Select
              value={printer}
              style={{ width: 260 }}
              onChange={(v) => {
                setPrinter(v);
                choosePrinter(v);
              }}
              options={[
                { value: '', label: '系统默认打印机' },
                ...printers.map((p) => ({ value: p.name, label: `${p.name}${p.isDefault ? '（默认）' : ''}` })),
              ]}
              aria-label="打印机"
            />
          )}
          <Button type="primary" size="large" icon={<PrinterOutlined />} disabled={!doc} loading={busy === 'print'} onClick={() => void print()} data-testid="print-now">
            打印
          </Button>
          <Button size="large" icon={<FilePdfOutlined />} disabled={!doc} loading={busy === 'pdf'} onClick={() => void savePdf()} data-testid="save-pdf">
            保存为PDF
          </Button>
          {(kind === 'ledger' || kind === 'monthlyStats') && (
            <Tooltip title={kind === 'ledger' ? '导出本月台账，可在Excel中筛选、汇总' : '导出本月统计（总体、分项、差评）'}>
              <Button size="large" icon={<FileExcelOutlined />} loading={busy === 'xlsx'} onClick={() => void exportXlsx()} data-testid="export-xlsx">
                导出Excel
              </Button>
            </Tooltip>
          )}
          {!isElectron() && <span className="text-muted">浏览器版：点“打印”后在打印对话框中选择打印机，纸张选A4、边距选“无”或“默认”。</span>}
        </div>
      </Card>
      {error && <Alert type="warning" showIcon message={error} style={{ marginBottom: 12 }} />}
      {!input && needs === 'case' && <Alert type="info" showIcon message="请输入件号查找代办件；也可以在代办件详情页直接打印。" />}
      <Spin spinning={loading}>
        {doc && (
          <iframe
            ref={frame}
            title={`打印预览：${doc.title}`}
            srcDoc={doc.html}
            sandbox="allow-same-origin allow-modals"
            data-testid="print-preview"
            style={{ width: '100%', height: 'calc(100vh - 250px)', minHeight: 420, border: '1px solid #d0d5dd', background: '#8a8f98', borderRadius: 4 }}
          />
        )}
      </Spin>
    </div>
  );
}
