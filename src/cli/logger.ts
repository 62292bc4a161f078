import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { EngineLogger } from '../engine/engine-context.js';
import type { LogLevel } from './log-levels.js';

/** What the CLI logs with: the engine's calls, plus `fatal` and the level check (a pino logger's own names). */
export interface CliLogger extends EngineLogger {
  fatal(fields: object, message: string): void;
  isLevelEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/** pino's level numbers (https://getpino.io/#/docs/api?id=loggerlevels-object): a level logs what is at or above it. */
const levelValues: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/**
 * JSON logs on stderr (never stdout, which carries results), written synchronously so nothing is lost when
 * the process exits. Credentials never reach a log line: the paths that could carry them are redacted.
 * pino itself is loaded at the first line the level lets through: a command that logs nothing (the default level,
 * warn, on a run without warnings) does not load it.
 */
export function createLogger(level: LogLevel): CliLogger {
  let pino: Logger | undefined;
  const logger = (): Logger => (pino ??= pinoLogger(level));
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (fields: object, message: string): void => {
      if (levelValues[name] >= levelValues[level]) logger()[name](fields, message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    isLevelEnabled: (name) => levelValues[name] >= levelValues[level],
  };
}

function pinoLogger(level: LogLevel): Logger {
  const { pino } = createRequire(import.meta.url)('pino') as typeof import('pino');
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          '*.secretAccessKey',
          '*.sessionToken',
          '*.accessKeyId',
          '*.credentials',
          'err.cause.$response',
          '*.Authorization',
          '*.authorization',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
