'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { SubmitButton, TextField } from '../../_components/field';

type Status = { kind: 'idle' } | { kind: 'working' } | { kind: 'refused'; message: string };

/**
 * Signs in through the console's `/gateway/*` proxy, so the gateway's session cookies are
 * set on this origin. Then a full navigation to `next`: the whole console renders again
 * as the new user (nav, roles), and the live socket reconnects with the cookie.
 */
async function signIn(path: '/v3/auth/login' | '/v3/auth/login-link', body: object): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  const res = await fetch(`/gateway${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.ok) return { ok: true };
  let message = `HTTP ${res.status}`;
  try {
    const error = (await res.json()) as { message?: unknown };
    if (typeof error.message === 'string') message = error.message;
  } catch {
    // not JSON: the status says enough
  }
  return { ok: false, status: res.status, message };
}

export function LoginForm({ next, token }: { next: string; token: string | null }) {
  const [status, setStatus] = useState<Status>(token === null ? { kind: 'idle' } : { kind: 'working' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const linkTried = useRef(false);

  // A one-time link (printed by the gateway at first start) signs in by itself, once.
  useEffect(() => {
    if (token === null || linkTried.current) return;
    linkTried.current = true;
    void signIn('/v3/auth/login-link', { token }).then((result) => {
      if (result.ok) return window.location.assign(next);
      setStatus({
        kind: 'refused',
        message:
          result.status === 401 || result.status === 404 || result.status === 410
            ? 'This sign-in link was already used or has expired. Sign in with a user name and password instead.'
            : `The sign-in link was refused: ${result.message}`,
      });
    });
  }, [token, next]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus({ kind: 'working' });
    const result = await signIn('/v3/auth/login', { username, password });
    if (result.ok) return window.location.assign(next);
    setStatus({ kind: 'refused', message: result.status === 401 ? 'Wrong user name or password.' : `Sign-in failed: ${result.message}` });
  }

  return (
    <div className="space-y-4">
      {token !== null && status.kind === 'working' && <p role="status">Signing in with the one-time link…</p>}
      {status.kind === 'refused' && (
        <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
          {status.message}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="space-y-4" aria-label="Sign in">
        <TextField id="username" label="User name" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        <TextField id="password" label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <SubmitButton pending={status.kind === 'working'}>Sign in</SubmitButton>
      </form>
    </div>
  );
}
