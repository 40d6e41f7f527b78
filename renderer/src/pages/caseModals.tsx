// Dialogs on a case's page: status actions, follow-up (回访/好差评), closing a rectification, deferring a material.
import { Alert, AutoComplete, DatePicker, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import type { CaseDetail } from '../../../domain/records';
import { CASE_ACTIONS, isCompleted, type CaseAction } from '../../../domain/caseStatus';
import { RECTIFICATION_WORKDAYS } from '../../../domain/deadlines';
import {
  DECISIONS,
  DELIVERY_METHODS,
  FOLLOWUP_KINDS,
  FOLLOWUP_METHODS,
  RATINGS,
  RATING_VALUES,
  isPoorRating,
  type Decision,
  type DeliveryMethod,
  type FollowupKind,
  type FollowupMethod,
  type Rating,
} from '../../../domain/vocab';
import { api } from '../api';
import { focusFirstField } from '../components/modalFocus';
import { dateCheckRule } from '../components/dateRules';
import { checkPromisedDate, checkStepDate } from '../../../domain/dateBounds';
import { chinaToday } from '../format';
import { showError, showSuccess } from '../notify';
import { useSession } from '../session';

export const dateProps = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

// Dates follow the register's bounds (domain/dateBounds.ts), shown as a message under the field: a typed
// future or out-of-order date stays in the box with its reason instead of being silently put back.
const intakeStep = (c: CaseDetail) => ({ label: '受理日期', date: c.intakeDate });

type ActionValues = {
  handedTo?: string;
  date?: string;
  decision?: Decision;
  deliveryMethod?: DeliveryMethod;
  deliveredTo?: string;
  reason?: string;
  note?: string;
};

const ACTION_HELP: Partial<Record<CaseAction, string>> = {
  handUp: '把此件报送到乡镇便民服务中心或县直部门办理（站规：3个工作日内报送）。随件报送的原件，请在材料表中把“原件代管”改为“已随件报送”。',
  returnForCorrection: '办理单位要求补正材料。请写明需要补正什么，并一次性告知申请人。',
  resubmit: '申请人已补正材料，重新报送办理单位。',
  decide: '办理单位已作出决定。',
  deliver: '把办理结果（证照、决定书等）送达申请人。',
  archive: '此件已送达，归档后不再变动。',
  withdraw: '申请人撤回申请，或因其他原因终止办理。撤回必须写明原因。',
};

export function ActionModal({
  c,
  action,
  onClose,
  onDone,
}: {
  c: CaseDetail;
  action: CaseAction | null;
  onClose: () => void;
  onDone: (c: CaseDetail) => void;
}) {
  const { point } = useSession();
  const [form] = Form.useForm<ActionValues>();
  const [busy, setBusy] = useState(false);
  const [units, setUnits] = useState<string[]>([]);

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    form.setFieldsValue({
      date: chinaToday(),
      handedTo: action === 'resubmit' ? c.handedTo : undefined,
      deliveredTo: action === 'deliver' ? c.applicantName : undefined,
    });
    if (action === 'handUp') {
      const base = [`${point.townshipName}便民服务中心`];
      setUnits(base);
      api
        .getCatalogItem({ code: c.itemCode })
        .then((it) => setUnits(it.department ? [it.department, ...base] : base))
        .catch(() => undefined);
    }
  }, [action, c, form, point.townshipName]);

  if (!action) return null;

  async function submit(v: ActionValues) {
    if (!action) return;
    setBusy(true);
    const input: ApiInput<'transitionCase'> = {
      id: c.id,
      action,
      note: (v.note ?? '').trim(),
      date: v.date ?? undefined,
      handedTo: action === 'handUp' || action === 'resubmit' ? v.handedTo?.trim() : undefined,
      decision: action === 'decide' ? v.decision : undefined,
      deliveryMethod: action === 'deliver' ? v.deliveryMethod : undefined,
      deliveredTo: action === 'deliver' ? v.deliveredTo?.trim() : undefined,
      reason: action === 'withdraw' || action === 'returnForCorrection' ? v.reason?.trim() : undefined,
    };
    try {
      const next = await api.transitionCase(input);
      showSuccess(`已${CASE_ACTIONS[action]}`);
      onDone(next);
    } catch (e) {
      showError(e, `${CASE_ACTIONS[action]}失败`);
    } finally {
      setBusy(false);
    }
  }

  const dateLabel: Record<CaseAction, string> = {
    handUp: '报送日期',
    returnForCorrection: '退回日期',
    resubmit: '重新报送日期',
    decide: '办结日期',
    deliver: '送达日期',
    archive: '归档日期',
    withdraw: '撤回日期',
  };

  return (
    <Modal
      open
      title={`${CASE_ACTIONS[action]} · ${c.caseNo}`}
      okText={`确认${CASE_ACTIONS[action]}`}
      cancelText="取消"
      okButtonProps={{ danger: action === 'withdraw', loading: busy }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={focusFirstField}
      width={560}
    >
      {ACTION_HELP[action] && <Typography.Paragraph className="text-muted">{ACTION_HELP[action]}</Typography.Paragraph>}
      <Form<ActionValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {(action === 'handUp' || action === 'resubmit') && (
          <Form.Item label="报送单位" name="handedTo" rules={[{ required: action === 'handUp', whitespace: true, message: '请填写报送单位' }]}>
            <AutoComplete autoFocus options={units.map((u) => ({ value: u }))} placeholder="例如 某某镇便民服务中心" filterOption={false} />
          </Form.Item>
        )}
        {action === 'decide' && (
          <Form.Item label="办理结果" name="decision" rules={[{ required: true, message: '请选择办理结果' }]}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large">
              {(Object.keys(DECISIONS) as Decision[]).map((k) => (
                <Radio.Button key={k} value={k} autoFocus={k === 'approved'}>
                  {DECISIONS[k]}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        )}
        {action === 'deliver' && (
          <>
            <Form.Item label="送达方式" name="deliveryMethod" rules={[{ required: true, message: '请选择送达方式' }]}>
              <Select
                autoFocus
                placeholder="请选择"
                options={(Object.keys(DELIVERY_METHODS) as DeliveryMethod[]).map((k) => ({ value: k, label: DELIVERY_METHODS[k] }))}
              />
            </Form.Item>
            <Form.Item label="送达对象（签收人）" name="deliveredTo" rules={[{ required: true, whitespace: true, message: '请填写送达对象' }]}>
              <Input maxLength={30} />
            </Form.Item>
          </>
        )}
        {(action === 'withdraw' || action === 'returnForCorrection') && (
          <Form.Item
            label={action === 'withdraw' ? '撤回原因' : '需补正的内容'}
            name="reason"
            rules={[{ required: true, whitespace: true, message: action === 'withdraw' ? '请填写撤回原因' : '请填写需补正的内容' }]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
        )}
        <Form.Item
          label={dateLabel[action]}
          name="date"
          {...dateProps}
          rules={[
            { required: true, message: '请选择日期' },
            dateCheckRule((d) =>
              checkStepDate(dateLabel[action], d, chinaToday(), [
                intakeStep(c),
                ...(action === 'deliver' || action === 'archive' ? [{ label: '办结日期', date: c.decisionDate }] : []),
                ...(action === 'archive' ? [{ label: '送达日期', date: c.deliveredAt }] : []),
              ]),
            ),
          ]}
        >
          <DatePicker style={{ width: 200 }} allowClear={false} format="YYYY-MM-DD" autoFocus={action === 'archive'} />
        </Form.Item>
        <Form.Item label={action === 'decide' ? '结果说明' : '备注'} name="note">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} placeholder={action === 'decide' ? '例如：证书编号、不予的理由' : ''} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type FollowupValues = {
  kind: FollowupKind;
  method: FollowupMethod;
  reached: boolean;
  rating?: Rating;
  efficiency?: Rating;
  serviceLevel?: Rating;
  attitude?: Rating;
  comment: string;
  date: string;
};

const INDICATORS: { name: 'efficiency' | 'serviceLevel' | 'attitude'; label: string }[] = [
  { name: 'efficiency', label: '服务效率' },
  { name: 'serviceLevel', label: '服务水平' },
  { name: 'attitude', label: '服务态度' },
];

export function FollowupModal({ c, open, onClose, onDone }: { c: CaseDetail; open: boolean; onClose: () => void; onDone: (c: CaseDetail) => void }) {
  const [form] = Form.useForm<FollowupValues>();
  const [busy, setBusy] = useState(false);
  const reached = Form.useWatch('reached', form);
  const rating = Form.useWatch('rating', form);
  const kind = Form.useWatch('kind', form);
  const rated = c.followups.find((f) => f.rating != null);
  const hasOpenRect = c.rectifications.some((r) => r.status === 'open');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      kind: hasOpenRect ? 'rectification' : isCompleted(c.status) ? 'returnVisit' : 'feedback',
      method: 'phone',
      reached: true,
      comment: '',
      date: chinaToday(),
    });
  }, [open, c.status, hasOpenRect, form]);

  async function submit(v: FollowupValues) {
    setBusy(true);
    const input: ApiInput<'recordFollowup'> = {
      caseId: c.id,
      kind: v.kind,
      method: v.method,
      reached: v.reached,
      rating: v.reached ? v.rating ?? null : null,
      efficiency: v.reached ? v.efficiency ?? null : null,
      serviceLevel: v.reached ? v.serviceLevel ?? null : null,
      attitude: v.reached ? v.attitude ?? null : null,
      comment: (v.comment ?? '').trim(),
      date: v.date && v.date !== chinaToday() ? v.date : undefined,
    };
    try {
      const next = await api.recordFollowup(input);
      showSuccess('已登记回访');
      onDone(next);
    } catch (e) {
      showError(e, '登记回访失败');
    } finally {
      setBusy(false);
    }
  }

  const kinds = (Object.keys(FOLLOWUP_KINDS) as FollowupKind[]).filter((k) => k !== 'rectification' || hasOpenRect || c.rectifications.length > 0);

  return (
    <Modal
      open={open}
      title={`登记回访 · ${c.applicantName}`}
      okText="保存回访"
      cancelText="取消"
      okButtonProps={{ loading: busy }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={focusFirstField}
      width={760}
      style={{ top: 16 }}
      styles={{ body: { maxHeight: 'calc(100vh - 150px)', overflowY: 'auto', paddingInlineEnd: 8 } }}
    >
      <Form<FollowupValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Form.Item label="回访类别" name="kind" rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={kinds.map((k) => ({ value: k, label: FOLLOWUP_KINDS[k] }))} />
          </Form.Item>
          <Form.Item
            label="回访日期"
            name="date"
            {...dateProps}
            rules={[
              { required: true, message: '请选择日期' },
              dateCheckRule((d) =>
                checkStepDate('回访日期', d, chinaToday(), [intakeStep(c), ...(kind === 'returnVisit' ? [{ label: '办结日期', date: c.decisionDate }] : [])]),
              ),
            ]}
          >
            <DatePicker allowClear={false} format="YYYY-MM-DD" style={{ width: 160 }} />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Form.Item label="回访方式" name="method" rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={(Object.keys(FOLLOWUP_METHODS) as FollowupMethod[]).map((k) => ({ value: k, label: FOLLOWUP_METHODS[k] }))} />
          </Form.Item>
          <Form.Item label="是否联系上" name="reached" rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value={true}>联系上了</Radio.Button>
              <Radio.Button value={false}>未联系上</Radio.Button>
            </Radio.Group>
          </Form.Item>
        </div>
        {kind === 'feedback' && <Alert type="info" showIcon style={{ marginBottom: 12 }} message="进度反馈：告诉申请人办到哪一步了。评价可以不填，办结后回访时再评。" />}
        {reached !== false && (
          <>
            {rated && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`此件已于 ${rated.followDate} 评价为“${RATINGS[rated.rating as Rating]}”。好差评每件只评一次，如无新的评价可不选。`} />
            )}
            <Form.Item label="好差评（整体满意度）" name="rating">
              <Radio.Group className="rating-group" optionType="button" buttonStyle="solid" aria-label="好差评">
                {RATING_VALUES.map((r) => (
                  <Radio.Button key={r} value={r} style={isPoorRating(r) ? { color: rating === r ? undefined : '#cf1322' } : undefined}>
                    {RATINGS[r]}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            {rating != null && isPoorRating(rating) && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="poor-rating-warning"
                message={`差评：保存后将开启整改，须在 ${RECTIFICATION_WORKDAYS} 个工作日内完成整改并再次回访。请在意见中记下申请人不满意的原因。`}
              />
            )}
            <div style={{ background: '#f8fafc', borderRadius: 8, padding: '10px 12px 2px', marginBottom: 12 }}>
              <div className="text-muted" style={{ fontSize: 14, marginBottom: 6 }}>分项评价（可不填）</div>
              {INDICATORS.map((ind) => (
                <Form.Item key={ind.name} label={ind.label} name={ind.name} layout="horizontal" labelCol={{ flex: '84px' }} style={{ marginBottom: 8 }}>
                  <Radio.Group optionType="button" size="small" options={RATING_VALUES.map((r) => ({ value: r, label: RATINGS[r] }))} />
                </Form.Item>
              ))}
            </div>
          </>
        )}
        <Form.Item
          label={reached === false ? '情况说明' : '申请人意见'}
          name="comment"
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) => {
                const r = getFieldValue('rating') as Rating | undefined;
                if (r != null && isPoorRating(r) && !v?.trim()) return Promise.reject(new Error('差评请记下申请人不满意的原因'));
                return Promise.resolve();
              },
            }),
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount placeholder={reached === false ? '例如：电话无人接听，明天再打' : ''} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CloseRectificationModal({
  rectId,
  onClose,
  onDone,
}: {
  rectId: string | null;
  onClose: () => void;
  onDone: (c: CaseDetail) => void;
}) {
  const [form] = Form.useForm<{ actionNote: string; date: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (rectId) {
      form.resetFields();
      form.setFieldsValue({ actionNote: '', date: chinaToday() });
    }
  }, [rectId, form]);
  if (!rectId) return null;
  return (
    <Modal
      open
      title="整改完成"
      okText="确认整改完成"
      cancelText="取消"
      okButtonProps={{ loading: busy }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      afterOpenChange={focusFirstField}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { actionNote: string; date: string }) => {
          setBusy(true);
          try {
            const next = await api.closeRectification({ id: rectId, actionNote: v.actionNote.trim(), date: v.date !== chinaToday() ? v.date : undefined });
            showSuccess('已登记整改完成');
            onDone(next);
          } catch (e) {
            showError(e, '登记整改失败');
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item label="整改情况" name="actionNote" rules={[{ required: true, whitespace: true, message: '请写明做了哪些整改' }]}>
          <Input.TextArea autoFocus autoSize={{ minRows: 4, maxRows: 8 }} maxLength={1000} showCount placeholder="针对申请人不满意的地方做了什么、结果如何" />
        </Form.Item>
        <Form.Item
          label="完成日期"
          name="date"
          {...dateProps}
          rules={[{ required: true, message: '请选择日期' }, dateCheckRule((d) => checkStepDate('整改完成日期', d, chinaToday(), []))]}
        >
          <DatePicker allowClear={false} format="YYYY-MM-DD" />
        </Form.Item>
      </Form>
      <Typography.Paragraph className="text-muted" style={{ marginBottom: 0 }}>
        整改后请再次回访申请人（回访类别选“差评整改回访”），差评回访率须达到100%。
      </Typography.Paragraph>
    </Modal>
  );
}

/** Asks for the promised date when a material is switched to 容缺后补. */
export function PromiseDateModal({
  open,
  materialName,
  intakeDate,
  onCancel,
  onOk,
}: {
  open: boolean;
  materialName: string;
  intakeDate: string;
  onCancel: () => void;
  onOk: (date: string) => void;
}) {
  const [date, setDate] = useState<Dayjs | null>(null);
  useEffect(() => {
    if (open) setDate(null);
  }, [open]);
  // The same rule as the register's: a past date stays in the box with the reason, never silently blanked.
  const check = date ? checkPromisedDate(date.format('YYYY-MM-DD'), { today: chinaToday(), intakeDate, materialName }) : null;
  return (
    <Modal
      open={open}
      title={`容缺后补：${materialName}`}
      okText="确定"
      cancelText="取消"
      okButtonProps={{ disabled: !date || !check?.ok }}
      onCancel={onCancel}
      onOk={() => date && check?.ok && onOk(date.format('YYYY-MM-DD'))}
      destroyOnHidden
      afterOpenChange={focusFirstField}
    >
      <label htmlFor="promise-date" style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>
        申请人承诺补交日期
      </label>
      <DatePicker id="promise-date" autoFocus value={date} onChange={setDate} format="YYYY-MM-DD" status={check && !check.ok ? 'error' : undefined} />
      {check && !check.ok && (
        <div role="alert" style={{ color: '#cf1322', marginTop: 6 }}>
          {check.error}
        </div>
      )}
    </Modal>
  );
}
