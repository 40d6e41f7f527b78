// 打印: for one village or a whole township and a month, the 《行政服务代办记录》 and 《来信来访登记簿》
// (the village's own A4 layouts), the township summary sheet with signature lines, and the monthly
// statistics sheet — as PDF files made by the county service, to print and sign.
import { FilePdfOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { PageTitle } from '../../src/components/PageTitle';
import { errorText, showSuccess } from '../../src/notify';
import { fetchFile, saveFile, type FileAnswer } from '../api';
import { PointSelect, TownshipSelect } from '../components/ScopeSelect';
import { useConsole } from '../session';

type Kind = 'ledger' | 'visitBook' | 'townshipSummary' | 'countyStatistics';
const KINDS: { value: Kind; label: string; hint: string }[] = [
  { value: 'ledger', label: '《行政服务代办记录》', hint: '月度台账，A4 横向，与代办点打印的一致' },
  { value: 'visitBook', label: '《来信来访登记簿》', hint: '月度，A4 横向' },
  { value: 'townshipSummary', label: '乡镇汇总表', hint: '各村本月办件情况，带签字栏（只能按乡镇）' },
  { value: 'countyStatistics', label: '月度统计表', hint: '受理、办结、按时办结率、超期、回访率、满意率' },
];

export function CountyPrintsPage() {
  const { me, scope } = useConsole();
  const [kind, setKind] = useState<Kind>('ledger');
  const [townshipCode, setTownship] = useState<string | undefined>(me.townshipCode ?? undefined);
  const [pointCode, setPoint] = useState<string | undefined>();
  const [month, setMonth] = useState<Dayjs>(dayjs(scope.today).startOf('month'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<(FileAnswer & { url: string }) | null>(null);

  useEffect(() => () => {
    if (last) URL.revokeObjectURL(last.url);
  }, [last]);

  const m = month.format('YYYY-MM');
  const needTownship = kind === 'townshipSummary';
  const missing = kind === 'countyStatistics' ? null : needTownship ? (townshipCode ? null : '请选择乡镇') : townshipCode || pointCode ? null : '请选择村或乡镇';

  async function make() {
    if (missing) {
      setError(missing);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const where = pointCode && !needTownship ? { pointCode } : { townshipCode };
      const f =
        kind === 'ledger'
          ? await fetchFile('printLedger', { ...where, month: m }, `行政服务代办记录-${m}.pdf`)
          : kind === 'visitBook'
            ? await fetchFile('printVisitBook', { ...where, month: m }, `来信来访登记簿-${m}.pdf`)
            : kind === 'townshipSummary'
              ? await fetchFile('printTownshipSummary', { townshipCode: townshipCode!, month: m }, `乡镇汇总表-${m}.pdf`)
              : await fetchFile('printCountyStatistics', { ...where, month: m }, `月度统计表-${m}.pdf`);
      saveFile(f);
      setLast({ ...f, url: URL.createObjectURL(f.blob) });
      showSuccess(`已保存 ${f.fileName}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <PageTitle title="打印" />
      <Card size="small" style={{ maxWidth: 880 }}>
        <Form layout="horizontal" labelCol={{ flex: '96px' }} onFinish={() => void make()}>
          <Form.Item label="打印内容">
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              {KINDS.map((k) => (
                <Radio key={k.value} value={k.value}>
                  <b>{k.label}</b> <span className="text-muted">{k.hint}</span>
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item label="范围">
            <Space wrap>
              {me.role !== 'township' && (
                <TownshipSelect
                  value={townshipCode}
                  onChange={(v) => {
                    setTownship(v);
                    setPoint(undefined);
                  }}
                  style={{ width: 170 }}
                  placeholder={kind === 'countyStatistics' ? '全县' : '选择乡镇'}
                />
              )}
              {!needTownship && <PointSelect value={pointCode} townshipCode={townshipCode} onChange={setPoint} style={{ width: 230 }} placeholder="整个乡镇（或选一个村）" />}
            </Space>
          </Form.Item>
          <Form.Item label="月份">
            <DatePicker picker="month" value={month} allowClear={false} format="YYYY年M月" onChange={(d) => d && setMonth(d)} aria-label="月份" data-testid="print-month" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="print-error" />}
          <Space>
            <Button type="primary" htmlType="submit" icon={<FilePdfOutlined />} loading={busy} size="large" data-testid="save-pdf">
              生成并保存PDF
            </Button>
            {last && (
              <Button icon={<FolderOpenOutlined />} href={last.url} target="_blank" rel="noopener">
                打开 {last.fileName}
              </Button>
            )}
          </Space>
        </Form>
      </Card>
    </div>
  );
}
