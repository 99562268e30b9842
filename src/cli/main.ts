import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../domain/errors.js';
import { VERSION } from '../paths.js';
import { tokensCommand, usersCommand } from './commands/access.js';
import { dbCommand } from './commands/db.js';
import { exportCommand, importCommand } from './commands/dhis2.js';
import { modelCommand } from './commands/model.js';
import { placesCommand } from './commands/places.js';
import { demoCommand, flowsCommand, sitesCommand } from './commands/registry.js';
import { serveCommand } from './commands/serve.js';
import { chooseLanguage, LANGUAGES, setLanguage, t, type MessageKey } from './i18n.js';

/** Commander's own errors, matched by their English text, in the catalogue's words. */
const COMMANDER_ERRORS: [RegExp, MessageKey, string[]][] = [
  [/^unknown option (\S+)/, 'commander.unknownOption', ['option']],
  [/^unknown command (\S+)/, 'commander.unknownCommand', ['command']],
  [/^missing required argument (\S+)/, 'commander.missingArgument', ['argument']],
  [/^option (.+) argument missing$/, 'commander.optionMissingArgument', ['option']],
  [/^required option (.+) not specified$/, 'commander.missingMandatoryOption', ['option']],
  [/^option (.+) argument (.+) is invalid\. Allowed choices are (.+)\.$/, 'commander.invalidChoice', ['option', 'value', 'choices']],
  [/^option (.+) argument (.+) is invalid\. (.+)$/, 'commander.invalidArgument', ['option', 'value', 'reason']],
  [/^too many arguments for (\S+)\. Expected (\d+) arguments? but got (\d+)\.$/, 'commander.excessArguments', ['command', 'expected', 'got']],
];

function commanderText(line: string): string {
  for (const [pattern, key, names] of COMMANDER_ERRORS) {
    const m = pattern.exec(line);
    if (m) return t(key, Object.fromEntries(names.map((n, k) => [n, m[k + 1]])));
  }
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(line);
  return suggestion ? t('commander.didYouMean', { suggestion: suggestion[1] }) : line;
}

// Commander puts its suggestion ("Did you mean …?") on a second line; errors here are one line.
const oneLine = (str: string) =>
  t('program.errorPrefix', {
    message: str
      .replace(/^error: /, '')
      .trim()
      .split(/\s*\n\s*/)
      .map(commanderText)
      .join(' '),
  }) + '\n';

/** Commander's help headings ("Usage:", "Options:" …) in the catalogue's words. */
const HELP_TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.usage',
  'Options:': 'help.options',
  'Global Options:': 'help.globalOptions',
  'Commands:': 'help.commands',
  'Arguments:': 'help.arguments',
};
const helpText = {
  styleTitle: (title: string) => (HELP_TITLES[title] ? t(HELP_TITLES[title]) : title),
  // "(default: …)", "(choices: …)" and "(env: …)" that commander adds to an option's help.
  styleOptionDescription: (text: string) => text.replace(/\((default|choices|env): /g, (_m, word: 'default' | 'choices' | 'env') => `(${t(`help.${word}`)} `),
  styleArgumentDescription: (text: string) => text.replace(/\(default: /g, () => `(${t('help.default')} `),
};

/** The `corridor` program with every command. */
export function buildProgram(): Command {
  const program = new Command('corridor')
    .description(t('program.description'))
    .version(VERSION, '-v, --version', t('program.version'))
    .helpOption('-h, --help', t('program.help'))
    .helpCommand('help [command]', t('program.helpCommand'))
    .option('--data-dir <dir>', t('program.dataDir'))
    .option('--json', t('program.json'))
    .option('--no-demo', t('program.noDemo'))
    .option('--server <url>', t('program.server'))
    .option('--token <token>', t('program.token'))
    .addOption(new Option('--lang <lang>', t('program.lang')).choices(LANGUAGES))
    .configureHelp(helpText)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(oneLine(str)) });
  for (const cmd of [
    serveCommand(),
    dbCommand(),
    placesCommand(),
    sitesCommand(),
    flowsCommand(),
    demoCommand(),
    importCommand(),
    exportCommand(),
    modelCommand(),
    usersCommand(),
    tokensCommand(),
  ])
    program.addCommand(cmd);
  // Subcommands inherit the error behaviour so that every failure is one line and a non-zero exit.
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub
        .exitOverride()
        .configureOutput({ outputError: (str, write) => write(oneLine(str)) })
        .configureHelp(helpText)
        .helpOption('-h, --help', t('program.help'));
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. Errors print one line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  setLanguage(chooseLanguage(argv.slice(2), process.env));
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof AppError) {
      console.error(t('program.errorPrefix', { message: e.message }));
      return e.status >= 500 ? 3 : 1;
    }
    console.error(t('program.unexpected', { message: (e as Error).message ?? String(e) }));
    if (process.env.CORRIDOR_DEBUG) console.error(e);
    return 70;
  }
}
