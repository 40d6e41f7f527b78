// Sign-in to the county console, and the password change every new account (and every reset) must
// make before anything else opens.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../src/notify';
import { call, ROLES, type Me } from '../api';

export function SignInPage({ note, onSignedIn }: { note?: string; onSignedIn: (me: Me) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(v: { name: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call('signIn', { name: v.name.trim(), password: v.password }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-wrap">
      <div className="signin-card county-signin" data-testid="county-signin">
        <div className="county-signin-brand">代办通 · 县级中心</div>
        <Typography.Paragraph type="secondary" style={{ fontSize: 16 }}>
          县政务服务中心、乡镇便民服务中心工作人员登录
        </Typography.Paragraph>
        {note && <Alert type="info" showIcon message={note} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="signin-error" />}
        <Form layout="vertical" size="large" onFinish={(v: { name: string; password: string }) => void submit(v)} requiredMark={false}>
          <Form.Item label="登录名" name="name" rules={[{ required: true, whitespace: true, message: '请输入登录名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="county-signin-name" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="county-signin-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} size="large">
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 14 }}>
          忘记密码请找县中心管理员重置。连续多次输错密码，账号会暂时锁定。
        </Typography.Paragraph>
      </div>
    </div>
  );
}

/** Client-side checks only say early what the server will say anyway; the server decides. */
function passwordProblem(pw: string, current: string): string | null {
  if (pw.length < 10) return '新密码至少 10 位';
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return '新密码须同时包含字母和数字';
  if (pw === current) return '新密码不能与当前密码相同';
  return null;
}

export function ChangePasswordPage({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ current: string; next: string; again: string }>();

  async function submit(v: { current: string; next: string }) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await call('changePassword', { oldPassword: v.current, newPassword: v.next }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-wrap">
      <div className="signin-card" data-testid="change-password">
        <h1 style={{ fontSize: 24, margin: '0 0 8px' }}>首次登录，请修改密码</h1>
        <Typography.Paragraph style={{ fontSize: 16 }}>
          {me.displayName}（{ROLES[me.role]}{me.townshipName ? `，${me.townshipName}` : ''}）：初始密码只能用一次，请设置您自己的密码后继续。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" size="large" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item label="当前密码（初始密码）" name="current" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" autoFocus id="pw-current" />
          </Form.Item>
          <Form.Item
            label="新密码"
            name="next"
            extra="至少 10 位，同时包含字母和数字"
            rules={[
              { required: true, message: '请输入新密码' },
              { validator: (_r, v: string) => (v ? (passwordProblem(v, form.getFieldValue('current') ?? '') ? Promise.reject(new Error(passwordProblem(v, form.getFieldValue('current') ?? '')!)) : Promise.resolve()) : Promise.resolve()) },
            ]}
          >
            <Input.Password autoComplete="new-password" id="pw-next" />
          </Form.Item>
          <Form.Item
            label="再输一次新密码"
            name="again"
            dependencies={['next']}
            rules={[
              { required: true, message: '请再输一次新密码' },
              { validator: (_r, v: string) => (!v || v === form.getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) },
            ]}
          >
            <Input.Password autoComplete="new-password" id="pw-again" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            修改密码并进入
          </Button>
        </Form>
      </div>
    </div>
  );
}
