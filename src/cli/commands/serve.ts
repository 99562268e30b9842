import { Command, InvalidArgumentError } from 'commander';
import { openServices } from '../../app.js';
import { buildServer } from '../../api/server.js';
import { describeStore, resolveStoreConfig } from '../../store/index.js';
import { wantDemo, type GlobalOptions } from '../context.js';
import { t } from '../i18n.js';

/** How long a stopping server waits for requests in flight before it cuts their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError(t('serve.notPort', { value: v }));
  return n;
}

/** `corridor serve`: the API and the web app on one port. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(t('serve.description'))
    .option('-p, --port <port>', t('serve.port'), parsePort)
    .option('--host <host>', t('serve.host'))
    .option('--log', t('serve.log'))
    .action(async (opts: { port?: number; host?: string; log?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const port = opts.port ?? (process.env.PORT ? parsePort(process.env.PORT) : 8080);
      const host = opts.host ?? process.env.HOST ?? 'localhost';
      const config = resolveStoreConfig({ dataDir: global.dataDir });
      const store = describeStore(config);
      console.log(t('serve.opening', { database: t(store.dialect === 'pglite' ? 'serve.embedded' : 'serve.postgres'), location: store.location }));
      const services = await openServices(config, { demo: wantDemo(global) });
      const admin = await services.auth.ensureFirstAdmin(process.env);
      // Failures are always logged (the client is told so); every request only with --log.
      const app = await buildServer(services, { logger: opts.log ? 'requests' : 'errors' });
      try {
        await app.listen({ port, host });
      } catch (e) {
        await services.close();
        throw e;
      }
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shown = host === '0.0.0.0' || host === '::' || host === 'localhost' ? 'localhost' : host;
      console.log(t('serve.running', { url: `http://${shown}:${actualPort}/`, dialect: store.dialect }));
      if (admin?.password) {
        // Shown once, here; only its argon2id hash is stored.
        console.log(t('serve.firstStartPassword', { url: `http://${shown}:${actualPort}/login`, email: admin.email, password: admin.password }));
        console.log(t('serve.passwordShownOnce'));
      } else if (admin) console.log(t('serve.firstStartEnv', { url: `http://${shown}:${actualPort}/login`, email: admin.email }));
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      // Requests in flight may finish; a client that stops reading (a download left half-read)
      // would hold the close for ever, so after a grace period its connection is cut.
      const grace = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await app.close();
      clearTimeout(grace);
      await services.close();
    });
}
