/**
 * The logger given to every SDK client. Like the SDK's default (NoOpLogger) it drops the request log; a warning goes
 * to stderr as the SDK's default would print it, except the credential chain's 10-line "Multiple credential sources
 * detected" warning: the CLI says in one line which source is used (see cli/aws-environment.ts).
 */
export const sdkLogger = {
  trace: (): void => undefined,
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (...content: unknown[]): void => {
    if (content.some((c) => typeof c === 'string' && c.includes('Multiple credential sources detected'))) return;
    console.warn(...content);
  },
  error: (): void => undefined,
};
