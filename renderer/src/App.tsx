// Top level: theme and locale, then first-time setup, sign-in, or the signed-in shell with the idle lock.
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AgentSummary, AppState } from '../../domain/records';
import { api, onAuthLost } from './api';
import { errorText, setFeedbackHolder, showInfo } from './notify';
import { SessionContext, type Session } from './session';
import { Setup } from './pages/Setup';
import { SignInPanel } from './pages/SignIn';
import { Shell } from './Shell';
import { APP_THEME } from './components/theme';

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      theme={APP_THEME}
    >
      <AntApp>
        <FeedbackHolder />
        <Root />
      </AntApp>
    </ConfigProvider>
  );
}

function FeedbackHolder() {
  const h = AntApp.useApp();
  setFeedbackHolder(h);
  return null;
}

type LockReason = 'manual' | 'idle' | 'expired';
const LOCK_NOTES: Record<LockReason, string> = {
  manual: '已锁屏，输入密码继续，已填写的内容不会丢失',
  idle: '长时间未操作已自动锁屏，输入密码继续，已填写的内容不会丢失',
  expired: '登录已失效，请重新输入密码，已填写的内容不会丢失',
};

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart', 'pointerdown'] as const;

function Root() {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** Non-null while the lock screen covers the app (the app stays mounted so nothing typed is lost). */
  const [lockedAgent, setLockedAgent] = useState<AgentSummary | null>(null);
  const [lockReason, setLockReason] = useState<LockReason>('manual');
  const [switching, setSwitching] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const s = await api.getAppState({});
      setState(s);
      setLoadError(null);
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const agent = state?.currentAgent ?? null;

  const lock = useCallback((reason: LockReason = 'manual') => {
    if (!agent) return;
    setSwitching(false);
    setLockReason(reason);
    setLockedAgent(agent);
    void api.signOut({}).catch(() => undefined);
  }, [agent]);

  // The session ended elsewhere (e.g. the program was restarted): cover the app and ask for the PIN again.
  useEffect(
    () =>
      onAuthLost(() => {
        if (agent) {
          setLockReason('expired');
          setLockedAgent((cur) => cur ?? agent);
          showInfo('登录已失效，请重新输入密码。已填写的内容不会丢失。');
        } else {
          void refresh();
        }
      }),
    [agent, refresh],
  );

  // Idle lock after point.idleLockMinutes without mouse or keyboard activity.
  const lastActivity = useRef(Date.now());
  const idleMinutes = state?.point?.idleLockMinutes || 10;
  useEffect(() => {
    if (!agent || lockedAgent) return;
    lastActivity.current = Date.now();
    const mark = () => {
      lastActivity.current = Date.now();
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, mark, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity.current >= idleMinutes * 60_000) lock('idle');
    }, 5_000);
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, mark, { capture: true });
      window.clearInterval(timer);
    };
  }, [agent, lockedAgent, idleMinutes, lock]);

  const onSignedIn = useCallback(
    async (_a: AgentSummary) => {
      setLockedAgent(null);
      setSwitching(false);
      await refresh();
    },
    [refresh],
  );

  if (!state) {
    if (loadError)
      return (
        <div className="signin-wrap">
          <div className="signin-card">
            <Result
              status="warning"
              title="暂时无法打开代办通"
              subTitle={loadError}
              extra={
                <Button type="primary" size="large" onClick={() => void refresh()} autoFocus>
                  重试
                </Button>
              }
            />
          </div>
        </div>
      );
    return (
      <div className="signin-wrap">
        <Spin size="large" tip="正在打开代办通…">
          <div style={{ width: 200, height: 120 }} />
        </Spin>
      </div>
    );
  }

  if (!state.initialized || !state.point) return <Setup onDone={(s) => setState(s)} />;

  const shown = agent ?? lockedAgent;
  if (!shown) {
    return (
      <div className="signin-wrap">
        <SignInPanel state={state} mode="signIn" onSignedIn={onSignedIn} />
      </div>
    );
  }

  const session: Session = {
    state,
    agent: shown,
    point: state.point,
    refresh,
    lock: () => lock('manual'),
    switchAgent: () => setSwitching(true),
  };
  const overlay = lockedAgent ? 'lock' : switching ? 'switch' : null;

  return (
    <SessionContext.Provider value={session}>
      <InertWhen inert={overlay !== null}>
        <Shell key={shown.id} />
      </InertWhen>
      {overlay && (
        <div
          className="lock-overlay signin-wrap"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && overlay === 'switch') setSwitching(false);
          }}
          role="dialog" aria-modal="true" aria-label={overlay === 'lock' ? '已锁屏' : '切换代办员'}>
          <SignInPanel
            state={state}
            mode={overlay}
            note={overlay === 'lock' ? LOCK_NOTES[lockReason] : undefined}
            preselect={overlay === 'lock' ? lockedAgent?.id : undefined}
            onSignedIn={onSignedIn}
            onCancel={overlay === 'switch' ? () => setSwitching(false) : undefined}
          />
        </div>
      )}
    </SessionContext.Provider>
  );
}

/** Keeps the app mounted but unreachable by keyboard and screen readers while the lock screen is up. */
function InertWhen({ inert, children }: { inert: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.inert = inert;
    if (inert) el.setAttribute('aria-hidden', 'true');
    else el.removeAttribute('aria-hidden');
  }, [inert]);
  return <div ref={ref}>{children}</div>;
}
