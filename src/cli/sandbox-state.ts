import { existsSync, renameSync } from 'node:fs';
import { checkJournalLocation } from '../journal/journal-file.js';
import { shellQuote } from '../model/shell-quote.js';
import type { SandboxStore } from '../sandbox/index.js';
import type { GlobalOptions } from './cli-options.js';
import { isJournalUrl, journalLocation, journalPath, sandboxPath, shownJournal } from './journal-location.js';
import { remediateErrorOf } from './sandbox-errors.js';

/**
 * Opens the sandbox state beside the journal (creating it from `scenario` when absent). A file there that is not a
 * SQLite database, or is corrupt, is refused (exit 3) with the command that recreates it; the file is left as it is.
 * A journal path that could not be used is refused first (exit 9).
 */
export async function openSandboxState(options: Pick<GlobalOptions, 'journal'>, scenario?: string): Promise<SandboxStore> {
  const { isUnreadableSandboxState } = await import('../sandbox/index.js');
  try {
    return await openStore(options, scenario);
  } catch (error) {
    if (!isUnreadableSandboxState(error)) throw error;
    const journal = options.journal !== undefined ? ` --journal ${shellQuote(shownJournal(options.journal))}` : '';
    throw remediateErrorOf(error, { hint: `remediate sandbox reset${journal} recreates it, moving this file aside` });
  }
}

/** Opens the state beside the journal; the sandbox's own errors are thrown as they are. */
async function openStore(options: Pick<GlobalOptions, 'journal'>, scenario: string | undefined): Promise<SandboxStore> {
  const { openSandboxStore } = await import('../sandbox/index.js');
  // The state goes beside the journal: nothing is created there unless the journal itself could be used (a file that
  // is not a journal, a read-only directory: exit 9, and no `<file>.sandbox.db` appears next to it).
  // A URL journal: its scheme checked (an unknown one refused, exit 3); the state then goes beside the default file.
  const journal = journalPath(options.journal);
  if (isJournalUrl(journal)) journalLocation(options.journal);
  else checkJournalLocation(journal);
  return openSandboxStore(sandboxPath(journalPath(options.journal)), scenario !== undefined ? { scenario } : {});
}

/**
 * For `sandbox reset`: opens the sandbox state like {@link openSandboxState}, but first moves a file that is not a
 * database (and its `-wal` and `-shm`) aside to `<file>.unreadable-<time>`, and starts a new one. Returns where the
 * old file went, if it was moved.
 */
export async function openSandboxStateForReset(
  options: Pick<GlobalOptions, 'journal'>,
  scenario: string,
): Promise<{ readonly store: SandboxStore; readonly movedAside: string | undefined }> {
  const { isUnreadableSandboxState } = await import('../sandbox/index.js');
  try {
    return { store: await openStore(options, scenario), movedAside: undefined };
  } catch (error) {
    if (!isUnreadableSandboxState(error)) throw error;
    const path = sandboxPath(journalPath(options.journal));
    const aside = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['-wal', '-shm', '']) {
      if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
    }
    return { store: await openSandboxState(options, scenario), movedAside: aside };
  }
}
