import http from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../domain/errors.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** The request parser's failures that have a status of their own; any other is a 400. */
const STATUS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request took too long to arrive' },
};

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (huge headers, a malformed
 * request line): in the one error shape, with the security headers, then closes the connection.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known: { status: number; code: ErrorCode; message: string } = STATUS[err.code ?? ''] ?? {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'the request is malformed (its request line or headers could not be read)',
  };
  const body = JSON.stringify({ error: { code: known.code, message: known.message } });
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${http.STATUS_CODES[known.status]}\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n${body}`,
    );
  }
  socket.destroy(err);
}
