// The recovery code, shown once (after setup, or after an old register was encrypted): printed or
// copied onto paper, sealed in an envelope and kept by the township. It is the only way into the
// register and its backups when every agent has forgotten their PIN.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Space, Typography } from 'antd';
import { useState } from 'react';
import type { RecoveryNotice } from '../../../domain/records';

export function RecoverySheet({ notice, onDone }: { notice: RecoveryNotice; onDone: () => void }) {
  const [kept, setKept] = useState(false);
  return (
    <div className="signin-wrap">
      <div className="signin-card recovery-card" data-testid="recovery-sheet">
        <div className="recovery-sheet">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            代办通登记簿恢复码
          </Typography.Title>
          <p>{notice.unitName}</p>
          <p className="recovery-code" data-testid="recovery-code" aria-label="恢复码">
            {notice.recoveryCode}
          </p>
          <p>生成时间：{notice.createdAt.slice(0, 10)}</p>
          <ul>
            <li>本代办点的登记簿和备份都已加密，平时由代办员的 PIN 打开。</li>
            <li>全部代办员都忘记 PIN、或在新电脑上恢复备份时，用这个恢复码打开并重设 PIN。</li>
            <li>请打印或抄写后装入信封密封，交乡镇便民服务中心保管；不要放在电脑旁，不要拍照发送。</li>
            <li>恢复码只显示这一次。遗失恢复码又忘记全部 PIN，数据将无法找回。</li>
          </ul>
          <p className="recovery-sign">保管人签字：____________ {"　"}日期：____________</p>
        </div>
        {notice.removedPlainCopies > 0 && (
          <Alert
            className="no-print"
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            message={`登记簿已加密。原来未加密的登记簿和 ${notice.removedPlainCopies} 份未加密的备份已删除，换成了加密的。`}
          />
        )}
        {notice.removedPlainCopies === 0 && (
          <Alert className="no-print" type="info" showIcon style={{ marginBottom: 12 }} message="登记簿已加密：没有 PIN 或恢复码，拿到电脑或U盘的人也看不到任何群众信息。" />
        )}
        <Space className="no-print" direction="vertical" size="middle">
          <Button size="large" icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印恢复码
          </Button>
          <Checkbox checked={kept} onChange={(e) => setKept(e.target.checked)}>
            我已打印或抄写恢复码，并会密封交乡镇保管
          </Checkbox>
          <Button type="primary" size="large" disabled={!kept} onClick={onDone}>
            继续
          </Button>
        </Space>
      </div>
    </div>
  );
}
