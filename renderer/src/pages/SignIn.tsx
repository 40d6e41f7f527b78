// Sign in, unlock after the idle lock, or switch to another agent on the duty roster: pick a name, type the PIN.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { AgentSummary, AppState } from '../../../domain/records';
import { api } from '../api';
import { errorText } from '../notify';

type Mode = 'signIn' | 'lock' | 'switch';

const TITLES: Record<Mode, string> = {
  signIn: '请选择代办员并输入密码',
  lock: '已锁屏',
  switch: '切换代办员',
};

export function SignInPanel({
  state,
  mode,
  preselect,
  note,
  onSignedIn,
  onCancel,
}: {
  state: AppState;
  mode: Mode;
  note?: string;
  preselect?: string;
  onSignedIn: (a: AgentSummary) => void | Promise<void>;
  onCancel?: () => void;
}) {
  const agents = state.agents.filter((a) => a.active);
  const initial = preselect ?? (agents.length === 1 ? agents[0].id : undefined);
  const [agentId, setAgentId] = useState<string | undefined>(initial);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pinRef = useRef<InputRef>(null);
  const firstAgentRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (agentId) pinRef.current?.focus();
    else firstAgentRef.current?.focus();
  }, [agentId]);

  const chosen = agents.find((a) => a.id === agentId);

  async function submit() {
    if (!agentId) {
      setError('请先点选您的名字');
      return;
    }
    if (!pin) {
      setError('请输入密码');
      pinRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const a = await api.signIn({ agentId, pin });
      setPin('');
      await onSignedIn(a);
    } catch (e) {
      setError(errorText(e));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-card" data-testid={`signin-${mode}`}>
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
        {mode === 'lock' && <LockOutlined style={{ marginInlineEnd: 8 }} />}
        {TITLES[mode]}
      </Typography.Title>
      <div className="text-muted" style={{ marginBottom: 8 }}>
        {state.point?.unitName ?? '代办通'}
        {note && <div>{note}</div>}
      </div>

      {agents.length === 0 ? (
        <Alert type="error" showIcon message="没有可用的代办员，请联系乡镇便民服务中心。" />
      ) : (
        <div className="agent-grid" role="radiogroup" aria-label="代办员">
          {agents.map((a, i) => (
            <button
              key={a.id}
              ref={i === 0 ? firstAgentRef : undefined}
              type="button"
              role="radio"
              aria-checked={a.id === agentId}
              className={`agent-btn${a.id === agentId ? ' selected' : ''}`}
              onClick={() => {
                setAgentId(a.id);
                setError(null);
              }}
            >
              <UserOutlined style={{ fontSize: 22, color: '#1d6fd8' }} />
              <span>{a.name}</span>
              {a.phoneMasked && <small>{a.phoneMasked}</small>}
            </button>
          ))}
        </div>
      )}

      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="signin-pin" style={{ display: 'block', marginBottom: 6, fontWeight: 600 }}>
          {chosen ? `${chosen.name} 的密码` : '密码'}
        </label>
        <Input.Password
          id="signin-pin"
          ref={pinRef}
          size="large"
          value={pin}
          autoComplete="current-password"
          placeholder="输入密码后按回车"
          onChange={(e) => setPin(e.target.value)}
          disabled={!agentId}
        />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} role="alert" />}
        <Space style={{ marginTop: 16 }} size="middle">
          <Button type="primary" size="large" htmlType="submit" loading={busy} disabled={!agentId}>
            {mode === 'lock' ? '解锁' : '登录'}
          </Button>
          {onCancel && (
            <Button size="large" onClick={onCancel}>
              取消
            </Button>
          )}
        </Space>
      </form>
    </div>
  );
}
