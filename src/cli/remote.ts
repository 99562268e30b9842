import { AppError, type ErrorCode } from '../domain/errors.js';
import type { GlobalOptions } from './context.js';
import { t } from './i18n.js';

/** A running Corridor server to call instead of opening the data directory. */
export interface Remote {
  url: string;
  token: string;
}

/** The server named by --server (with --token or CORRIDOR_TOKEN), or null to work on the data directory. */
export function remoteOf(opts: GlobalOptions): Remote | null {
  const url = opts.server ?? process.env.CORRIDOR_SERVER;
  if (!url) return null;
  const token = opts.token ?? process.env.CORRIDOR_TOKEN;
  if (!token) throw new AppError('BAD_REQUEST', t('remote.needsToken'));
  if (!/^https?:\/\//.test(url)) throw new AppError('BAD_REQUEST', t('remote.notUrl', { url }));
  return { url: url.replace(/\/+$/, ''), token };
}

/** GETs a path of the server's API; a failure becomes one clear error with the server's message. */
export async function remoteGet(remote: Remote, path: string): Promise<{ json: unknown; text: string }> {
  return remoteRequest(remote, 'GET', path);
}

/** POSTs a body (JSON, CSV, XML… as `contentType` says) to a path of the server's API; failures as remoteGet's. */
export async function remotePost(remote: Remote, path: string, body: string, contentType: string): Promise<{ json: unknown; text: string }> {
  return remoteRequest(remote, 'POST', path, { body, contentType });
}

async function remoteRequest(
  remote: Remote,
  method: 'GET' | 'POST',
  path: string,
  send?: { body: string; contentType: string },
): Promise<{ json: unknown; text: string }> {
  let res: Response;
  try {
    res = await fetch(`${remote.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${remote.token}`, ...(send ? { 'content-type': send.contentType } : {}) },
      ...(send ? { body: send.body } : {}),
    });
  } catch (e) {
    throw new AppError('DATABASE_UNAVAILABLE', t('remote.unreachable', { url: remote.url, reason: (e as Error).message }));
  }
  const text = await res.text();
  if (!res.ok) {
    let code: ErrorCode = 'BAD_REQUEST';
    let message = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { error?: { code?: ErrorCode; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep the start of the text
    }
    throw new AppError(code, `${remote.url}: ${message}`);
  }
  return { json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null, text };
}
