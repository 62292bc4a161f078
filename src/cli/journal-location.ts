import { homedir } from 'node:os';
import { dirname, basename, join } from 'node:path';

/**
 * Where the journal lives: `--journal`, else `REMEDIATE_JOURNAL`, else the per-user state directory
 * (`$XDG_STATE_HOME/remediate/journal.db`, by default `~/.local/state/remediate/journal.db`).
 */
export function journalPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env['REMEDIATE_JOURNAL'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stateHome =
    env['XDG_STATE_HOME'] !== undefined && env['XDG_STATE_HOME'] !== '' ? env['XDG_STATE_HOME'] : join(homedir(), '.local', 'state');
  return join(stateHome, 'remediate', 'journal.db');
}

/** The sandbox's state file, beside the journal: `journal.db` → `journal.sandbox.db`. */
export function sandboxPath(journal: string): string {
  const name = basename(journal).replace(/\.(db|sqlite3?)$/i, '');
  return join(dirname(journal), `${name}.sandbox.db`);
}
