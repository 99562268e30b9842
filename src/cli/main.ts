import { Command, CommanderError } from 'commander';
import { AppError } from '../domain/errors.js';
import { VERSION } from '../paths.js';
import { tokensCommand, usersCommand } from './commands/access.js';
import { dbCommand } from './commands/db.js';
import { exportCommand, importCommand } from './commands/dhis2.js';
import { modelCommand } from './commands/model.js';
import { placesCommand } from './commands/places.js';
import { demoCommand, flowsCommand, sitesCommand } from './commands/registry.js';
import { serveCommand } from './commands/serve.js';

// Commander puts its suggestion ("Did you mean …?") on a second line; errors here are one line.
const oneLine = (str: string) => `corridor: ${str.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`;

/** The `corridor` program with every command. */
export function buildProgram(): Command {
  const program = new Command('corridor')
    .description('Corridor: map, monitor, model and decide for HIV programmes with migrants and mobile populations')
    .version(VERSION, '-v, --version')
    .option('--data-dir <dir>', 'embedded database directory (default .corridor) [env: CORRIDOR_DATA_DIR]; DATABASE_URL selects a PostgreSQL server instead')
    .option('--json', 'machine-readable JSON output')
    .option('--no-demo', 'a new database starts empty, without the demo world [env: CORRIDOR_DEMO=off]')
    .option('--server <url>', 'call this running Corridor server instead of opening the data directory (places list, sites export, users list, import dhis2, import dhis2-metadata, export dhis2) [env: CORRIDOR_SERVER]')
    .option('--token <token>', 'personal API token for --server [env: CORRIDOR_TOKEN]')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(oneLine(str)) });
  for (const cmd of [serveCommand(), dbCommand(), placesCommand(), sitesCommand(), flowsCommand(), demoCommand(), importCommand(), exportCommand(), modelCommand(), usersCommand(), tokensCommand()]) program.addCommand(cmd);
  // Subcommands inherit the error behaviour so that every failure is one line and a non-zero exit.
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput({ outputError: (str, write) => write(oneLine(str)) });
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. Errors print one line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof AppError) {
      console.error(`corridor: ${e.message}`);
      return e.status >= 500 ? 3 : 1;
    }
    console.error(`corridor: unexpected error: ${(e as Error).message ?? String(e)}`);
    if (process.env.CORRIDOR_DEBUG) console.error(e);
    return 70;
  }
}
