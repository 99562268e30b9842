import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { openServices, type Services } from '../app.js';
import { resolveStoreConfig } from '../store/index.js';
import { decodeText, ENCODINGS, type Encoding } from '../lib/text.js';
import { t } from './i18n.js';

/** Options every command takes (they may stand before or after the command name). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  /** False with --no-demo: a new database starts without the demo world. */
  demo?: boolean;
  /** A running server to call instead (with a personal API token). */
  server?: string;
  token?: string;
}

/** Whether a new database gets the demo world: not with --no-demo or CORRIDOR_DEMO=off. */
export function wantDemo(opts: GlobalOptions): boolean {
  return opts.demo !== false && !/^(0|off|false|no)$/i.test(process.env.CORRIDOR_DEMO ?? '');
}

/** Opens the services for a command that works on the data directory (or DATABASE_URL) directly. */
export async function withServices<R>(cmd: Command, fn: (s: Services) => Promise<R>, open: { demo?: boolean } = {}): Promise<R> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const services = await openServices(resolveStoreConfig({ dataDir: opts.dataDir }), { demo: wantDemo(opts), ...open });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Commands that open the data directory directly act as the local admin (everywhere, audited as such). */
export { LOCAL_ADMIN as LOCAL_ACTOR } from '../domain/access.js';

/** The `--encoding` option of every command that imports a file. */
export function encodingOption(): Option {
  return new Option('--encoding <encoding>', t('common.encoding')).choices(ENCODINGS);
}

/**
 * Reads a file named on the command line as text (UTF-8 unless `encoding` says otherwise; see
 * src/lib/text.ts); a missing or unreadable file, or one in another encoding, is one clear error.
 */
export function readInputFile(file: string, encoding?: Encoding): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT';
    throw new AppError('FILE_NOT_FOUND', missing ? t('common.noSuchFile', { file }) : t('common.cannotRead', { file, code }));
  }
  return decodeText(bytes, { encoding });
}

/** Runs work on a file's content so that every error about it starts with the file's name. */
export async function aboutFile<R>(file: string, work: () => Promise<R>): Promise<R> {
  const name = path.basename(file);
  try {
    return await work();
  } catch (e) {
    if (e instanceof AppError && !e.message.startsWith(name) && !e.message.startsWith(file)) {
      throw new AppError(e.code, `${name}: ${e.message}`, e.details);
    }
    throw e;
  }
}
