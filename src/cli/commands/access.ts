import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { ROLES, type Role } from '../../domain/access.js';
import { AppError } from '../../domain/errors.js';
import { LOCAL_ACTOR, withServices, type GlobalOptions } from '../context.js';
import { printJson, printTable } from '../output.js';
import { remoteGet, remoteOf } from '../remote.js';
import type { Services } from '../../app.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** `corridor users …`: accounts (on the data directory, as the local admin). */
export function usersCommand(): Command {
  const users = new Command('users').description('user accounts, roles and scopes');
  users
    .command('create <email>')
    .description('create a user; without --password-stdin a random password is printed once')
    .addOption(new Option('--role <role>', 'the role').choices([...ROLES]).makeOptionMandatory())
    .option('--scope <codes>', 'comma-separated countries (ISO3) or area codes the user may see and act on (required except for admins)')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, opts: { role: Role; scope?: string; name?: string; passwordStdin?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const password = opts.passwordStdin ? await readStdin() : randomBytes(12).toString('base64url');
      if (!password) throw new AppError('BAD_REQUEST', '--password-stdin: standard input was empty');
      const scopes = (opts.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const user = await withServices(cmd, (s) => s.auth.createUser(LOCAL_ACTOR, { email, name: opts.name, role: opts.role, scopes, password }));
      if (global.json) printJson({ ...user, ...(opts.passwordStdin ? {} : { password }) });
      else {
        console.log(`created ${user.email} (${user.role}${user.scopes.length ? `, scope ${user.scopes.join(', ')}` : ', everywhere'})`);
        if (!opts.passwordStdin) console.log(`password (shown once): ${password}`);
      }
    });
  users
    .command('list')
    .description('list users with their roles and scopes')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const remote = remoteOf(global);
      const list = remote
        ? ((await remoteGet(remote, '/api/users')).json as { items: Awaited<ReturnType<Services['auth']['listUsers']>> }).items
        : await withServices(cmd, (s) => s.auth.listUsers(LOCAL_ACTOR));
      if (global.json) return printJson(list);
      printTable(['EMAIL', 'ROLE', 'SCOPE', 'STATUS'], list.map((u) => [u.email, u.role, u.scopes.join(',') || 'everywhere', u.disabled ? 'disabled' : 'active']));
    });
  users
    .command('set <email>')
    .description("change a user's role, scope or status, or reset their password (their sessions end; a reset revokes their API tokens)")
    .addOption(new Option('--role <role>', 'new role').choices([...ROLES]))
    .option('--scope <codes>', 'new comma-separated scope')
    .option('--disable', 'disable the account')
    .option('--enable', 'enable the account')
    .option('--password-stdin', 'reset the password to one read from standard input')
    .action(async (email: string, opts: { role?: Role; scope?: string; disable?: boolean; enable?: boolean; passwordStdin?: boolean }, cmd: Command) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      if (opts.passwordStdin && !password) throw new AppError('BAD_REQUEST', '--password-stdin: standard input was empty');
      const user = await withServices(cmd, async (s) => {
        const found = (await s.auth.listUsers(LOCAL_ACTOR)).find((u) => u.email === email.toLowerCase());
        if (!found) throw new AppError('NOT_FOUND', `no user has email "${email}"`);
        return s.auth.updateUser(LOCAL_ACTOR, found.id, {
          role: opts.role,
          scopes: opts.scope?.split(',').map((x) => x.trim()).filter(Boolean),
          disabled: opts.disable ? true : opts.enable ? false : undefined,
          password,
        });
      });
      const reset = password === undefined ? '' : `; password reset, ${user.revokedTokens} API token${user.revokedTokens === 1 ? '' : 's'} revoked`;
      console.log(`${user.email}: ${user.role}, ${user.scopes.join(',') || 'everywhere'}, ${user.disabled ? 'disabled' : 'active'}${reset}`);
    });
  return users;
}

/** `corridor tokens …`: personal API tokens for scripts and the CLI's --server mode. */
export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('personal API tokens (Authorization: Bearer …)');
  tokens
    .command('create <email>')
    .description("create a token for a user; it is printed once (only its hash is stored)")
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (email: string, opts: { name: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const t = await withServices(cmd, (s) => s.auth.createToken(LOCAL_ACTOR, opts.name, email));
      if (global.json) printJson(t);
      else console.log(`token for ${t.email} (${t.name}, id ${t.id}), shown once:\n${t.token}`);
    });
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async (_opts: unknown, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const list = await withServices(cmd, (s) => s.auth.listTokens(LOCAL_ACTOR, true));
      if (global.json) return printJson(list);
      printTable(['ID', 'USER', 'NAME', 'CREATED', 'STATUS'], list.map((t) => [t.id, t.email, t.name, t.createdAt, t.revokedAt ? `revoked ${t.revokedAt}` : 'active']));
    });
  tokens
    .command('revoke <id>')
    .description('revoke a token')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withServices(cmd, (s) => s.auth.revokeToken(LOCAL_ACTOR, id));
      console.log(`token ${id} revoked`);
    });
  return tokens;
}
