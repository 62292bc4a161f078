import { filePatchChange } from '../../../fixes/repo-file-patch.js';
import type { Severity } from '../../../model/plan.js';
import type { RepoSnapshot } from '../../../repo/repo-snapshot.js';
import { replaceRanges, type TextEdit } from '../../../repo/terraform/replace-attribute-value.js';
import type { TerraformFile } from '../../../repo/terraform/terraform-model.js';
import type { Detection } from '../../check.js';
import type { FileFinding } from './files/file-finding.js';

/** How a check words its detections of a file detector's findings. */
export interface FileDetectionWords {
  readonly severity: Severity;
  /** The finding's title (file:line is added in front). */
  readonly title: (finding: FileFinding) => string;
  /** What a person does when no edit is proposed. */
  readonly byHand: (finding: FileFinding) => string;
  /** The reason of the file change. */
  readonly reason: string;
}

/** The repository's `.tf` files as parsed when it was read; undefined when there is no repository or none. */
export function terraformOf(repo: RepoSnapshot | undefined): readonly TerraformFile[] | undefined {
  const files = repo?.terraform;
  return files === undefined || files.length === 0 ? undefined : files;
}

/** The repository's files as a detector takes them (path and text). */
export function sourcesOf(repo: RepoSnapshot): { path: string; text: string }[] {
  return repo.files.map((f) => ({ path: f.path, text: f.content }));
}

/**
 * A file detector's findings as detections: each with its file:line and evidence, and, where the detector proposes an
 * edit, one `repo.file-patch` per file carrying every edit of that file (several findings of one file share it; the
 * plan merges equal patches). An edit whose span no longer holds the text the detector read is left out (finding only).
 */
export function fileDetections(repo: RepoSnapshot, findings: readonly FileFinding[], words: FileDetectionWords): Detection[] {
  const byPath = new Map(repo.files.map((f) => [f.path, f]));
  const editsOf = new Map<string, TextEdit[]>();
  const usable = (f: FileFinding) => {
    const edit = f.proposedEdit;
    const file = edit === undefined ? undefined : byPath.get(edit.file);
    return edit !== undefined && file !== undefined && file.content.slice(edit.range.start, edit.range.end) === edit.before
      ? edit
      : undefined;
  };
  for (const f of findings) {
    const edit = usable(f);
    if (edit === undefined) continue;
    const list = editsOf.get(edit.file) ?? [];
    if (!list.some((e) => e.range.start === edit.range.start && e.range.end === edit.range.end))
      list.push({ range: edit.range, replacement: edit.replacement });
    editsOf.set(edit.file, list);
  }
  return findings.map((f) => {
    const at = `${f.file}:${f.line}`;
    const edit = usable(f);
    const file = edit === undefined ? undefined : byPath.get(edit.file);
    const edits = edit === undefined ? undefined : editsOf.get(edit.file);
    return {
      finding: {
        severity: words.severity,
        resource: at,
        title: `${at}: ${words.title(f)}`,
        evidence: { file: f.file, line: f.line, text: f.evidence, problem: f.message },
        ...(file === undefined ? { nextStep: words.byHand(f) } : {}),
      },
      ...(file !== undefined && edits !== undefined
        ? { change: filePatchChange(repo, file, replaceRanges(file.content, edits), words.reason) }
        : {}),
    };
  });
}
