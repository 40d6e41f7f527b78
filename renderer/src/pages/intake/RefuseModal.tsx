// 不予受理: the written reason is required (prefilled with the 一次性告知 list when materials are missing).
import { Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { focusFirstField } from '../../components/modalFocus';

export function RefuseModal({
  open,
  defaultReason,
  onCancel,
  onOk,
}: {
  open: boolean;
  defaultReason: string;
  onCancel: () => void;
  onOk: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (open) {
      setReason(defaultReason);
      setTouched(false);
    }
  }, [open, defaultReason]);
  const empty = !reason.trim();
  return (
    <Modal
      open={open}
      title="不予受理"
      okText="确认不予受理"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onCancel={onCancel}
      onOk={() => {
        setTouched(true);
        if (!empty) onOk(reason.trim());
      }}
      destroyOnHidden
      afterOpenChange={focusFirstField}
    >
      <Typography.Paragraph>不予受理须书面说明理由。此件将登记为“不予受理”，不计入受理量，也不开始计时。</Typography.Paragraph>
      <label htmlFor="refuse-reason" style={{ fontWeight: 600 }}>
        不予受理理由
      </label>
      <Input.TextArea
        id="refuse-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={500}
        showCount
        status={touched && empty ? 'error' : undefined}
        style={{ marginBottom: 24 }}
      />
      {touched && empty && (
        <div className="text-danger" role="alert">
          请填写不予受理理由
        </div>
      )}
    </Modal>
  );
}
