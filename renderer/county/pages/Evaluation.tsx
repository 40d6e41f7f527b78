// 考评与周报. 月度考评: every point's month scored from the shared statistics definitions (按时办结率,
// 超期, 回访率, 满意率, 即办率) with the weights the county sets, ranked within its township; the
// township's best point carries the month's 流动红旗, a point below 60 is lagging and gets a warning
// (composed by the server from its weak figures) that shows on the village's 今日 after its next sync.
// 周报 (日查询、周上报): each village's week from the synced records, printable as PDF.
import { AlertOutlined, FilePdfOutlined, FlagFilled, SettingOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Form, InputNumber, Modal, Popconfirm, Space, Switch, Table, Tabs, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { formatRate } from '../../../domain/statistics';
import { PageTitle } from '../../src/components/PageTitle';
import { errorText, showError, showSuccess } from '../../src/notify';
import { call, fetchFile, saveFile, type Evaluation, type EvaluationRow, type EvaluationWeights, type WeeklyReport, type WeeklyRow } from '../api';
import { TownshipSelect } from '../components/ScopeSelect';
import { useCan, useConsole } from '../session';

const WEIGHT_LABELS: Record<keyof EvaluationWeights, string> = {
  onTimeRate: '按时办结率',
  overdue: '超期件数',
  returnVisitRate: '回访率',
  satisfactionRate: '满意率',
  immediateRate: '即办率',
};

export function EvaluationPage() {
  return (
    <div>
      <PageTitle title="考评与周报" />
      <Tabs
        destroyOnHidden
        items={[
          { key: 'month', label: '月度考评', children: <MonthlyEvaluation /> },
          { key: 'week', label: '周报', children: <WeeklyReportTab /> },
        ]}
      />
    </div>
  );
}

function WeightsModal({ open, weights, onClose, onSaved }: { open: boolean; weights: EvaluationWeights; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<EvaluationWeights>();
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) as EvaluationWeights | undefined;
  const sum = values ? Object.values(values).reduce((a: number, b) => a + (typeof b === 'number' ? b : 0), 0) : 0;
  async function save() {
    const v = await form.validateFields();
    setError(null);
    try {
      await call('setEvaluationWeights', v);
      showSuccess('考评权重已保存，本月和以往月份的得分按新权重重算');
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <Modal open={open} title="考评权重" okText="保存" cancelText="取消" onOk={() => void save()} onCancel={onClose} destroyOnHidden width={480}>
      <p className="text-muted" style={{ marginTop: 0 }}>
        每项 0–100，得分 = 各项得分率按权重加权（满分 100 分）。没有可计算的件时该项按满分计；超期按超期件数占受理件数扣分。
      </p>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="horizontal" labelCol={{ flex: '120px' }} initialValues={weights} preserve={false}>
        {(Object.keys(WEIGHT_LABELS) as (keyof EvaluationWeights)[]).map((k) => (
          <Form.Item key={k} label={WEIGHT_LABELS[k]} name={k} rules={[{ required: true, type: 'number', min: 0, max: 100, message: '请填写 0–100 的数' }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: 120 }} id={`weight-${k}`} />
          </Form.Item>
        ))}
      </Form>
      <div>
        权重合计：<b data-testid="weights-sum">{sum}</b>
        {sum <= 0 && <span className="text-danger">（合计必须大于 0）</span>}
      </div>
    </Modal>
  );
}

function MonthlyEvaluation() {
  const { me, scope } = useConsole();
  const canWarn = useCan('evaluate');
  const canWeights = useCan('evaluationWeights');
  const [month, setMonth] = useState<Dayjs>(dayjs(scope.today).startOf('month'));
  const [townshipCode, setTownship] = useState<string | undefined>();
  const [data, setData] = useState<Evaluation | null>(null);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState(false);
  const [warning, setWarning] = useState(false);
  const m = month.format('YYYY-MM');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call('evaluation', { month: m, townshipCode }));
    } catch (e) {
      showError(e, '读取考评失败');
    } finally {
      setLoading(false);
    }
  }, [m, townshipCode]);

  useEffect(() => {
    void load();
  }, [load]);

  async function toggleAuto(on: boolean) {
    try {
      const r = await call('setAutoWarn', { on });
      showSuccess(r.on ? '已开启：每月1日起自动向上月落后的代办点发预警' : '已关闭每月自动预警');
      await load();
    } catch (e) {
      showError(e, '设置失败');
    }
  }

  const lagging = data?.townships.flatMap((t) => t.rows.filter((r) => r.lagging && !r.warned)) ?? [];

  async function warnAll() {
    setWarning(true);
    try {
      const r = await call('warnLagging', { month: m, townshipCode });
      showSuccess(r.sent.length ? `已向 ${r.sent.length} 个代办点发出考评预警，代办点下次同步后在“今日”页面看到` : '没有需要预警的代办点');
      await load();
    } catch (e) {
      showError(e, '发出预警失败');
    } finally {
      setWarning(false);
    }
  }

  const columns: ColumnsType<EvaluationRow> = [
    { title: '名次', dataIndex: 'rankInTownship', width: 64, align: 'center' },
    {
      title: '代办点',
      dataIndex: 'villageName',
      width: 150,
      render: (v: string, r) => (
        <span className="nowrap">
          {v}
          {r.redFlag && (
            <Tag color="red" icon={<FlagFilled />} style={{ marginInlineStart: 6 }} data-testid="red-flag">
              流动红旗
            </Tag>
          )}
        </span>
      ),
    },
    { title: '得分', dataIndex: 'score', width: 80, align: 'right', render: (v: number, r) => <b className={r.lagging ? 'text-danger' : undefined}>{v.toFixed(1)}</b> },
    { title: '受理', width: 64, align: 'right', render: (_: unknown, r) => r.figures.accepted },
    { title: '办结', width: 64, align: 'right', render: (_: unknown, r) => r.figures.completed },
    { title: '按时办结率', width: 104, align: 'right', render: (_: unknown, r) => formatRate(r.figures.onTimeRate) },
    { title: '超期', width: 64, align: 'right', render: (_: unknown, r) => (r.figures.overdue ? <span className="text-danger">{r.figures.overdue}</span> : 0) },
    { title: '回访率', width: 84, align: 'right', render: (_: unknown, r) => formatRate(r.figures.returnVisitRate) },
    { title: '满意率', width: 84, align: 'right', render: (_: unknown, r) => formatRate(r.figures.satisfactionRate) },
    { title: '即办率', width: 84, align: 'right', render: (_: unknown, r) => formatRate(r.figures.immediateRate) },
    {
      title: '预警',
      width: 130,
      render: (_: unknown, r) =>
        r.warned ? (
          <Tag color="orange">已发预警</Tag>
        ) : r.lagging ? (
          <Tag color="red" data-testid="lagging">
            落后（低于 60 分）
          </Tag>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker picker="month" value={month} allowClear={false} format="YYYY年M月" onChange={(d) => d && setMonth(d)} aria-label="考评月份" data-testid="evaluation-month" />
        {me.role !== 'township' && <TownshipSelect value={townshipCode} onChange={setTownship} style={{ width: 170 }} />}
        {canWeights && (
          <Button icon={<SettingOutlined />} onClick={() => setEditing(true)} disabled={!data} data-testid="edit-weights">
            考评权重
          </Button>
        )}
        {canWeights && data && (
          <Tooltip title="开启后，每月1日起县级服务自动向上个月得分低于 60 分、尚未预警的代办点发出预警（每月一次）">
            <span className="nowrap">
              <Switch checked={!!data.autoWarn} onChange={(v) => void toggleAuto(v)} aria-label="每月自动预警" data-testid="auto-warn" /> 每月自动预警
            </span>
          </Tooltip>
        )}
        {canWarn && (
          <Popconfirm
            title={`向 ${lagging.length} 个落后代办点发出考评预警？`}
            description="预警写明得分和偏低的指标，代办点下次同步后显示在“今日”页面，请代办员答复整改打算。"
            okText="发出"
            cancelText="取消"
            onConfirm={() => warnAll()}
            disabled={!lagging.length}
          >
            <Button danger icon={<AlertOutlined />} disabled={!lagging.length} loading={warning} data-testid="warn-lagging">
              向落后代办点发预警{lagging.length ? `（${lagging.length}）` : ''}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {data && (
        <div className="text-muted" style={{ marginBottom: 8 }} data-testid="weights">
          权重：{(Object.keys(WEIGHT_LABELS) as (keyof EvaluationWeights)[]).map((k) => `${WEIGHT_LABELS[k]} ${data.weights[k]}`).join('，')}。各乡镇得分第一且本月有办件的代办点获流动红旗；低于 60 分为落后。
        </div>
      )}
      {data && !data.townships.length && <Empty description="没有代办点" />}
      {data?.townships.map((t) => (
        <Card key={t.code} size="small" title={`${t.name}（${t.rows.length} 个代办点）`} style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
          <Table<EvaluationRow>
            rowKey="code"
            size="small"
            columns={columns}
            dataSource={t.rows}
            loading={loading}
            pagination={false}
            data-testid={`evaluation-${t.code}`}
            rowClassName={(r) => (r.lagging ? 'row-silent' : '')}
          />
        </Card>
      ))}
      {data && <WeightsModal open={editing} weights={data.weights} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); void load(); }} />}
    </div>
  );
}

function weekLabel(d: Dayjs): string {
  const from = d.startOf('week');
  return `${from.format('YYYY年M月D日')}–${from.add(6, 'day').format('M月D日')}`;
}

function WeeklyReportTab() {
  const { me, scope } = useConsole();
  const [townshipCode, setTownship] = useState<string | undefined>(me.townshipCode ?? scope.townships[0]?.code);
  const [week, setWeek] = useState<Dayjs>(dayjs(scope.today));
  const [data, setData] = useState<WeeklyReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [printing, setPrinting] = useState(false);
  const weekOf = week.startOf('week').format('YYYY-MM-DD');

  useEffect(() => {
    if (!townshipCode) return;
    let live = true;
    setLoading(true);
    setError(null);
    call('weeklyReport', { townshipCode, weekOf })
      .then((r) => live && setData(r))
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [townshipCode, weekOf]);

  async function print() {
    if (!townshipCode) return;
    setPrinting(true);
    try {
      const f = await fetchFile('printWeeklyReport', { townshipCode, weekOf }, `周报-${weekOf}.pdf`);
      saveFile(f);
      showSuccess(`已保存 ${f.fileName}`);
    } catch (e) {
      showError(e, '生成周报失败');
    } finally {
      setPrinting(false);
    }
  }

  const sum = (k: 'open' | 'overdue' | 'newCases' | 'completed' | 'poor') => data?.rows.reduce((s, r) => s + r[k], 0) ?? 0;
  const columns: ColumnsType<WeeklyRow> = [
    { title: '代办点', dataIndex: 'villageName' },
    { title: '在办', dataIndex: 'open', width: 110, align: 'right' },
    { title: '超期未办结', dataIndex: 'overdue', width: 120, align: 'right', render: (v: number) => (v ? <span className="text-danger">{v}</span> : 0) },
    { title: '本周新受理', dataIndex: 'newCases', width: 120, align: 'right' },
    { title: '本周办结', dataIndex: 'completed', width: 110, align: 'right' },
    { title: '本周差评', dataIndex: 'poor', width: 110, align: 'right', render: (v: number) => (v ? <span className="text-danger">{v}</span> : 0) },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        {me.role !== 'township' && <TownshipSelect value={townshipCode} onChange={setTownship} style={{ width: 170 }} placeholder="选择乡镇" />}
        <DatePicker picker="week" value={week} allowClear={false} format={weekLabel} onChange={(d) => d && setWeek(d)} aria-label="周" style={{ width: 240 }} data-testid="week-picker" />
        <Button type="primary" icon={<FilePdfOutlined />} onClick={() => void print()} loading={printing} disabled={!townshipCode || !data} data-testid="print-weekly">
          生成并保存PDF
        </Button>
      </Space>
      <p className="text-muted" style={{ marginTop: 0 }}>
        由各代办点同步到县里的记录自动生成，无需填报。在办、超期未办结为本周末的状态；新受理、办结、差评为本周内的件数（统计口径与统计页相同）。
      </p>
      {!townshipCode && <Alert type="info" showIcon message="请选择乡镇" />}
      {error && <Alert type="error" showIcon message={error} />}
      {townshipCode && data && (
        <Card size="small" title={<span data-testid="weekly-title">{`${data.townshipName} 代办点周报：${data.from} 至 ${data.to}`}</span>} styles={{ body: { padding: 0 } }}>
          <Table<WeeklyRow>
            rowKey="code"
            size="small"
            columns={columns}
            dataSource={data.rows}
            loading={loading}
            pagination={false}
            data-testid="weekly-report"
            locale={{ emptyText: '这个乡镇还没有代办点' }}
            summary={() =>
              data.rows.length ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <b>合计</b>
                  </Table.Summary.Cell>
                  {(['open', 'overdue', 'newCases', 'completed', 'poor'] as const).map((k, i) => (
                    <Table.Summary.Cell key={k} index={i + 1} align="right">
                      <Tooltip title={columns[i + 1].title as string}>
                        <b>{sum(k)}</b>
                      </Tooltip>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              ) : null
            }
          />
        </Card>
      )}
    </div>
  );
}
