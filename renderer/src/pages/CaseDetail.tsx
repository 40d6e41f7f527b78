// 代办件详情: who, what, when; the materials (inline state and custody); status actions; follow-ups and
// 好差评; rectifications; and the full timeline.
import { formatPhone } from '../../../domain/phone';
import { ESTIMATE_NOTE } from '../../../domain/calendarEstimate';
import { ArrowLeftOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Result, Row, Select, Space, Spin, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { CaseDetail, CaseMaterial } from '../../../domain/records';
import { CASE_ACTIONS, type CaseAction } from '../../../domain/caseStatus';
import {
  CUSTODY_STATES,
  DECISIONS,
  DELIVERY_METHODS,
  HANDLING_MODES,
  MATERIAL_STATES,
  labelOf,
  type CustodyState,
  type MaterialState,
} from '../../../domain/vocab';
import { api } from '../api';
import { CaseTimeline, MaterialName, RevealNumber } from '../components/CaseParts';
import { FollowupsTable, RectificationsTable } from '../components/CaseTables';
import { PageTitle } from '../components/PageTitle';
import { PrintButton } from '../components/PrintPreview';
import { BackfilledTag, chinaDate, chinaToday, cnDate, dateTime, DueDate, StatusTag } from '../format';
import { showError, showSuccess } from '../notify';
import { href, Link } from '../components/routing';
import { ActionModal, CloseRectificationModal, FollowupModal, PromiseDateModal } from './caseModals';

const HOLDS_ORIGINAL: MaterialState[] = ['original', 'both'];

const ACTION_ORDER: CaseAction[] = ['handUp', 'resubmit', 'returnForCorrection', 'decide', 'deliver', 'archive', 'withdraw'];

export function CaseDetailPage({ id }: { id: string }) {
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<CaseAction | null>(null);
  const [followupOpen, setFollowupOpen] = useState(false);
  const [rectId, setRectId] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setCase(await api.getCase({ id }));
      setError(null);
    } catch (e) {
      setError(e);
      showError(e, '读取代办件失败');
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!c) {
    if (error)
      return (
        <Result
          status="warning"
          title="打不开这件代办件"
          extra={
            <Space>
              <Button onClick={() => void load()}>重试</Button>
              <Button type="primary" href={href('/cases')}>
                回到代办件列表
              </Button>
            </Space>
          }
        />
      );
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );
  }

  const actions = ACTION_ORDER.filter((a) => c.allowedActions.includes(a));
  const openRects = c.rectifications.filter((r) => r.status === 'open');

  return (
    <div data-testid="case-detail">
      <PageTitle
        title={
          <span className="nowrap">
            <span data-testid="case-no" style={{ fontFamily: 'Consolas, monospace' }}>
              {c.caseNo}
            </span>
          </span>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} href={href('/cases')}>
              代办件列表
            </Button>
            <Tooltip title="刷新">
              <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label="刷新" />
            </Tooltip>
          </>
        }
      >
        <span data-testid="case-status">
          <StatusTag status={c.status} />
        </span>
        {c.backfilled && <BackfilledTag />}
        <span style={{ fontSize: 18, fontWeight: 600 }}>
          {c.applicantName} · {c.itemName}
        </span>
      </PageTitle>

      {c.dueEstimated && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`承诺办结日期为估算：该年度国务院节假日安排尚未发布，暂${ESTIMATE_NOTE}，发布后会自动更正。`} />
      )}
      {c.deadline === 'overdue' && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`已超过承诺办结日期 ${cnDate(c.dueDate)}，请尽快办结或说明情况。`} />
      )}

      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={3}
          labelStyle={{ width: 104, whiteSpace: 'nowrap' }}
          items={[
            { key: 'applicant', label: '申请人', children: <ApplicantCell c={c} /> },
            {
              key: 'id',
              label: c.applicant.kind === 'org' ? '信用代码' : '身份证号',
              children:
                c.applicant.kind === 'org' ? (
                  <Reveal applicantId={c.applicant.id} field="creditCode" masked={c.applicant.creditCodeMasked} label="统一社会信用代码" />
                ) : (
                  <Reveal applicantId={c.applicant.id} field="idNumber" masked={c.applicant.idNumberMasked} label="身份证号码" />
                ),
            },
            {
              key: 'phone',
              label: '联系电话',
              children: <Reveal applicantId={c.applicant.id} field="phone" masked={c.applicant.phoneMasked} label="联系电话" />,
            },
            { key: 'mode', label: '办理方式', children: labelOf(HANDLING_MODES, c.handlingMode) },
            { key: 'intake', label: '受理日期', children: <span>{c.intakeDate}{c.backfilled && <span className="text-muted">（补录，{dateTime(c.createdAt)} 录入）</span>}</span> },
            {
              key: 'due',
              label: '承诺办结',
              children: (
                <span>
                  {c.decisionDate ? c.dueDate : <DueDate row={c} />}
                  <span className="text-muted">（{c.committedWorkdays}个工作日{c.waitingWorkdays > 0 ? `，等待补正 ${c.waitingWorkdays} 个工作日` : ''}）</span>
                </span>
              ),
            },
            { key: 'handed', label: '报送', children: c.handedTo ? `${c.handedTo}${c.handedAt ? `（${chinaDate(c.handedAt)}）` : ''}` : '—' },
            {
              key: 'decision',
              label: '办结',
              children: c.decision ? (
                <span>
                  <Tag color={c.decision === 'approved' ? 'green' : 'red'}>{labelOf(DECISIONS, c.decision)}</Tag>
                  {c.decisionDate}
                  {c.decisionDate && c.decisionDate > c.dueDate && <Tag color="red" style={{ marginInlineStart: 4 }}>超期办结</Tag>}
                  {c.decisionNote && <div className="text-muted">{c.decisionNote}</div>}
                </span>
              ) : (
                '—'
              ),
            },
            {
              key: 'delivery',
              label: '送达',
              children: c.deliveredAt
                ? `${labelOf(DELIVERY_METHODS, c.deliveryMethod)}，${chinaDate(c.deliveredAt)}${c.deliveredTo ? `，${c.deliveredTo}签收` : ''}`
                : '—',
            },
            { key: 'agent', label: '代办员', children: `${c.agentName}${c.createdByName && c.createdByName !== c.agentName ? `（${c.createdByName}录入）` : ''}` },
            {
              key: 'visit',
              label: '来访登记',
              children: c.visitId ? <Link to={`/visits/${c.visitId}`}>查看关联的来访登记</Link> : '—',
            },
            { key: 'fb', label: '回访要求', children: <FollowupDue c={c} /> },
            ...(c.note ? [{ key: 'note', label: '备注', span: 3, children: c.note }] : []),
            ...(c.refusalReason ? [{ key: 'refuse', label: '不予受理理由', span: 3, children: <span className="text-danger">{c.refusalReason}</span> }] : []),
            ...(c.withdrawReason ? [{ key: 'withdraw', label: '撤回原因', span: 3, children: c.withdrawReason }] : []),
          ]}
        />
        <div style={{ display: 'flex', gap: 10, flexWrap: 'wrap', marginTop: 12, alignItems: 'center' }} data-testid="case-actions">
          {actions.map((a) => (
            <Button key={a} type={a === actions[0] && a !== 'withdraw' ? 'primary' : 'default'} danger={a === 'withdraw'} onClick={() => setAction(a)}>
              {CASE_ACTIONS[a]}
            </Button>
          ))}
          <Button onClick={() => setFollowupOpen(true)} icon={<PhoneOutlined />} disabled={c.status === 'refusedIntake'}>
            登记回访
          </Button>
          <PrintButton
            kind={c.status === 'refusedIntake' ? 'refusal' : 'receipt'}
            caseId={c.id}
            label={c.status === 'refusedIntake' ? '打印不予受理告知书' : '打印受理回执'}
          />
          <PrintButton kind="caseRecord" caseId={c.id} label="打印办理记录" />
          {c.archiveBlockedReason && (
            <Alert type="warning" showIcon data-testid="archive-blocked" message={c.archiveBlockedReason} style={{ flexBasis: '100%' }} />
          )}
          {actions.length === 0 && <span className="text-muted">此件已{c.status === 'archived' ? '归档' : '结束'}，没有可执行的办理操作。</span>}
        </div>
      </Card>

      <Row gutter={12}>
        <Col span={16}>
          <Card size="small" title="材料" style={{ marginBottom: 12 }}>
            <MaterialsTable c={c} onChange={setCase} />
          </Card>
          <Card size="small" title={`回访与评价（${c.followups.length}）`} style={{ marginBottom: 12 }}>
            <FollowupsTable rows={c.followups} />
          </Card>
          {c.rectifications.length > 0 && (
            <Card size="small" title={`差评整改（${openRects.length} 项未完成）`} style={{ marginBottom: 12 }}>
              <RectificationsTable rows={c.rectifications} onClose={setRectId} />
            </Card>
          )}
        </Col>
        <Col span={8}>
          <Card size="small" title="办理记录" style={{ marginBottom: 12 }}>
            <CaseTimeline
              testId="case-timeline"
              entries={c.timeline.map((ev) => ({ key: ev.id, at: ev.at, action: ev.action, label: ev.label, who: ev.agentName, note: ev.note }))}
            />
          </Card>
        </Col>
      </Row>

      <ActionModal
        c={c}
        action={action}
        onClose={() => setAction(null)}
        onDone={(next) => {
          setCase(next);
          setAction(null);
        }}
      />
      <FollowupModal
        c={c}
        open={followupOpen}
        onClose={() => setFollowupOpen(false)}
        onDone={(next) => {
          setCase(next);
          setFollowupOpen(false);
        }}
      />
      <CloseRectificationModal
        rectId={rectId}
        onClose={() => setRectId(null)}
        onDone={(next) => {
          setCase(next);
          setRectId(null);
        }}
      />
    </div>
  );
}

function ApplicantCell({ c }: { c: CaseDetail }) {
  const a = c.applicant;
  const parts: ReactNode[] = [<b key="n">{a.name}</b>];
  if (a.sex) parts.push(<span key="s">，{a.sex === 'male' ? '男' : '女'}</span>);
  if (a.birthDate) parts.push(<span key="b">，{a.birthDate.slice(0, 4)}年生</span>);
  return (
    <span>
      {parts}
      {(a.villageGroup || a.address) && (
        <div className="text-muted" style={{ fontSize: 14 }}>
          {[a.villageGroup, a.address].filter(Boolean).join(' ')}
        </div>
      )}
    </span>
  );
}

function FollowupDue({ c }: { c: CaseDetail }) {
  const today = chinaToday();
  const items: ReactNode[] = [];
  if (c.feedbackDue)
    items.push(
      <div key="f" className={c.feedbackDue < today ? 'text-danger' : undefined}>
        {c.feedbackDue} 前进度反馈
      </div>,
    );
  if (c.returnVisitDue)
    items.push(
      <div key="r" className={c.returnVisitDue < today ? 'text-danger' : undefined}>
        {c.returnVisitDue} 前办结回访
      </div>,
    );
  return items.length ? <>{items}</> : <span className="text-muted">无待办</span>;
}

/** A masked personal number with a "显示" button; revealing is recorded in the case history. */
function Reveal({ applicantId, field, masked, label }: { applicantId: string; field: 'idNumber' | 'phone' | 'creditCode'; masked: string; label: string }) {
  return (
    <RevealNumber
      field={field}
      masked={masked}
      label={label}
      // Phones are stored normalised and read grouped (domain/phone.ts): 139 0478 1234.
      reveal={async () => {
        const r = await api.revealApplicant({ applicantId, field });
        return field === 'phone' ? formatPhone(r.value) : r.value;
      }}
      recorded={{ before: '查看完整号码会被记录（谁、何时查看）。', after: '已显示完整号码，本次查看已记录' }}
    />
  );
}

function MaterialsTable({ c, onChange }: { c: CaseDetail; onChange: (c: CaseDetail) => void }) {
  const today = chinaToday();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [deferFor, setDeferFor] = useState<CaseMaterial | null>(null);
  const editable = c.status !== 'withdrawn' && c.status !== 'refusedIntake' && c.status !== 'archived';

  async function update(m: CaseMaterial, patch: { state?: MaterialState; custody?: CustodyState; promisedDate?: string | null }) {
    setBusyId(m.id);
    try {
      const next = await api.updateMaterial({ caseId: c.id, materialId: m.id, ...patch });
      onChange(next);
      showSuccess(`已更新：${m.name}`);
    } catch (e) {
      showError(e, '更新材料失败');
    } finally {
      setBusyId(null);
    }
  }

  const columns: ColumnsType<CaseMaterial> = [
    {
      title: '材料',
      dataIndex: 'name',
      render: (_: string, m) => <MaterialName m={m} />,
    },
    {
      title: '收取情况',
      dataIndex: 'state',
      width: 188,
      render: (s: MaterialState, m) =>
        editable ? (
          <Select
            aria-label={`${m.name} 收取情况`}
            value={s}
            style={{ width: '100%' }}
            disabled={busyId === m.id}
            status={s === 'missing' && m.required ? 'error' : undefined}
            onChange={(v: MaterialState) => (v === 'deferred' ? setDeferFor(m) : void update(m, { state: v }))}
            options={(Object.keys(MATERIAL_STATES) as MaterialState[]).map((k) => ({
              value: k,
              label: MATERIAL_STATES[k],
              disabled: k === 'deferred' && !m.deferrable && s !== 'deferred',
            }))}
          />
        ) : (
          labelOf(MATERIAL_STATES, s)
        ),
    },
    {
      title: '原件代管',
      dataIndex: 'custody',
      width: 158,
      render: (v: CustodyState, m) =>
        HOLDS_ORIGINAL.includes(m.state) || v !== 'none' ? (
          editable ? (
            <Select
              aria-label={`${m.name} 原件代管`}
              value={v}
              style={{ width: '100%' }}
              disabled={busyId === m.id}
              onChange={(nv: CustodyState) => void update(m, { custody: nv })}
              options={(Object.keys(CUSTODY_STATES) as CustodyState[]).map((k) => ({ value: k, label: CUSTODY_STATES[k] }))}
            />
          ) : (
            labelOf(CUSTODY_STATES, v)
          )
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    {
      title: '补交 / 收到',
      width: 168,
      render: (_: unknown, m) => {
        if (m.state === 'deferred') {
          const late = !!m.promisedDate && m.promisedDate < today;
          return (
            <div>
              {editable ? (
                <DatePicker
                  aria-label={`${m.name} 承诺补交日期`}
                  value={m.promisedDate ? dayjs(m.promisedDate) : null}
                  allowClear={false}
                  format="YYYY-MM-DD"
                  status={late ? 'error' : undefined}
                  style={{ width: '100%' }}
                  onChange={(d) => d && void update(m, { promisedDate: d.format('YYYY-MM-DD') })}
                />
              ) : (
                m.promisedDate
              )}
              {late && (
                <Tag color="red" style={{ marginTop: 2 }}>
                  已过承诺日期
                </Tag>
              )}
            </div>
          );
        }
        if (m.receivedAt) return <span className="text-muted">{chinaDate(m.receivedAt)} 收到</span>;
        return <span className="text-muted">—</span>;
      },
    },
  ];

  return (
    <>
      <Table<CaseMaterial>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={c.materials}
        pagination={false}
        locale={{ emptyText: '没有登记材料' }}
        rowClassName={(m) => (m.state === 'missing' && m.required ? 'mat-row-missing' : m.state === 'deferred' ? 'mat-row-deferred' : '')}
      />
      <PromiseDateModal
        open={!!deferFor}
        materialName={deferFor?.name ?? ''}
        intakeDate={c.intakeDate}
        onCancel={() => setDeferFor(null)}
        onOk={(date) => {
          const m = deferFor;
          setDeferFor(null);
          if (m) void update(m, { state: 'deferred', promisedDate: date });
        }}
      />
    </>
  );
}
