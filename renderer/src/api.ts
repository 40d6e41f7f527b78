// The renderer's one way to reach the register. In Electron the preload exposes `window.daiban.call`;
// in the browser shell the page talks to the loopback bridge with a per-launch secret token.
import { createApiClient, type Transport } from '../../api/client';
import { AppError } from '../../domain/errors';
import { type ApiMethod, type ApiResponse, type DaibanApi } from '../../api/contract';

declare global {
  interface Window {
    daiban?: { call(method: string, input: unknown): Promise<ApiResponse<ApiMethod>> };
  }
}

const TOKEN_KEY = 'daiban.token';

/** Reads the token once from `?token=` or `#token=`, keeps it for this tab and removes it from the address bar. */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  let token = url.searchParams.get('token');
  let changed = false;
  if (token) {
    url.searchParams.delete('token');
    changed = true;
  }
  const hashMatch = /(?:^#|[#&?])token=([^&]+)/.exec(url.hash);
  if (hashMatch) {
    token = token ?? decodeURIComponent(hashMatch[1]);
    // Keep whatever route might follow the token, drop the token itself.
    const rest = url.hash.replace(/[#&?]?token=[^&]+&?/, '').replace(/^#?/, '');
    url.hash = rest;
    changed = true;
  }
  if (token) {
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* storage disabled: keep it in memory only */
    }
  }
  if (changed) window.history.replaceState(null, '', url.pathname + url.search + (url.hash || '#/'));
  try {
    return token ?? sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return token;
  }
}

function electronTransport(): Transport {
  const bridge = window.daiban!;
  return (method, input) => bridge.call(method, input);
}

function webTransport(): Transport {
  const token = takeToken();
  return async (method, input) => {
    let res: Response;
    try {
      res = await fetch('/api/call', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ method, input }),
        cache: 'no-store',
        credentials: 'omit',
        // The last draft write is sent as the page goes away; keepalive lets it finish (drafts are small).
        keepalive: method === 'saveDraft',
      });
    } catch {
      return {
        ok: false,
        error: { code: 'internal', message: '无法连接到代办通服务，请确认代办通程序仍在运行后重试。' },
      };
    }
    if (res.status === 401 || res.status === 403) {
      return {
        ok: false,
        error: {
          code: 'refused',
          message: '访问凭据无效或已过期，请关闭此页面，从代办通程序重新打开。',
        },
      };
    }
    try {
      return (await res.json()) as ApiResponse<ApiMethod>;
    } catch {
      return { ok: false, error: { code: 'internal', message: `代办通服务返回了无法识别的结果（${res.status}），请重试。` } };
    }
  };
}

type Listener = () => void;
const authLostListeners = new Set<Listener>();

/** Called when a call fails because nobody is signed in any more (session ended elsewhere). */
export function onAuthLost(fn: Listener): () => void {
  authLostListeners.add(fn);
  return () => authLostListeners.delete(fn);
}

/** Calls that fail quietly: a draft write racing a lock must not announce an expired sign-in. */
const NO_AUTH_WATCH = new Set(['signIn', 'loadDraft', 'saveDraft', 'deleteDraft']);

function withAuthWatch(t: Transport): Transport {
  return async (method, input) => {
    const res = await t(method, input);
    if (!res.ok && res.error.code === 'not_signed_in' && !NO_AUTH_WATCH.has(method)) {
      for (const fn of authLostListeners) fn();
    }
    return res;
  };
}

export const shell: 'electron' | 'web' = typeof window !== 'undefined' && window.daiban ? 'electron' : 'web';

export const api: DaibanApi = createApiClient(withAuthWatch(shell === 'electron' ? electronTransport() : webTransport()));

export { AppError };
