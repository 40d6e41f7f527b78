// 来访登记 form (the paper 《来信来访登记簿》), autosaved as a draft like the intake form.
import { SaveOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Tag, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import { parsePhone } from '../../../domain/phone';
import { backfillNeedsConfirmation, checkRecordDate, checkStepDate, daysBetween } from '../../../domain/dateBounds';
import { dateCheckRule } from '../components/dateRules';
import {
  VISIT_CATEGORIES,
  VISIT_CHANNELS,
  VISIT_HANDLINGS,
  type VisitCategory,
  type VisitChannel,
  type VisitHandling,
} from '../../../domain/vocab';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { formKeyDown, useCtrlEnter } from '../components/keyboard';
import { deleteDraft, draftPrompt, loadDraft, useDraftAutosave } from '../drafts';
import { chinaTime, chinaToday } from '../format';
import { feedback, showError, showSuccess } from '../notify';
import { href, navigate } from '../components/routing';
import { useSession } from '../session';
import { dateProps } from './caseModals';

export type VisitValues = {
  visitDate: string;
  visitTime: string;
  visitorName: string;
  visitorPhone: string;
  visitorCount: number;
  channel: VisitChannel;
  category: VisitCategory;
  summary: string;
  handling: VisitHandling;
  transferredTo: string;
  outcome: string;
  settledDate: string | null;
  backfillConfirmed?: boolean;
};

const timeProps = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(`2000-01-01T${v}`) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('HH:mm') : ''),
};

function initial(): VisitValues {
  return {
    visitDate: chinaToday(),
    visitTime: chinaTime(new Date().toISOString()),
    visitorName: '',
    visitorPhone: '',
    visitorCount: 1,
    channel: 'walkIn',
    category: 'consult',
    summary: '',
    handling: 'answered',
    transferredTo: '',
    outcome: '',
    settledDate: null,
  };
}

export function VisitFormPage({ restore }: { restore?: boolean }) {
  const { agent, state } = useSession();
  const [form] = Form.useForm<VisitValues>();
  const [saving, setSaving] = useState(false);
  const autosave = useDraftAutosave('visit', agent.id);
  const handling = Form.useWatch('handling', form);
  const visitDate = Form.useWatch('visitDate', form);
  const today = chinaToday();

  useCtrlEnter(() => form.submit());

  const persist = useCallback(() => autosave.save(form.getFieldsValue(true)), [autosave, form]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const d = await loadDraft('visit', agent.id);
      if (!d || cancelled) return;
      const apply = () => form.setFieldsValue({ ...initial(), ...(d.data as Partial<VisitValues>) });
      if (restore) return apply();
      feedback().modal.confirm({
        title: '恢复未完成的来访登记',
        content: draftPrompt('visit', d.savedAt),
        okText: '恢复',
        cancelText: '丢弃',
        closable: false,
        onOk: apply,
        onCancel: () => deleteDraft('visit', agent.id),
      });
    })();
    return () => {
      cancelled = true;
    };
  }, [agent.id, restore, form]);

  async function submit(v: VisitValues) {
    setSaving(true);
    const phone = v.visitorPhone?.trim() ? parsePhone(v.visitorPhone) : null;
    const input: ApiInput<'createVisit'> = {
      visitDate: v.visitDate,
      backfillConfirmed: backfillNeedsConfirmation(v.visitDate, today) ? !!v.backfillConfirmed : undefined,
      visitTime: v.visitTime || undefined,
      visitorName: v.visitorName.trim(),
      visitorPhone: phone?.ok ? phone.value.phone : (v.visitorPhone ?? '').trim(),
      visitorCount: v.visitorCount || 1,
      channel: v.channel,
      category: v.category,
      summary: v.summary.trim(),
      handling: v.handling,
      transferredTo: v.handling === 'transferred' || v.handling === 'assistedComplaint' ? (v.transferredTo ?? '').trim() : '',
      outcome: (v.outcome ?? '').trim(),
      settledDate: v.settledDate || null,
    };
    try {
      const saved = await api.createVisit(input);
      autosave.cancel();
      await deleteDraft('visit', agent.id);
      if (v.handling === 'toCase') {
        showSuccess('来访已登记，请接着填写受理登记');
        navigate(`/intake?visit=${encodeURIComponent(saved.id)}`);
      } else {
        showSuccess('来访已登记');
        navigate(`/visits/${saved.id}`);
      }
    } catch (e) {
      showError(e, '保存失败');
    } finally {
      setSaving(false);
    }
  }

  return (
    <div onKeyDown={formKeyDown()}>
      <PageTitle title="登记来访" extra={<Button href={href('/visits')}>返回来访列表</Button>}>
        <span className="text-muted">自动保存草稿 · Ctrl+Enter 保存</span>
      </PageTitle>
      <Form<VisitValues>
        form={form}
        layout="vertical"
        initialValues={initial()}
        onValuesChange={persist}
        onFinish={(v) => void submit({ ...(form.getFieldsValue(true) as VisitValues), ...v })}
        onFinishFailed={() => showError(new Error('还有内容没有填好，请查看标红的项目'))}
        scrollToFirstError
      >
        <Card size="small" style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item label="来访人" name="visitorName" rules={[{ required: true, whitespace: true, message: '请填写来访人姓名' }]}>
                <Input autoFocus maxLength={50} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item
                label="联系电话"
                name="visitorPhone"
                validateTrigger="onBlur"
                rules={[
                  {
                    validator: (_, v: string | undefined) => {
                      if (!v?.trim()) return Promise.resolve();
                      const r = parsePhone(v);
                      return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
                    },
                  },
                ]}
              >
                <Input maxLength={20} inputMode="tel" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={3}>
              <Form.Item label="人数" name="visitorCount" rules={[{ required: true, message: '请填写人数' }]}>
                <InputNumber min={1} max={500} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item
                label={<span>来访日期 {visitDate && visitDate < today && <Tag color="purple">补录</Tag>}</span>}
                name="visitDate"
                {...dateProps}
                dependencies={['backfillConfirmed']}
                rules={[
                  { required: true, message: '请选择日期' },
                  dateCheckRule((d) =>
                    checkRecordDate('来访日期', d, { today, pointSince: state.pointSince, backfillConfirmed: !!form.getFieldValue('backfillConfirmed') }),
                  ),
                ]}
              >
                <DatePicker allowClear={false} style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
              {visitDate && backfillNeedsConfirmation(visitDate, today) && (
                <Form.Item name="backfillConfirmed" valuePropName="checked" style={{ marginTop: -8 }}>
                  <Checkbox data-testid="backfill-confirm">确认补录：已对照纸质登记簿核对日期（{daysBetween(visitDate, today)} 天前）</Checkbox>
                </Form.Item>
              )}
            </Col>
            <Col span={5}>
              <Form.Item label="时间" name="visitTime" {...timeProps}>
                <TimePicker format="HH:mm" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={11}>
              <Form.Item label="渠道" name="channel" rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={(Object.keys(VISIT_CHANNELS) as VisitChannel[]).map((k) => ({ value: k, label: VISIT_CHANNELS[k] }))} />
              </Form.Item>
            </Col>
            <Col span={13}>
              <Form.Item label="类别" name="category" rules={[{ required: true }]}>
                <Radio.Group optionType="button" options={(Object.keys(VISIT_CATEGORIES) as VisitCategory[]).map((k) => ({ value: k, label: VISIT_CATEGORIES[k] }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="来访事由" name="summary" rules={[{ required: true, whitespace: true, message: '请填写来访事由' }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount placeholder="来访人反映的情况、诉求" />
          </Form.Item>
        </Card>
        <Card size="small" style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item label="处理方式" name="handling" rules={[{ required: true }]} extra={handling === 'toCase' ? '保存后接着填写受理登记' : undefined}>
                <Select options={(Object.keys(VISIT_HANDLINGS) as VisitHandling[]).map((k) => ({ value: k, label: VISIT_HANDLINGS[k] }))} />
              </Form.Item>
            </Col>
            {(handling === 'transferred' || handling === 'assistedComplaint') && (
              <Col span={8}>
                <Form.Item label="转办单位" name="transferredTo" rules={[{ required: handling === 'transferred', whitespace: true, message: '请填写转办单位' }]}>
                  <Input maxLength={60} placeholder="例如 某某镇司法所" />
                </Form.Item>
              </Col>
            )}
            <Col span={8}>
              <Form.Item
                label="息访日期"
                name="settledDate"
                {...dateProps}
                extra="问题解决、来访人满意后填写"
                dependencies={['visitDate']}
                rules={[dateCheckRule((d) => checkStepDate('息访日期', d, today, [{ label: '来访日期', date: form.getFieldValue('visitDate') as string }]))]}
              >
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="处理结果" name="outcome">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
        </Card>
        <div className="sticky-actions">
          <Button type="primary" size="large" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="save-visit">
            {handling === 'toCase' ? '保存并转为代办件' : '保存来访登记'}
          </Button>
          <span className="text-muted">Ctrl+Enter 保存 · 草稿已自动保存</span>
        </div>
      </Form>
    </div>
  );
}
