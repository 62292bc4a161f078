import { createHash } from 'node:crypto';
import type { TerraformFile } from './terraform/terraform-model.js';

/** One text file of the repository, as read: its path relative to the root (with `/`), its text and its SHA-256. */
export interface RepoFile {
  readonly path: string;
  readonly content: string;
  readonly sha256: string;
}

/** The repository `--repo` names, as read for a plan: its real absolute root and its text files, sorted by path. */
export interface RepoSnapshot {
  readonly root: string;
  readonly files: readonly RepoFile[];
  /** Files left out because the bounds were reached (more files or bytes than read). */
  readonly truncated: boolean;
  /** `--allow-dirty` was given: the changes made of these files may patch a tracked file with uncommitted changes. */
  readonly allowDirty?: boolean | undefined;
  /**
   * Its `.tf` files, parsed (the parser is asynchronous, so it runs when the repository is read and the checks stay
   * pure functions of the observation); absent when they were not parsed.
   */
  readonly terraform?: readonly TerraformFile[] | undefined;
}

/** The hex SHA-256 of a text as UTF-8 bytes. */
export function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
