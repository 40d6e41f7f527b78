// 县级督办 / 考评预警 on 今日: each notice stays until the agent answers; the answer is synced up.
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import type { CountyNotice, TodaySummary } from '../../../domain/records';
import { api } from '../api';
import { cnDate } from '../format';
import { showError, showSuccess } from '../notify';
import { Link } from './routing';

export function CountyNotices({ notices, onAnswered }: { notices: CountyNotice[]; onAnswered(s: TodaySummary): void }) {
  return (
    <div data-testid="county-notices" style={{ marginBottom: 12 }}>
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} onAnswered={onAnswered} />
      ))}
    </div>
  );
}

function NoticeItem({ notice: n, onAnswered }: { notice: CountyNotice; onAnswered(s: TodaySummary): void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      onAnswered(await api.answerCountyNotice({ noticeId: n.id, answer: text }));
      showSuccess('答复已保存，下次同步时报送县里');
    } catch (e) {
      showError(e, '保存答复失败');
    } finally {
      setBusy(false);
    }
  };
  const title =
    n.kind === 'supervision' ? (
      <span>
        县级督办：代办件 {n.caseId ? <Link to={`/cases/${n.caseId}`}>{n.caseNo}</Link> : n.caseNo}
        {n.replyBy && `，请于 ${cnDate(n.replyBy)} 前答复`}
        {n.late && '（已过答复期限）'}
      </span>
    ) : (
      <span>县级考评预警（{n.month}）</span>
    );
  return (
    <Alert
      type={n.late || n.kind === 'warning' ? 'error' : 'warning'}
      showIcon
      style={{ marginBottom: 8, fontSize: 16 }}
      message={title}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>{n.note}</div>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              aria-label="答复内容"
              placeholder={n.kind === 'warning' ? '整改打算' : '办理进展、原因、预计办结时间'}
              value={text}
              maxLength={1000}
              onChange={(e) => setText(e.target.value)}
              onPressEnter={() => void submit()}
            />
            <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void submit()}>
              答复
            </Button>
          </Space.Compact>
        </Space>
      }
    />
  );
}
