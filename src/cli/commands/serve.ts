import { Command, InvalidArgumentError } from 'commander';
import { openServices } from '../../app.js';
import { buildServer } from '../../api/server.js';
import { describeStore, resolveStoreConfig } from '../../store/index.js';
import { wantDemo, type GlobalOptions } from '../context.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError(`"${v}" is not a port number (0-65535)`);
  return n;
}

/** `corridor serve`: the API and the web app on one port. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('start the web app and HTTP API (embedded database unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one) [env: PORT]', parsePort)
    .option('--host <host>', 'interface to listen on; 0.0.0.0 exposes it to the network [env: HOST]')
    .option('--log', 'log every request (failures are always logged)')
    .action(async (opts: { port?: number; host?: string; log?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const port = opts.port ?? (process.env.PORT ? parsePort(process.env.PORT) : 8080);
      const host = opts.host ?? process.env.HOST ?? 'localhost';
      const config = resolveStoreConfig({ dataDir: global.dataDir });
      const store = describeStore(config);
      console.log(`Opening the ${store.dialect === 'pglite' ? 'embedded database' : 'PostgreSQL database'} at ${store.location} …`);
      const services = await openServices(config, { demo: wantDemo(global) });
      const admin = await services.auth.ensureFirstAdmin(process.env);
      // Failures are always logged (the client is told so); every request only with --log.
      const app = await buildServer(services, { logger: opts.log ? 'requests' : 'errors' });
      try {
        await app.listen({ port, host });
      } catch (e) {
        await services.store.close();
        throw e;
      }
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shown = host === '0.0.0.0' || host === '::' || host === 'localhost' ? 'localhost' : host;
      console.log(`Corridor is running at http://${shown}:${actualPort}/  (database: ${store.dialect}; Ctrl+C stops it)`);
      if (admin?.password) {
        // Shown once, here; only its argon2id hash is stored.
        console.log(`First start: log in at http://${shown}:${actualPort}/login as ${admin.email} with the password ${admin.password}`);
        console.log('  (shown only now; set CORRIDOR_ADMIN_EMAIL and CORRIDOR_ADMIN_PASSWORD before the first start to choose them)');
      } else if (admin) console.log(`First start: log in at http://${shown}:${actualPort}/login as ${admin.email} (the password in CORRIDOR_ADMIN_PASSWORD)`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      await services.store.close();
    });
}
