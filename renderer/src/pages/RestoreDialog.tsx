// 设置 → 恢复: one dialog for every backup file, this laptop's own or one brought on a USB stick from
// another laptop of the point. It looks at the file first (api.inspectBackup) and asks only for what
// that file needs: nothing for this laptop's own backups; an agent's PIN of the backup or the point's
// recovery code when the backup was encrypted with another key; an explicit confirmation when it is
// another point's backup. Wrong answers are shown in the dialog, which stays open; nothing is replaced.
import { Alert, Checkbox, Descriptions, Input, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { BackupInspection } from '../../../domain/records';
import { api } from '../api';
import { dateTime, formatBytes } from '../format';
import { errorText, feedback } from '../notify';
import { useSession } from '../session';

type Props = { path: string | null; onClose: () => void; onRestored: () => Promise<void> };

export function RestoreDialog({ path, onClose, onRestored }: Props) {
  const { point } = useSession();
  const [info, setInfo] = useState<BackupInspection | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [how, setHow] = useState<'pin' | 'recovery'>('pin');
  const [agentId, setAgentId] = useState<string | undefined>();
  const [pin, setPin] = useState('');
  const [code, setCode] = useState('');
  const [servesPoint, setServesPoint] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setInfo(null);
    setLoadError(null);
    setError(null);
    setPin('');
    setCode('');
    setHow('pin');
    setServesPoint(false);
    if (!path) return;
    let live = true;
    api.inspectBackup({ path }).then(
      (i) => {
        if (!live) return;
        setInfo(i);
        setAgentId(i.agents[0]?.id);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [path]);

  const otherPoint = info?.pointCode && info.pointCode !== point.villageCode ? info.pointCode : null;
  const secretGiven = !info?.needsSecret || (how === 'pin' ? !!agentId && pin.length > 0 : code.trim().length > 0);
  const ready = !!info && secretGiven && (!otherPoint || servesPoint) && !busy;

  async function restore() {
    if (!info || !ready) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.restoreBackup({
        path: info.path,
        confirm: true,
        ...(info.needsSecret ? (how === 'pin' ? { agentId, pin } : { recoveryCode: code.trim() }) : {}),
        ...(otherPoint ? { servesPoint: otherPoint } : {}),
      });
      onClose();
      feedback().modal.success({
        title: '恢复完成',
        content: (
          <div style={{ wordBreak: 'break-all' }}>
            <p>恢复前的数据已备份到：{r.safetyBackup}</p>
            {r.message && <p>{r.message}</p>}
            <p>请重新登录{info.needsSecret ? '：用备份中代办员的 PIN（做备份那台电脑上的 PIN）' : ''}。</p>
          </div>
        ),
        okText: '知道了',
      });
      await onRestored();
    } catch (e) {
      setError(errorText(e));
      setPin('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={path !== null}
      title="从备份恢复数据"
      width={640}
      okText="确定恢复"
      okButtonProps={{ danger: true, disabled: !ready, loading: busy }}
      cancelText="取消"
      onOk={() => void restore()}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      style={{ top: 24 }}
    >
      {loadError && <Alert type="error" showIcon message="这个文件不能恢复" description={loadError} />}
      {!info && !loadError && (
        <Space>
          <Spin /> 正在读取备份文件……
        </Space>
      )}
      {info && (
        <div data-testid="restore-dialog">
          <Descriptions
            size="small"
            column={1}
            labelStyle={{ width: 110 }}
            items={[
              { key: 'point', label: '所属代办点', children: info.unitName ? `${info.unitName}（${info.pointCode}）` : '（尚未设置的登记簿）' },
              {
                key: 'file',
                label: '文件',
                children: (
                  <span style={{ wordBreak: 'break-all', fontSize: 14 }}>
                    {info.path}（{dateTime(info.createdAt)}，{formatBytes(info.bytes)}）
                  </span>
                ),
              },
            ]}
          />
          {otherPoint && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              message={`这份备份属于另一个代办点（${info.unitName ?? otherPoint}），本机现在是${point.unitName}的登记簿`}
              description={
                <Checkbox checked={servesPoint} onChange={(e) => setServesPoint(e.target.checked)}>
                  本机今后改为代办点 {otherPoint} 服务（现在的数据会先自动备份）
                </Checkbox>
              }
            />
          )}
          {info.needsSecret && (
            <div style={{ marginTop: 12 }}>
              <Alert
                type="info"
                showIcon
                message={
                  <>
                    <b>这份备份是在另一台电脑上（或更换密钥之前）做的，已加密。</b>
                    请输入做备份时该代办点任一代办员的 PIN，或该代办点的恢复码（设置时打印、由乡镇保管）。
                  </>
                }
              />
              <Radio.Group value={how} onChange={(e) => {
                  setHow(e.target.value as 'pin' | 'recovery');
                  setError(null);
                }} style={{ margin: '12px 0' }} optionType="button">
                <Radio value="pin">代办员 PIN</Radio>
                <Radio value="recovery">恢复码</Radio>
              </Radio.Group>
              {how === 'pin' ? (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Radio.Group aria-label="备份中的代办员" value={agentId} onChange={(e) => setAgentId(e.target.value as string)}>
                    {info.agents.map((a) => (
                      <Radio key={a.id} value={a.id}>
                        {a.name}
                      </Radio>
                    ))}
                  </Radio.Group>
                  <Input.Password
                    id="restore-pin"
                    aria-label="该代办员的 PIN"
                    placeholder="该代办员在做备份那台电脑上的 PIN"
                    autoFocus
                    inputMode="numeric"
                    maxLength={12}
                    value={pin}
                    onChange={(e) => {
                      setPin(e.target.value.replace(/\D/g, ''));
                      setError(null);
                    }}
                    onPressEnter={() => void restore()}
                  />
                </Space>
              ) : (
                <Input
                  id="restore-recovery"
                  aria-label="该代办点的恢复码"
                  placeholder="恢复码，如 K27HZ-NMUQD-SCZ6U-2NJY3-3GKW7"
                  autoFocus
                  maxLength={40}
                  value={code}
                  onChange={(e) => {
                    setCode(e.target.value);
                    setError(null);
                  }}
                  onPressEnter={() => void restore()}
                />
              )}
            </div>
          )}
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
            恢复之前，系统会先把现在的数据自动备份一份，万一恢复错了还能找回。
            <span className="text-danger">备份之后新登记的内容将不在恢复后的数据中。</span>恢复后需要重新登录。
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} message={error} data-testid="restore-error" />}
        </div>
      )}
    </Modal>
  );
}
