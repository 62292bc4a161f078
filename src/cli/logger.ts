import { pino, type Logger } from 'pino';
import type { LogLevel } from './log-levels.js';

/**
 * JSON logs on stderr (never stdout, which carries results), written synchronously so nothing is lost when
 * the process exits. Credentials never reach a log line: the paths that could carry them are redacted.
 */
export function createLogger(level: LogLevel): Logger {
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
