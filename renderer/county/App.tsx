// Top level of the console: theme and locale (as the village app), then sign-in, the forced password
// change at first sign-in, or the signed-in console with its hash routes.
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { RouterProvider } from 'react-router';
import { AppError } from '../../domain/errors';
import { APP_THEME } from '../src/components/theme';
import { errorText, setFeedbackHolder, showInfo } from '../src/notify';
import { call, type Me, type ScopeInfo } from './api';
import { onSessionLost, setCsrfToken } from './http';
import { ChangePasswordPage, SignInPage } from './pages/SignIn';
import { router } from './routes';
import { ConsoleSessionContext, type ConsoleSession } from './session';

export function App() {
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={APP_THEME}>
      <AntApp>
        <FeedbackHolder />
        <Root />
      </AntApp>
    </ConfigProvider>
  );
}

function FeedbackHolder() {
  setFeedbackHolder(AntApp.useApp());
  return null;
}

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'signedOut'; note?: string } | { kind: 'signedIn'; me: Me; scope: ScopeInfo | null };

function Root() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const enter = useCallback(async (me: Me) => {
    setCsrfToken(me.csrfToken);
    setState({ kind: 'signedIn', me, scope: null });
    if (me.mustChangePassword) return;
    try {
      const scope = await call('scope', {});
      setState({ kind: 'signedIn', me, scope });
    } catch (e) {
      setState({ kind: 'error', message: errorText(e) });
    }
  }, []);

  const load = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      await enter(await call('me', {}));
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_signed_in') setState({ kind: 'signedOut' });
      else setState({ kind: 'error', message: errorText(e) });
    }
  }, [enter]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      onSessionLost(() => {
        setCsrfToken(null);
        setState((s) => {
          if (s.kind !== 'signedIn') return s;
          showInfo('登录已失效（长时间未操作或已在别处退出），请重新登录。');
          return { kind: 'signedOut', note: '登录已失效，请重新登录。' };
        });
      }),
    [],
  );

  const session: ConsoleSession | null = useMemo(() => {
    if (state.kind !== 'signedIn' || !state.scope) return null;
    return {
      me: state.me,
      scope: state.scope,
      signOut: async () => {
        await call('signOut', {}).catch(() => undefined);
        setCsrfToken(null);
        setState({ kind: 'signedOut' });
      },
      refreshScope: async () => {
        const scope = await call('scope', {});
        setState((s) => (s.kind === 'signedIn' ? { ...s, scope } : s));
      },
    };
  }, [state]);

  if (state.kind === 'loading' || (state.kind === 'signedIn' && !state.scope && !state.me.mustChangePassword))
    return (
      <div className="signin-wrap">
        <Spin size="large" tip="正在打开县级中心…">
          <div style={{ width: 200, height: 120 }} />
        </Spin>
      </div>
    );
  if (state.kind === 'error')
    return (
      <div className="signin-wrap">
        <div className="signin-card">
          <Result
            status="warning"
            title="暂时无法打开县级中心"
            subTitle={state.message}
            extra={
              <Button type="primary" size="large" onClick={() => void load()} autoFocus>
                重试
              </Button>
            }
          />
        </div>
      </div>
    );
  if (state.kind === 'signedOut') return <SignInPage note={state.note} onSignedIn={(me) => void enter(me)} />;
  if (state.me.mustChangePassword) return <ChangePasswordPage me={state.me} onChanged={(me) => void enter(me)} />;
  return (
    <ConsoleSessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </ConsoleSessionContext.Provider>
  );
}
