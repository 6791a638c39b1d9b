'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { endSession } from '../../_lib/gateway/auth';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../_lib/gateway/identity';

/**
 * Signs out: the gateway deletes the session (so the cookie is refused from now on, even
 * if a copy survives), and the browser's cookies are cleared here, since the gateway's
 * own clearing Set-Cookie reached the console's server, not the browser.
 */
export async function logoutAction(): Promise<void> {
  await endSession();
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
  jar.delete(CSRF_COOKIE);
  redirect('/login');
}
