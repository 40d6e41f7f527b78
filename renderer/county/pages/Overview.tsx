// 总览: the county's (or township's) figures for today and this month, the 电子监察 lights by township
// and village, and every point's sync health; points silent for more than 7 days stand out.
import { ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Row, Space, Spin, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { PageTitle } from '../../src/components/PageTitle';
import { dateTime } from '../../src/format';
import { showError } from '../../src/notify';
import { CARDS, FigureCard } from '../../src/reports/StatisticsPage';
import { call, type Light, type Overview, type PointHealth, type TownshipLights } from '../api';
import { useConsole } from '../session';

/** 超期 red, 2 个工作日内到期 amber; a click opens the ledger filtered to those cases. */
export function Lights({ lights, onRed, onAmber }: { lights: Light; onRed?: () => void; onAmber?: () => void }) {
  return (
    <Space size="middle">
      <Tooltip title="已超期（超过承诺办结日期仍未办结）">
        <a className={`light ${lights.red ? 'light-red' : 'light-green'}`} onClick={(e) => { e.preventDefault(); onRed?.(); }} href="#">
          <span className="light-dot" />
          超期 {lights.red}
        </a>
      </Tooltip>
      <Tooltip title="2 个工作日内到期">
        <a className={`light ${lights.amber ? 'light-amber' : 'light-green'}`} onClick={(e) => { e.preventDefault(); onAmber?.(); }} href="#">
          <span className="light-dot" />
          将到期 {lights.amber}
        </a>
      </Tooltip>
    </Space>
  );
}

const OVERVIEW_CARDS = CARDS.filter((c) => ['accepted', 'completed', 'completionRate', 'onTimeRate', 'overdue', 'satisfactionRate'].includes(c.key));

export function OverviewPage() {
  const { scope, me } = useConsole();
  const navigate = useNavigate();
  const [data, setData] = useState<Overview | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call('overview', {}));
    } catch (e) {
      showError(e, '读取总览失败');
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const cases = (q: Record<string, string>) => navigate(`/cases?${new URLSearchParams(q).toString()}`);
  const silent = useMemo(() => data?.points.filter((p) => p.silent) ?? [], [data]);

  const pointColumns: ColumnsType<PointHealth> = [
    { title: '乡镇', dataIndex: 'townshipName', width: 110, ellipsis: true },
    { title: '代办点（村）', dataIndex: 'villageName', width: 130, ellipsis: true, render: (v: string, r) => <span title={r.code}>{v}</span> },
    {
      title: '最近同步',
      dataIndex: 'lastSyncAt',
      width: 190,
      sorter: (a, b) => (a.lastSyncAt ?? '').localeCompare(b.lastSyncAt ?? ''),
      render: (v: string | null, r) =>
        r.silent ? (
          <span className="text-danger nowrap">
            <WarningOutlined /> {v ? `${r.silentDays} 天未同步` : '从未同步'}
          </span>
        ) : (
          <span className="nowrap">{dateTime(v)}</span>
        ),
    },
    { title: '待补批次', dataIndex: 'heldBatches', width: 90, align: 'right', render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : <span className="text-muted">0</span>) },
    { title: '拒收批次', dataIndex: 'rejectedBatches', width: 90, align: 'right', render: (v: number) => (v ? <Tag color="red">{v}</Tag> : <span className="text-muted">0</span>) },
    {
      title: '时钟偏差',
      dataIndex: 'clockSkewText',
      width: 120,
      render: (v: string, r) => (r.clockSkewMs !== null && Math.abs(r.clockSkewMs) > 5 * 60_000 ? <span className="text-warning">{v}</span> : <span className="text-muted">{v || '—'}</span>),
    },
    { title: '设备', dataIndex: 'devices', width: 100, render: (v: number, r) => <span className="nowrap">{v} 台{r.revokedDevices ? <Tag color="default" style={{ marginInlineStart: 4 }}>停用 {r.revokedDevices}</Tag> : null}</span> },
    { title: '代办件', dataIndex: 'cases', width: 84, align: 'right' },
  ];

  const lightColumns: ColumnsType<TownshipLights> = [
    { title: '乡镇', dataIndex: 'name', render: (v: string, r) => <b title={r.code}>{v}</b> },
    {
      title: '电子监察',
      width: 230,
      render: (_: unknown, r) => <Lights lights={r.lights} onRed={() => cases({ townshipCode: r.code, overdue: '1' })} onAmber={() => cases({ townshipCode: r.code, dueSoon: '1' })} />,
    },
  ];

  return (
    <div data-testid="overview">
      <PageTitle
        title="总览"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            刷新
          </Button>
        }
      >
        <span className="text-muted" style={{ fontSize: 16 }}>
          {me.role === 'township' ? me.townshipName : scope.county.name}
          {data && `，今天 ${data.today}`}
        </span>
      </PageTitle>
      <Spin spinning={loading && !data}>
        {!data ? (
          !loading && <Empty description="没有数据" />
        ) : (
          <>
            {silent.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="silent-points"
                message={`${silent.length} 个代办点超过 7 天没有同步：${silent.slice(0, 8).map((p) => `${p.townshipName}${p.villageName}`).join('、')}${silent.length > 8 ? ' 等' : ''}`}
              />
            )}
            {(data.openConflicts > 0 || data.openSupervisions > 0) && (
              <Space style={{ marginBottom: 12 }} size="large">
                {data.openSupervisions > 0 && (
                  <a href="#/supervision" className="text-warning">
                    未办结督办 {data.openSupervisions} 件
                  </a>
                )}
                {data.openConflicts > 0 && <span className="text-warning">待处理冲突 {data.openConflicts} 条</span>}
              </Space>
            )}
            <Row gutter={12}>
              <Col span={12}>
                <Card size="small" title={`今天（${data.today}）`} style={{ marginBottom: 12 }}>
                  <div className="overview-figures">
                    {OVERVIEW_CARDS.map((c) => (
                      <FigureCard key={c.key} card={c} t={data.figuresToday} onOpen={() => navigate('/statistics')} />
                    ))}
                  </div>
                </Card>
              </Col>
              <Col span={12}>
                <Card size="small" title={`本月（${data.month}）`} style={{ marginBottom: 12 }} data-testid="overview-month">
                  <div className="overview-figures">
                    {OVERVIEW_CARDS.map((c) => (
                      <FigureCard key={c.key} card={c} t={data.figuresMonth} onOpen={() => navigate('/statistics')} />
                    ))}
                  </div>
                </Card>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col span={9}>
                <Card size="small" title="电子监察（按乡镇，点开看各村）" style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
                  <Table<TownshipLights>
                    rowKey="code"
                    size="small"
                    columns={lightColumns}
                    dataSource={data.lights}
                    pagination={false}
                    data-testid="lights"
                    expandable={{
                      expandedRowRender: (t) => (
                        <Table
                          rowKey="code"
                          size="small"
                          pagination={false}
                          showHeader={false}
                          dataSource={t.villages}
                          columns={[
                            { dataIndex: 'villageName' },
                            { width: 230, render: (_: unknown, v: (typeof t.villages)[number]) => <Lights lights={v.lights} onRed={() => cases({ pointCode: v.code, overdue: '1' })} onAmber={() => cases({ pointCode: v.code, dueSoon: '1' })} /> },
                          ]}
                        />
                      ),
                    }}
                    locale={{ emptyText: '还没有代办点' }}
                  />
                </Card>
              </Col>
              <Col span={15}>
                <Card size="small" title={`代办点同步情况（${data.points.length} 个）`} style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
                  <Table<PointHealth>
                    rowKey="code"
                    size="small"
                    columns={pointColumns}
                    dataSource={data.points}
                    rowClassName={(r) => (r.silent ? 'row-silent' : '')}
                    pagination={data.points.length > 12 ? { pageSize: 12, showSizeChanger: false, size: 'small' } : false}
                    scroll={{ x: 900 }}
                    data-testid="point-health"
                    locale={{ emptyText: '还没有代办点' }}
                  />
                </Card>
              </Col>
            </Row>
          </>
        )}
      </Spin>
    </div>
  );
}
