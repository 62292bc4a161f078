import { createHash } from 'node:crypto';

/**
 * Container health-check commands (`["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"]`) as
 * remediate reads and rewrites them: the URL path they probe, the same command probing another path, and
 * whether the command carries credentials (then it is never shown, stored or rewritten).
 */

/** An http(s) URL in a command line: host, optional port, then the path up to a space, quote or shell operator. */
const URL_IN_COMMAND = /(https?:\/\/[^\s'"/|;&)]+)(\/[^\s'"|;&)]*)?/;

/** Words that show a command sends credentials (a header, a user, a token) or embeds them in its URL. */
const CREDENTIALS =
  /authorization|bearer|x-api-key|api[-_]?key|token|passw(?:or)?d|secret|cookie|(?:^|\s)(?:-u|--user)(?:\s|=)|:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** The path a health-check command probes over HTTP (`/health`), or undefined when it probes no URL. */
export function healthCheckPath(command: readonly string[]): string | undefined {
  for (const word of command) {
    const match = URL_IN_COMMAND.exec(word);
    if (match !== null) return withoutQuery(match[2] ?? '/');
  }
  return undefined;
}

/** The same command probing `path` instead (every other word and flag kept); the command itself when it probes no URL. */
export function withHealthCheckPath(command: readonly string[], path: string): string[] {
  let done = false;
  return command.map((word) => {
    if (done) return word;
    const match = URL_IN_COMMAND.exec(word);
    if (match === null) return word;
    done = true;
    const query = /\?.*$/.exec(match[2] ?? '')?.[0] ?? '';
    return word.replace(match[0], `${match[1] ?? ''}${path}${query}`);
  });
}

/** Whether a command looks like it carries credentials: such a command is never copied anywhere by remediate. */
export function carriesCredentials(command: readonly string[]): boolean {
  return CREDENTIALS.test(command.join(' '));
}

/** The first member of a health check shown in place of a command that carries credentials. */
export const REDACTED_COMMAND = '(redacted: the command carries credentials)';

/**
 * A command as remediate may show and store it: itself, or, when it carries credentials, a redacted form
 * with a fingerprint (so that a change to it is still seen, and nothing of it can be read back).
 */
export function shownCommand(command: readonly string[]): string[] {
  if (!carriesCredentials(command)) return [...command];
  const fingerprint = createHash('sha256').update(JSON.stringify(command)).digest('hex').slice(0, 12);
  return [REDACTED_COMMAND, `sha256:${fingerprint}`];
}

/** Whether a shown command is a redacted one (it cannot be written back). */
export function isRedactedCommand(command: readonly string[]): boolean {
  return command[0] === REDACTED_COMMAND;
}

function withoutQuery(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}
