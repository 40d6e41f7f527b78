// A known ID number typed with another name: the agent says which is true (domain/applicantName.ts)
// instead of the register silently renaming the person on every case.
import { Button, Modal, Space, Typography } from 'antd';
import { NAME_CHOICES, nameConflictMessage, type NameChoice } from '../../../../domain/applicantName';

export type NameConflict = { stored: string; typed: string; kind: 'person' | 'org' };

export function NameConflictModal({
  conflict,
  onChoose,
  onCancel,
}: {
  conflict: NameConflict | null;
  onChoose: (choice: NameChoice) => void;
  onCancel: () => void;
}) {
  return (
    <Modal
      open={!!conflict}
      title="姓名与档案不一致"
      onCancel={onCancel}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onCancel}>返回修改</Button>
          <Button data-testid="name-keep" onClick={() => onChoose('keep')}>
            保留档案姓名“{conflict?.stored}”
          </Button>
          <Button type="primary" data-testid="name-correct" onClick={() => onChoose('correct')}>
            更正为“{conflict?.typed}”
          </Button>
        </Space>
      }
    >
      {conflict && (
        <div data-testid="name-conflict" style={{ fontSize: 16 }}>
          <Typography.Paragraph>{nameConflictMessage(conflict.stored, conflict.typed, conflict.kind)}</Typography.Paragraph>
          <ul style={{ paddingLeft: 20 }}>
            <li>更正：{NAME_CHOICES.correct}。以前各件的打印件仍按当时的姓名。</li>
            <li>保留：{NAME_CHOICES.keep}，这一件也按档案姓名登记。</li>
          </ul>
        </div>
      )}
    </Modal>
  );
}
