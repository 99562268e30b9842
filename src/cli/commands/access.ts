import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { ROLES, type Role } from '../../domain/access.js';
import { AppError } from '../../domain/errors.js';
import { LOCAL_ACTOR, withServices, type GlobalOptions } from '../context.js';
import { printJson, printTable } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Services } from '../../app.js';
import { dateTime, t } from '../i18n.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `corridor users …`: accounts (on the data directory, as the local admin). */
export function usersCommand(): Command {
  const users = new Command('users').description(t('users.description'));
  users
    .command('create <email>')
    .description(t('users.create'))
    .addOption(new Option('--role <role>', t('users.role')).choices([...ROLES]).makeOptionMandatory())
    .option('--scope <codes>', t('users.scope'))
    .option('--name <name>', t('users.name'))
    .option('--password-stdin', t('users.passwordStdin'))
    .action(async (email: string, opts: { role: Role; scope?: string; name?: string; passwordStdin?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const password = opts.passwordStdin ? await readStdin() : randomBytes(12).toString('base64url');
      if (!password) throw new AppError('BAD_REQUEST', t('users.emptyStdin'));
      const scopes = (opts.scope ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const user = await withServices(cmd, (s) => s.auth.createUser(LOCAL_ACTOR, { email, name: opts.name, role: opts.role, scopes, password }));
      if (global.json) printJson({ ...user, ...(opts.passwordStdin ? {} : { password }) });
      else {
        const scope = user.scopes.length ? t('users.scopeList', { scopes: user.scopes.join(', ') }) : t('common.everywhere');
        console.log(t('users.created', { email: user.email, role: user.role, scope }));
        if (!opts.passwordStdin) console.log(t('users.password', { password }));
      }
    });
  users
    .command('list')
    .description(t('users.list'))
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const list = remote
        ? ((await remoteGet(remote, '/api/users')).json as { items: Awaited<ReturnType<Services['auth']['listUsers']>> }).items
        : await withServices(cmd, (s) => s.auth.listUsers(LOCAL_ACTOR));
      if (global.json) return printJson(list);
      printTable(
        [t('users.headEmail'), t('users.headRole'), t('users.headScope'), t('users.headStatus')],
        list.map((u) => [u.email, u.role, u.scopes.join(',') || t('common.everywhere'), t(u.disabled ? 'common.disabled' : 'common.active')]),
      );
    });
  users
    .command('set <email>')
    .description(t('users.set'))
    .addOption(new Option('--role <role>', t('users.newRole')).choices([...ROLES]))
    .option('--scope <codes>', t('users.newScope'))
    .option('--disable', t('users.disable'))
    .option('--enable', t('users.enable'))
    .option('--password-stdin', t('users.resetPassword'))
    .action(async (email: string, opts: { role?: Role; scope?: string; disable?: boolean; enable?: boolean; passwordStdin?: boolean }, cmd: Command) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      if (opts.passwordStdin && !password) throw new AppError('BAD_REQUEST', t('users.emptyStdin'));
      const user = await withServices(cmd, async (s) => {
        const found = (await s.auth.listUsers(LOCAL_ACTOR)).find((u) => u.email === email.toLowerCase());
        if (!found) throw new AppError('NOT_FOUND', t('users.notFound', { email }));
        return s.auth.updateUser(LOCAL_ACTOR, found.id, {
          role: opts.role,
          scopes: opts.scope
            ?.split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          disabled: opts.disable ? true : opts.enable ? false : undefined,
          password,
        });
      });
      const line = t('users.updated', {
        email: user.email,
        role: user.role,
        scope: user.scopes.join(',') || t('common.everywhere'),
        status: t(user.disabled ? 'common.disabled' : 'common.active'),
      });
      console.log(password === undefined ? line : t('users.reset', { line, count: user.revokedTokens }));
    });
  return users;
}

/** `corridor tokens …`: personal API tokens for scripts and the CLI's --server mode. */
export function tokensCommand(): Command {
  const tokens = new Command('tokens').description(t('tokens.description'));
  tokens
    .command('create <email>')
    .description(t('tokens.create'))
    .option('--name <name>', t('tokens.name'), 'cli')
    .action(async (email: string, opts: { name: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const token = await withServices(cmd, (s) => s.auth.createToken(LOCAL_ACTOR, opts.name, email));
      if (global.json) printJson(token);
      else console.log(`${t('tokens.created', { email: token.email, name: token.name, id: token.id })}\n${token.token}`);
    });
  tokens
    .command('list')
    .description(t('tokens.list'))
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const list = await withServices(cmd, (s) => s.auth.listTokens(LOCAL_ACTOR, true));
      if (global.json) return printJson(list);
      printTable(
        [t('tokens.headId'), t('tokens.headUser'), t('tokens.headName'), t('tokens.headCreated'), t('tokens.headStatus')],
        list.map((k) => [
          k.id,
          k.email,
          k.name,
          dateTime(k.createdAt),
          k.revokedAt ? t('tokens.revokedAt', { date: dateTime(k.revokedAt) }) : t('common.active'),
        ]),
      );
    });
  tokens
    .command('revoke <id>')
    .description(t('tokens.revoke'))
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withServices(cmd, (s) => s.auth.revokeToken(LOCAL_ACTOR, id));
      console.log(t('tokens.revoked', { id }));
    });
  return tokens;
}
