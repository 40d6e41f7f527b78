// A case as the county sees it: applicant (masked; revealing a number is recorded), materials, the full
// synced timeline (who, when, what), follow-ups and rectifications, 督办 and the county's decisions.
// From here a clerk records the county's decision (决定) or marks the case for supervision (督办).
import { AlertOutlined, ArrowLeftOutlined, AuditOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { CUSTODY_STATES, DECISIONS, HANDLING_MODES, MATERIAL_STATES, labelOf } from '../../../domain/vocab';
import type { CaseMaterial } from '../../../domain/records';
import { PageTitle } from '../../src/components/PageTitle';
import { chinaDate, cnDate, dateTime, DueDate, StatusTag } from '../../src/format';
import { showError } from '../../src/notify';
import { CaseTimeline, MaterialName, RevealNumber } from '../../src/components/CaseParts';
import { FollowupsTable, RectificationsTable } from '../../src/components/CaseTables';
import { call, type CountyCaseDetail, type CountyDecisionRecord, type Supervision } from '../api';
import { DecideModal, SuperviseModal } from './caseModals';
import { SUPERVISION_STATES } from './supervisionLabels';
import { useCan } from '../session';

export function CasePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [c, setCase] = useState<CountyCaseDetail | null>(null);
  const [error, setError] = useState(false);
  const [modal, setModal] = useState<'decide' | 'supervise' | null>(null);
  const mayDecide = useCan('decide');
  const maySupervise = useCan('supervise');

  const load = useCallback(async () => {
    try {
      setCase(await call('getCase', { id }));
      setError(false);
    } catch (e) {
      setError(true);
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
          subTitle="可能不存在，或不在您的管辖范围内。"
          extra={
            <Space>
              <Button onClick={() => void load()}>重试</Button>
              <Button type="primary" onClick={() => navigate('/cases')}>
                回到台账
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

  const openSupervisions = c.supervisions.filter((s) => s.state !== 'closed');

  return (
    <div data-testid="county-case">
      <PageTitle
        title={
          <span data-testid="case-no" style={{ fontFamily: 'Consolas, monospace' }}>
            {c.caseNo}
          </span>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/cases')}>
              台账
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
        <span style={{ fontSize: 18, fontWeight: 600 }}>
          {c.applicantName} · {c.itemName}
        </span>
        <span className="text-muted">
          {c.townshipName} {c.villageName}
        </span>
      </PageTitle>

      {c.deadline === 'overdue' && !c.decisionDate && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={`已超过承诺办结日期 ${cnDate(c.dueDate)}。`} />
      )}
      {openSupervisions.map((s) => (
        <Alert
          key={s.id}
          type={s.state === 'answered' ? 'info' : 'warning'}
          showIcon
          icon={<AlertOutlined />}
          style={{ marginBottom: 12 }}
          data-testid="case-supervision"
          message={`督办（${SUPERVISION_STATES[s.state]}）：${s.note}`}
          description={
            <span>
              {s.createdByName} {dateTime(s.createdAt)} 督办，要求 {s.replyBy} 前答复
              {s.late && <Tag color="red" style={{ marginInlineStart: 6 }}>逾期未答复</Tag>}
              {!s.delivered && <Tag style={{ marginInlineStart: 6 }}>尚未送达代办点</Tag>}
              {s.answer && (
                <div>
                  代办点答复（{s.answeredByName}，{dateTime(s.answeredAt)}）：{s.answer}
                </div>
              )}
            </span>
          }
        />
      ))}

      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={3}
          labelStyle={{ width: 96, whiteSpace: 'nowrap' }}
          items={[
            {
              key: 'applicant',
              label: '申请人',
              children: (
                <span>
                  <b>{c.applicant.name}</b>
                  {(c.applicant.villageGroup || c.applicant.address) && <div className="text-muted" style={{ fontSize: 14 }}>{[c.applicant.villageGroup, c.applicant.address].filter(Boolean).join(' ')}</div>}
                </span>
              ),
            },
            {
              key: 'id',
              label: c.applicant.kind === 'org' ? '信用代码' : '身份证号',
              children:
                c.applicant.kind === 'org' ? (
                  <Reveal caseId={c.id} field="creditCode" masked={c.applicant.creditCodeMasked} label="统一社会信用代码" />
                ) : (
                  <Reveal caseId={c.id} field="idNumber" masked={c.applicant.idNumberMasked} label="身份证号码" />
                ),
            },
            { key: 'phone', label: '联系电话', children: <Reveal caseId={c.id} field="phone" masked={c.applicant.phoneMasked} label="联系电话" /> },
            { key: 'mode', label: '办理方式', children: labelOf(HANDLING_MODES, c.handlingMode) },
            { key: 'intake', label: '受理日期', children: c.intakeDate },
            {
              key: 'due',
              label: '承诺办结',
              children: (
                <span>
                  {c.decisionDate ? c.dueDate : <DueDate row={{ ...c, dueEstimated: false }} />}
                  <span className="text-muted">（{c.committedWorkdays}个工作日）</span>
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
                  {c.decidedByCounty && <Tag style={{ marginInlineStart: 4 }}>县级决定</Tag>}
                  {c.decisionNote && <div className="text-muted">{c.decisionNote}</div>}
                </span>
              ) : (
                '—'
              ),
            },
            { key: 'delivery', label: '送达', children: c.deliveredAt ? chinaDate(c.deliveredAt) : '—' },
            { key: 'agent', label: '代办员', children: c.agentName },
            { key: 'point', label: '代办点', children: `${c.townshipName}${c.villageName}` },
            ...(c.note ? [{ key: 'note', label: '备注', children: c.note }] : []),
          ]}
        />
        <div style={{ display: 'flex', gap: 10, flexWrap: 'wrap', marginTop: 12 }} data-testid="case-actions">
          {mayDecide && (c.canDecide || c.canReturn) && (
            <Button type="primary" icon={<AuditOutlined />} onClick={() => setModal('decide')}>
              县级决定
            </Button>
          )}
          {maySupervise && (
            <Button icon={<AlertOutlined />} onClick={() => setModal('supervise')} data-testid="supervise-button">
              督办
            </Button>
          )}
        </div>
      </Card>

      <Row gutter={12}>
        <Col span={15}>
          <Card size="small" title="材料" style={{ marginBottom: 12 }}>
            <MaterialsTable rows={c.materials} />
          </Card>
          <Card size="small" title="回访与好差评" style={{ marginBottom: 12 }}>
            <FollowupsTable rows={c.followups} />
          </Card>
          {c.rectifications.length > 0 && (
            <Card size="small" title="差评整改" style={{ marginBottom: 12 }}>
              <RectificationsTable rows={c.rectifications} />
            </Card>
          )}
          {c.supervisions.length > 0 && (
            <Card size="small" title="督办记录" style={{ marginBottom: 12 }}>
              <SupervisionHistory rows={c.supervisions} />
            </Card>
          )}
          {c.decisions.length > 0 && (
            <Card size="small" title="县级决定记录" style={{ marginBottom: 12 }}>
              <DecisionHistory rows={c.decisions} />
            </Card>
          )}
        </Col>
        <Col span={9}>
          <Card size="small" title="办理经过" style={{ marginBottom: 12 }} data-testid="county-timeline">
            <CaseTimeline entries={c.timeline.map((ev, i) => ({ key: `${ev.at}-${i}`, at: ev.at, action: ev.action, label: ev.label, who: ev.who, county: ev.source === 'county' }))} />
          </Card>
        </Col>
      </Row>

      <DecideModal c={modal === 'decide' ? c : null} onClose={() => setModal(null)} onDone={(n) => { setCase(n); setModal(null); }} onStale={() => void load()} />
      <SuperviseModal c={modal === 'supervise' ? c : null} onClose={() => setModal(null)} onDone={(n) => { setCase(n); setModal(null); }} onStale={() => void load()} />
    </div>
  );
}

/** A masked number with a 显示 button; the server records who revealed which case's number and when. */
function Reveal({ caseId, field, masked, label }: { caseId: string; field: 'idNumber' | 'phone' | 'creditCode'; masked: string; label: string }) {
  return (
    <RevealNumber
      field={field}
      masked={masked}
      label={label}
      reveal={async () => (await call('revealApplicant', { caseId, field })).value}
      recorded={{ before: '查看完整号码会记入审计（谁、何时、哪一件）。', after: '已显示完整号码，本次查看已记入审计' }}
    />
  );
}

function MaterialsTable({ rows }: { rows: CaseMaterial[] }) {
  const columns: ColumnsType<CaseMaterial> = [
    {
      title: '材料',
      dataIndex: 'name',
      render: (_: string, m) => <MaterialName m={m} />,
    },
    {
      title: '收取情况',
      dataIndex: 'state',
      width: 150,
      render: (v: CaseMaterial['state'], m) => (
        <span>
          <Tag color={v === 'missing' && m.required ? 'red' : v === 'deferred' ? 'gold' : undefined}>{labelOf(MATERIAL_STATES, v)}</Tag>
          {v === 'deferred' && m.promisedDate && <div className="text-muted" style={{ fontSize: 13 }}>承诺 {m.promisedDate} 补交</div>}
        </span>
      ),
    },
    { title: '原件代管', dataIndex: 'custody', width: 120, render: (v: CaseMaterial['custody']) => (v === 'none' ? <span className="text-muted">—</span> : labelOf(CUSTODY_STATES, v)) },
  ];
  return <Table<CaseMaterial> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} locale={{ emptyText: '该事项无需材料' }} />;
}

function SupervisionHistory({ rows }: { rows: Supervision[] }) {
  return (
    <Table<Supervision>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '督办时间', dataIndex: 'createdAt', width: 140, render: (v: string) => dateTime(v) },
        { title: '督办人', dataIndex: 'createdByName', width: 80 },
        { title: '督办事项', dataIndex: 'note', ellipsis: { showTitle: true } },
        { title: '答复期限', dataIndex: 'replyBy', width: 104 },
        { title: '状态', dataIndex: 'state', width: 90, render: (v: Supervision['state'], r) => <Tag color={r.late ? 'red' : v === 'open' ? 'orange' : v === 'answered' ? 'blue' : 'default'}>{SUPERVISION_STATES[v]}</Tag> },
        { title: '答复', dataIndex: 'answer', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? <span className="text-muted">—</span> },
      ]}
    />
  );
}

const DECISION_ACTIONS: Record<string, string> = { approved: '准予', refused: '不予', returnForCorrection: '退回补正', decide: '决定' };

function DecisionHistory({ rows }: { rows: CountyDecisionRecord[] }) {
  return (
    <Table<CountyDecisionRecord>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '日期', dataIndex: 'date', width: 104 },
        { title: '决定', width: 100, render: (_: unknown, r) => DECISION_ACTIONS[r.decision ?? r.action] ?? r.action },
        { title: '说明', dataIndex: 'note', ellipsis: { showTitle: true } },
        { title: '经办', dataIndex: 'madeBy', width: 90 },
        { title: '录入时间', dataIndex: 'madeAt', width: 140, render: (v: string) => dateTime(v) },
      ]}
    />
  );
}
