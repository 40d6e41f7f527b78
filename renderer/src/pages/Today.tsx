// 今日: what needs doing today, by 电子监察 colour, with the list for the chosen card right below.
import { FileAddOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { CaseRow, FollowupDueRow, MaterialDueRow, Rectification, TodaySummary } from '../../../domain/records';
import { FOLLOWUP_KINDS, HANDLING_MODES, labelOf } from '../../../domain/vocab';
import { api } from '../api';
import { CountyNotices } from '../components/CountyNotices';
import { PageTitle } from '../components/PageTitle';
import { rowLink } from '../components/rowNav';
import { cnDate, DueDate, StatusTag } from '../format';
import { showError } from '../notify';
import { href, Link } from '../components/routing';
import { useSession } from '../session';

type CardKey = 'overdue' | 'dueSoon' | 'materials' | 'feedback' | 'returnVisit' | 'rectification';

const CARDS: { key: CardKey; label: string; hint: string; tone: 'red' | 'orange' | 'blue' }[] = [
  { key: 'overdue', label: '已超期', hint: '超过承诺办结日期', tone: 'red' },
  { key: 'dueSoon', label: '2个工作日内到期', hint: '抓紧办理', tone: 'orange' },
  { key: 'materials', label: '容缺材料待补', hint: '申请人承诺补交', tone: 'orange' },
  { key: 'feedback', label: '待一周反馈', hint: '受理后一周内告知进度', tone: 'blue' },
  { key: 'returnVisit', label: '待两周回访', hint: '办结后两周内回访', tone: 'blue' },
  { key: 'rectification', label: '差评整改', hint: '15个工作日内整改', tone: 'red' },
];

let rememberedCard: CardKey | null = null;

function countOf(s: TodaySummary, k: CardKey): number {
  switch (k) {
    case 'overdue':
      return s.overdue.count;
    case 'dueSoon':
      return s.dueSoon.count;
    case 'materials':
      return s.materialsDue.count;
    case 'feedback':
      return s.feedbackDue.count;
    case 'returnVisit':
      return s.returnVisitsDue.count;
    case 'rectification':
      return s.rectificationsDue.count;
  }
}

const caseColumns: ColumnsType<CaseRow> = [
  {
    title: '件号',
    dataIndex: 'caseNo',
    width: 230,
    render: (v: string, r) => <Link to={`/cases/${r.id}`}>{v}</Link>,
  },
  { title: '申请人', dataIndex: 'applicantName', width: 100, ellipsis: true },
  { title: '事项', dataIndex: 'itemName', ellipsis: true },
  { title: '方式', dataIndex: 'handlingMode', width: 70, render: (v: string) => labelOf(HANDLING_MODES, v) },
  { title: '状态', dataIndex: 'status', width: 100, render: (v: CaseRow['status']) => <StatusTag status={v} /> },
  { title: '受理日期', dataIndex: 'intakeDate', width: 118 },
  { title: '承诺办结', dataIndex: 'dueDate', width: 190, render: (_: string, r) => <DueDate row={r} /> },
];

/** A date that is red with a tag once it has passed. */
function DueMark({ date, overdue, label }: { date: string; overdue: boolean; label: string }) {
  if (!overdue) return <>{date}</>;
  return (
    <span className="nowrap">
      <Tag color="red">{label}</Tag>
      <span className="text-danger">{date}</span>
    </span>
  );
}

/** The case number, linking to the case, as the first column of each 今日 list. */
function caseNoColumn<T extends { caseNo: string; caseId: string }>(): ColumnsType<T>[number] {
  return { title: '件号', dataIndex: 'caseNo', width: 230, render: (v: string, r: T) => <Link to={`/cases/${r.caseId}`}>{v}</Link> };
}

const materialColumns: ColumnsType<MaterialDueRow> = [
  caseNoColumn(),
  { title: '申请人', dataIndex: 'applicantName', width: 110 },
  { title: '待补材料', dataIndex: 'materialName', ellipsis: true },
  {
    title: '承诺补交日期',
    dataIndex: 'promisedDate',
    width: 190,
    render: (v: string, r) => <DueMark date={v} overdue={r.overdue} label="已过期" />,
  },
];

const followupColumns: ColumnsType<FollowupDueRow> = [
  caseNoColumn(),
  { title: '申请人', dataIndex: 'applicantName', width: 110 },
  { title: '事项', dataIndex: 'itemName', ellipsis: true },
  { title: '类别', dataIndex: 'kind', width: 110, render: (v: string) => labelOf(FOLLOWUP_KINDS, v) },
  {
    title: '应完成日期',
    dataIndex: 'dueDate',
    width: 180,
    render: (v: string, r) => <DueMark date={v} overdue={r.overdue} label="已逾期" />,
  },
];

const rectColumns: ColumnsType<Rectification> = [
  caseNoColumn(),
  { title: '申请人', dataIndex: 'applicantName', width: 110 },
  { title: '差评日期', dataIndex: 'openedDate', width: 120 },
  {
    title: '整改期限',
    dataIndex: 'dueDate',
    width: 180,
    render: (v: string, r) => <DueMark date={v} overdue={r.overdue} label="已逾期" />,
  },
  { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => (v === 'open' ? <Tag color="orange">整改中</Tag> : <Tag color="green">已完成</Tag>) },
];

export function TodayPage() {
  const { state } = useSession();
  const [summary, setSummary] = useState<TodaySummary | null>(null);
  const [loading, setLoading] = useState(false);
  const [card, setCard] = useState<CardKey | null>(rememberedCard);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const s = await api.today({ limit: 50 });
      setSummary(s);
      setCard((cur) => {
        if (cur) return cur;
        return CARDS.find((c) => countOf(s, c.key) > 0)?.key ?? 'overdue';
      });
    } catch (e) {
      showError(e, '读取今日待办失败');
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const choose = (k: CardKey) => {
    rememberedCard = k;
    setCard(k);
  };

  const today = summary?.today ?? state.today;
  const current = CARDS.find((c) => c.key === card) ?? CARDS[0];

  return (
    <div>
      <PageTitle
        title="今日"
        extra={
          <>
            <Button type="primary" size="large" icon={<FileAddOutlined />} href={href('/intake')}>
              受理登记
            </Button>
            <Button size="large" icon={<TeamOutlined />} href={href('/visits/new')}>
              来访登记
            </Button>
            <Button size="large" icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
              刷新
            </Button>
          </>
        }
      >
        <span className="text-muted" style={{ fontSize: 16 }}>
          {cnDate(today)} {dayjs(today).format('dddd')}
        </span>
      </PageTitle>

      {state.calendarWarnings.map((w) => (
        <Alert key={w} type="warning" showIcon message={w} style={{ marginBottom: 12 }} data-testid="calendar-warning" />
      ))}

      {summary && summary.countyNotices.count > 0 && <CountyNotices notices={summary.countyNotices.rows} onAnswered={setSummary} />}

      <div className="stat-grid" role="group" aria-label="今日待办分类">
        {CARDS.map((c) => {
          const n = summary ? countOf(summary, c.key) : null;
          const cls = ['stat-card', `tone-${c.tone}`, n ? 'nonzero' : 'zero', card === c.key ? 'selected' : ''].join(' ');
          return (
            <button
              key={c.key}
              type="button"
              className={cls}
              aria-pressed={card === c.key}
              data-testid={`today-card-${c.key}`}
              onClick={() => choose(c.key)}
            >
              <span className="stat-label">{c.label}</span>
              <span className="stat-value">{n ?? '…'}</span>
              <span className="stat-hint">{c.hint}</span>
            </button>
          );
        })}
      </div>

      <div style={{ background: '#fff', borderRadius: 8, padding: '12px 16px' }} data-testid="today-list">
        <Space style={{ marginBottom: 8, justifyContent: 'space-between', width: '100%' }} wrap>
          <span className="section-title" style={{ margin: 0 }}>
            {current.label}
            {summary && `（${countOf(summary, current.key)}）`}
          </span>
          {(current.key === 'overdue' || current.key === 'dueSoon') && (
            <Link to={`/cases?${current.key === 'overdue' ? 'overdue=1' : 'dueSoon=1'}`}>在代办件中查看全部 ›</Link>
          )}
        </Space>
        {summary ? <TodayList summary={summary} card={current.key} /> : <Table loading columns={caseColumns} dataSource={[]} />}
      </div>
    </div>
  );
}

function TodayList({ summary, card }: { summary: TodaySummary; card: CardKey }) {
  const common = { size: 'middle' as const, pagination: false as const, className: 'clickable-rows', scroll: { y: 'calc(100vh - 420px)' } };
  const empty = { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有需要处理的" /> };
  switch (card) {
    case 'overdue':
    case 'dueSoon': {
      const list = card === 'overdue' ? summary.overdue : summary.dueSoon;
      return (
        <>
          <Table<CaseRow> {...common} rowKey="id" columns={caseColumns} dataSource={list.rows} locale={empty} onRow={rowLink((r) => `/cases/${r.id}`)} />
          <More shown={list.rows.length} total={list.count} />
        </>
      );
    }
    case 'materials':
      return (
        <>
          <Table<MaterialDueRow>
            {...common}
            rowKey={(r) => `${r.caseId}:${r.materialName}`}
            columns={materialColumns}
            dataSource={summary.materialsDue.rows}
            locale={empty}
            onRow={rowLink((r) => `/cases/${r.caseId}`)}
          />
          <More shown={summary.materialsDue.rows.length} total={summary.materialsDue.count} />
        </>
      );
    case 'feedback':
    case 'returnVisit': {
      const list = card === 'feedback' ? summary.feedbackDue : summary.returnVisitsDue;
      return (
        <>
          <Table<FollowupDueRow>
            {...common}
            rowKey={(r) => `${r.caseId}:${r.kind}`}
            columns={followupColumns}
            dataSource={list.rows}
            locale={empty}
            onRow={rowLink((r) => `/cases/${r.caseId}`)}
          />
          <More shown={list.rows.length} total={list.count} />
        </>
      );
    }
    case 'rectification':
      return (
        <>
          <Table<Rectification>
            {...common}
            rowKey="id"
            columns={rectColumns}
            dataSource={summary.rectificationsDue.rows}
            locale={empty}
            onRow={rowLink((r) => `/cases/${r.caseId}`)}
          />
          <More shown={summary.rectificationsDue.rows.length} total={summary.rectificationsDue.count} />
        </>
      );
  }
}

function More({ shown, total }: { shown: number; total: number }) {
  if (total <= shown) return null;
  return (
    <div className="text-muted" style={{ marginTop: 8 }}>
      共 {total} 件，这里显示最紧急的 {shown} 件。
    </div>
  );
}
