// The signed-in frame of the console: left menu (only what the role may use), header with the county
// or township and the account, and the routed page. Same layout classes as the village app.
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Spin, Tag } from 'antd';
import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { ROLES } from './api';
import { MENU } from './routes';
import { can, useConsole } from './session';

export function Shell() {
  const { me, scope, signOut } = useConsole();
  const loc = useLocation();
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const menu = MENU.filter((m) => can(me.role, m.ability));
  const active = MENU.filter((m) => loc.pathname === m.path || loc.pathname.startsWith(`${m.path}/`))[0];
  const allowed = !active || can(me.role, active.ability);

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [loc.pathname]);

  const unit = me.role === 'township' && me.townshipName ? `${scope.county.name}${me.townshipName}便民服务中心` : `${scope.county.name}政务服务中心`;

  return (
    <Layout className="app-layout">
      <a className="skip-link" href="#main-content" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        跳到主要内容
      </a>
      <Layout.Sider width={196} className="app-sider">
        <div className="app-brand">代办通<small className="county-brand-sub">县级中心</small></div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[active?.path ?? '/overview']}
          onClick={({ key }) => navigate(key)}
          items={menu.map((m) => ({
            key: m.path,
            icon: m.icon,
            label: (
              <a href={`#${m.path}`} data-testid={`nav-${m.path.slice(1)}`} onClick={(e) => e.preventDefault()}>
                {m.label}
              </a>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="app-header">
          <div className="app-unit" title={unit} data-testid="unit-name">
            {unit}
          </div>
          <Space size="middle" style={{ flexShrink: 0 }}>
            <span data-testid="current-account" className="nowrap">
              <UserOutlined /> <b>{me.displayName}</b> <Tag style={{ marginInlineStart: 4 }}>{ROLES[me.role]}</Tag>
            </span>
            <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <main id="main-content" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
            <Suspense
              fallback={
                <div style={{ padding: 48, textAlign: 'center' }}>
                  <Spin size="large" />
                </div>
              }
            >
              {allowed ? (
                <Outlet />
              ) : (
                <Result status="403" title="您的账号不能使用这个页面" subTitle={`${ROLES[me.role]}可以使用左侧菜单里的页面。`} />
              )}
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
