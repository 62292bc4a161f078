import { resolve } from 'node:path';
import { copyJournal } from '../../journal/journal-copy.js';
import type { Journal } from '../../journal/journal.js';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { locationOf, type JournalLocation } from '../journal-location.js';
import { openJournal } from '../open-journal.js';
import { output } from '../output.js';

/**
 * `remediate journal migrate --from <journal> --to <journal>`: copies every plan, run, step and fleet run of one journal into
 * another (a local file into the team's PostgreSQL, typically), idempotently; refused when the target holds other
 * records under the same ids. The source is opened read-only.
 */
export async function journalMigrateCommand(options: GlobalOptions & { readonly from: string; readonly to: string }): Promise<ExitCode> {
  const out = output(options);
  const from = locationOf(options.from, '--from');
  const to = locationOf(options.to, '--to');
  if (sameLocation(from, to)) {
    throw new RemediateError(ErrorCode.BadInput, `--from and --to name the same journal (${shown(from)})`, {
      hint: 'give the journal to copy with --from and the one to copy it into with --to',
    });
  }
  const source = await openJournal(from, { readonly: true });
  let target: Journal | undefined;
  try {
    target = await openJournal(to);
    const copy = await copyJournal(source, target);
    if (out.json) out.document('journal migrate', { from: source.location, to: target.location, ...copy });
    else {
      const already =
        copy.plans.alreadyThere + copy.runs.alreadyThere + copy.fleetRuns.alreadyThere > 0
          ? `; ${copy.plans.alreadyThere} plan(s), ${copy.runs.alreadyThere} run(s) and ${copy.fleetRuns.alreadyThere} fleet run(s) were already there, the same`
          : '';
      out.text(
        `Copied ${copy.plans.copied} plan(s), ${copy.runs.copied} run(s) (${copy.steps} step(s)) and ${copy.fleetRuns.copied} fleet run(s) from ${source.location} to ${target.location}${already}.\n`,
      );
    }
    return ExitCode.Ok;
  } finally {
    await target?.close();
    await source.close();
  }
}

function shown(location: JournalLocation): string {
  return location.kind === 'file' ? location.path : location.shown;
}

function sameLocation(a: JournalLocation, b: JournalLocation): boolean {
  if (a.kind === 'file' && b.kind === 'file') return resolve(a.path) === resolve(b.path);
  return a.kind === 'postgres' && b.kind === 'postgres' && a.url === b.url;
}
