// Sign in, unlock after the idle lock, or switch to another agent on the duty roster: pick a name, type the PIN.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { AgentSummary, AppState, RecoveryNotice } from '../../../domain/records';
import { RecoverySheet } from './RecoverySheet';
import { PIN_HINT } from './pinRule';
import { pinProblem } from '../../../domain/pin';
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
  const [notice, setNotice] = useState<{ a: AgentSummary; n: RecoveryNotice } | null>(null);
  const [recovering, setRecovering] = useState(false);
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
      // This sign-in encrypted a register from before encryption: the new recovery code comes first.
      if (a.recovery) setNotice({ a, n: a.recovery });
      else await onSignedIn(a);
    } catch (e) {
      setError(errorText(e));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  if (notice) return <RecoverySheet notice={notice.n} onDone={() => void onSignedIn(notice.a)} />;
  if (recovering) return <RecoverPanel state={state} agentId={agentId} onCancel={() => setRecovering(false)} onSignedIn={onSignedIn} />;

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
          {mode === 'signIn' && state.registerLocked && (
            <Button type="link" onClick={() => setRecovering(true)}>
              忘记 PIN？用恢复码
            </Button>
          )}
        </Space>
      </form>
    </div>
  );
}

/** Every PIN forgotten: the sealed recovery code opens the register and sets this agent a new PIN. */
function RecoverPanel({
  state,
  agentId: initialAgent,
  onCancel,
  onSignedIn,
}: {
  state: AppState;
  agentId?: string;
  onCancel: () => void;
  onSignedIn: (a: AgentSummary) => void | Promise<void>;
}) {
  const agents = state.agents.filter((a) => a.active);
  const [agentId, setAgentId] = useState<string | undefined>(initialAgent ?? agents[0]?.id);
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    const problem = !agentId ? '请先点选您的名字' : !code.trim() ? '请输入恢复码' : pinProblem(pin) ?? (pin !== pin2 ? '两次输入的新 PIN 不一致' : null);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const a = await api.recoverWithCode({ recoveryCode: code, agentId: agentId!, newPin: pin });
      await onSignedIn(a);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-card" data-testid="signin-recover">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        用恢复码打开登记簿
      </Typography.Title>
      <p className="text-muted">恢复码在设置时打印、密封交乡镇保管的那张纸上（5组字母数字）。打开后为您设置新的 PIN。</p>
      <div className="agent-grid" role="radiogroup" aria-label="代办员">
        {agents.map((a) => (
          <button key={a.id} type="button" role="radio" aria-checked={a.id === agentId} className={`agent-btn${a.id === agentId ? ' selected' : ''}`} onClick={() => setAgentId(a.id)}>
            <UserOutlined style={{ fontSize: 22, color: '#1d6fd8' }} />
            <span>{a.name}</span>
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="recover-code" style={{ display: 'block', margin: '8px 0 6px', fontWeight: 600 }}>
          恢复码
        </label>
        <Input id="recover-code" size="large" autoFocus value={code} onChange={(e) => setCode(e.target.value)} placeholder="XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" autoComplete="off" />
        <label htmlFor="recover-pin" style={{ display: 'block', margin: '8px 0 6px', fontWeight: 600 }}>
          新的 PIN
        </label>
        <Input.Password id="recover-pin" size="large" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" maxLength={12} autoComplete="new-password" />
        <div className="text-muted">{PIN_HINT}</div>
        <label htmlFor="recover-pin2" style={{ display: 'block', margin: '8px 0 6px', fontWeight: 600 }}>
          再输一次新的 PIN
        </label>
        <Input.Password id="recover-pin2" size="large" value={pin2} onChange={(e) => setPin2(e.target.value)} inputMode="numeric" maxLength={12} autoComplete="new-password" />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} role="alert" />}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" size="large" htmlType="submit" loading={busy}>
            打开并设置新 PIN
          </Button>
          <Button size="large" onClick={onCancel}>
            返回
          </Button>
        </Space>
      </form>
    </div>
  );
}
