/**
 * A Terraform file as remediate reads it: its blocks, attributes and values with their positions, as plain data
 * (the syntax tree is freed once read). Ranges are offsets into the file's text as a JavaScript string (UTF-16
 * code units, what `String.prototype.slice` takes); `bytes` is the same span in UTF-8 bytes, as the file is on disk.
 */

/** A source file: its path inside the repository (forward slashes) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** A span of a file: string offsets (`start` inclusive, `end` exclusive). */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** Where a node is: its span as string offsets and as UTF-8 byte offsets, and its first line (1-based). */
export interface Position {
  readonly range: TextRange;
  readonly bytes: TextRange;
  readonly line: number;
}

/** A literal a Terraform value can be, and remediate can write back. */
export type HclLiteral = string | number | boolean | null;

/** A reference in an expression: `var.x`, `local.y`, `aws_lb.main.arn`, `module.m.out`, `data.t.n.id`. */
export interface Reference extends Position {
  /** The traversal's names, e.g. `['aws_lb', 'main', 'dns_name']`. */
  readonly parts: readonly string[];
}

/** A value: a literal remediate can rewrite, an object or tuple of values, a function call, or any other expression. */
export type HclValue =
  | (Position & { readonly kind: 'literal'; readonly value: HclLiteral })
  | (Position & { readonly kind: 'object'; readonly entries: readonly ObjectEntry[] })
  | (Position & { readonly kind: 'tuple'; readonly items: readonly HclValue[] })
  | (Position & {
      readonly kind: 'call';
      readonly name: string;
      readonly args: readonly HclValue[];
      readonly references: readonly Reference[];
    })
  | (Position & {
      /** A reference, an interpolation, an operation, a heredoc, a for expression: not a literal remediate can rewrite. */
      readonly kind: 'expression';
      readonly text: string;
      readonly references: readonly Reference[];
    });

/** One `key = value` of an object. */
export interface ObjectEntry extends Position {
  readonly key: string;
  readonly value: HclValue;
}

/** `name = value` in a body. */
export interface Attribute extends Position {
  readonly name: string;
  readonly value: HclValue;
}

/** A block (`resource "aws_lb" "main" { … }`, or a nested `health_check { … }`): its type, labels and body. */
export interface Block extends Position {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
  /** Line of the closing brace (1-based). */
  readonly endLine: number;
}

export interface Body {
  readonly attributes: readonly Attribute[];
  readonly blocks: readonly Block[];
}

/** A parsed Terraform file. `errors` lists where the parser found syntax errors (none for a valid file). */
export interface TerraformFile extends SourceFile {
  readonly body: Body;
  readonly errors: readonly Position[];
}
