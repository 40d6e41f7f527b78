// The county's two actions on a case: 县级决定 (准予 / 不予 / 退回补正 with a note) and 督办 (a note and a
// reply-by date). Both send the case version they were opened on: if a village sync or another clerk
// changed the case meanwhile, the server refuses (409), nothing is applied, and the page reloads.
import { Alert, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { AppError } from '../../../domain/errors';
import { focusFirstField } from '../../src/components/modalFocus';
import { errorText, showSuccess } from '../../src/notify';
import { call, type CountyCaseDetail } from '../api';
import { useConsole } from '../session';

type Props = { c: CountyCaseDetail | null; onClose: () => void; onDone: (c: CountyCaseDetail) => void; onStale: () => void };

type DecideValues = { action: 'approved' | 'refused' | 'returnForCorrection'; date: Dayjs; note: string };

function useSubmit(onStale: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(fn: () => Promise<T>): Promise<T | null> {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(errorText(e));
      if (e instanceof AppError && e.code === 'conflict') onStale();
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

export function DecideModal({ c, onClose, onDone, onStale }: Props) {
  const { scope } = useConsole();
  const [form] = Form.useForm<DecideValues>();
  const { busy, error, setError, run } = useSubmit(onStale);
  const action = Form.useWatch('action', form);

  useEffect(() => {
    if (c) {
      form.setFieldsValue({ action: c.canDecide ? 'approved' : 'returnForCorrection', date: dayjs(scope.today), note: '' });
      setError(null);
    }
  }, [c, form, scope.today, setError]);

  async function submit() {
    if (!c) return;
    const v = await form.validateFields();
    const next = await run(() => call('decideCase', { caseId: c.id, action: v.action, date: v.date.format('YYYY-MM-DD'), note: v.note.trim(), expectedVersion: c.version }));
    if (next) {
      showSuccess('县级决定已记录，将随回复送达代办点');
      onDone(next);
    }
  }

  return (
    <Modal
      open={!!c}
      title={`县级决定：${c?.caseNo ?? ''}`}
      okText="记录决定"
      cancelText="取消"
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      afterOpenChange={focusFirstField}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="decide-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item label="决定" name="action" rules={[{ required: true, message: '请选择决定' }]}>
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approved" disabled={!c?.canDecide}>
              准予
            </Radio.Button>
            <Radio.Button value="refused" disabled={!c?.canDecide}>
              不予
            </Radio.Button>
            <Radio.Button value="returnForCorrection" disabled={!c?.canReturn}>
              退回补正
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="决定日期" name="date" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker format="YYYY-MM-DD" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(scope.today), 'day')} />
        </Form.Item>
        <Form.Item
          label={action === 'returnForCorrection' ? '需补正的内容' : action === 'refused' ? '不予的理由' : '说明（可不填）'}
          name="note"
          rules={[{ validator: (_r, v: string) => (action !== 'approved' && !v?.trim() ? Promise.reject(new Error(action === 'refused' ? '不予须写明理由' : '退回补正须写明要补什么')) : Promise.resolve()) }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type SuperviseValues = { note: string; replyBy: Dayjs };

export function SuperviseModal({ c, onClose, onDone, onStale }: Props) {
  const { scope } = useConsole();
  const [form] = Form.useForm<SuperviseValues>();
  const { busy, error, setError, run } = useSubmit(onStale);

  useEffect(() => {
    if (c) {
      form.setFieldsValue({ note: '', replyBy: dayjs(scope.today).add(5, 'day') });
      setError(null);
    }
  }, [c, form, scope.today, setError]);

  async function submit() {
    if (!c) return;
    const v = await form.validateFields();
    const next = await run(() => call('createSupervision', { caseId: c.id, note: v.note.trim(), replyBy: v.replyBy.format('YYYY-MM-DD'), expectedVersion: c.version }));
    if (next) {
      showSuccess('已督办：通知将随下一次同步送到代办点的“今日”页面');
      onDone(next);
    }
  }

  return (
    <Modal
      open={!!c}
      title={`督办：${c?.caseNo ?? ''}`}
      okText="发出督办"
      cancelText="取消"
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      afterOpenChange={focusFirstField}
      destroyOnHidden
      width={560}
    >
      <p className="text-muted" style={{ marginTop: 0 }}>
        {c ? `${c.townshipName}${c.villageName}，${c.applicantName}，${c.itemName}` : ''}。督办通知随签名回复下发，显示在代办点的“今日”页面，直到代办员答复。
      </p>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="supervise-error" />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item label="督办事项" name="note" rules={[{ required: true, whitespace: true, message: '请填写督办事项' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="如：已超期，请说明原因并于答复期限前办结" id="supervise-note" />
        </Form.Item>
        <Form.Item label="答复期限" name="replyBy" rules={[{ required: true, message: '请选择答复期限' }]}>
          <DatePicker format="YYYY-MM-DD" allowClear={false} disabledDate={(d) => d.isBefore(dayjs(scope.today), 'day')} id="supervise-reply-by" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
