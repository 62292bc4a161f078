import { createRequire } from 'node:module';
import type { Node, Parser } from 'web-tree-sitter';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import type {
  Attribute,
  Block,
  Body,
  HclLiteral,
  HclValue,
  ObjectEntry,
  Position,
  Reference,
  SourceFile,
  TerraformFile,
} from './terraform-model.js';

// The Terraform grammar of tree-sitter-hcl (maintained by tree-sitter-grammars), as WebAssembly: no native build,
// and a syntax tree with the exact offsets of every node, so an edit replaces only a value's bytes.
const require = createRequire(import.meta.url);
let parserLoading: Promise<Parser> | undefined;

/** The parser, loaded once (the runtime and the grammar's WASM) on first use. */
function terraformParser(): Promise<Parser> {
  parserLoading ??= (async () => {
    // Imported here, not above: a plan without --repo never parses Terraform, and need not load the runtime.
    const { Language, Parser } = await import('web-tree-sitter');
    await Parser.init();
    const language = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserLoading;
}

/** Parses one Terraform file into blocks, attributes and values with their positions. */
export async function parseTerraform(source: SourceFile): Promise<TerraformFile> {
  const parser = await terraformParser();
  const tree = parser.parse(source.text);
  // parse returns null only when cancelled, and nothing cancels it here: a bug, not bad input.
  if (tree === null) throw new RemediateError(ErrorCode.Internal, `${source.path}: the Terraform parser returned no tree`);
  try {
    const reader = new Reader(source.text);
    const root = tree.rootNode;
    const body = root.namedChildren.find((c) => c?.type === 'body');
    return {
      path: source.path,
      text: source.text,
      body: body === undefined || body === null ? { attributes: [], blocks: [] } : reader.body(body),
      errors: reader.errors(root),
    };
  } finally {
    tree.delete();
  }
}

/** Parses several files (the `.tf` files of a repository). */
export async function parseTerraformFiles(sources: readonly SourceFile[]): Promise<TerraformFile[]> {
  const files: TerraformFile[] = [];
  for (const source of sources) files.push(await parseTerraform(source));
  return files;
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** HCL's string escapes (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md#template-literals). */
function unescapeHcl(raw: string): string {
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{/gs, (match, u4?: string, u8?: string, ch?: string) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    if (u4 !== undefined) return String.fromCodePoint(parseInt(u4, 16));
    if (u8 !== undefined) return String.fromCodePoint(parseInt(u8, 16));
    switch (ch) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return ch ?? '';
    }
  });
}

class Reader {
  private readonly ascii: boolean;

  constructor(private readonly text: string) {
    // eslint-disable-next-line no-control-regex
    this.ascii = /^[\x00-\x7f]*$/.test(text);
  }

  private byteOffset(index: number): number {
    return this.ascii ? index : Buffer.byteLength(this.text.slice(0, index), 'utf8');
  }

  position(node: Node): Position {
    const start = node.startIndex;
    const end = node.endIndex;
    return { range: { start, end }, bytes: { start: this.byteOffset(start), end: this.byteOffset(end) }, line: node.startPosition.row + 1 };
  }

  errors(root: Node): Position[] {
    const out: Position[] = [];
    const visit = (node: Node): void => {
      if (node.type === 'ERROR' || node.isMissing) out.push(this.position(node));
      else if (node.hasError) for (const child of node.children) if (child !== null) visit(child);
    };
    visit(root);
    return out;
  }

  body(node: Node): Body {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    for (const child of named(node)) {
      // A node the parser could not complete (a syntax error, listed in `errors`) is left out.
      const attribute = child.type === 'attribute' ? this.attribute(child) : undefined;
      const block = child.type === 'block' ? this.block(child) : undefined;
      if (attribute !== undefined) attributes.push(attribute);
      if (block !== undefined) blocks.push(block);
    }
    return { attributes, blocks };
  }

  private attribute(node: Node): Attribute | undefined {
    const [name, expression] = named(node);
    if (name === undefined || expression === undefined || expression.isMissing) return undefined;
    return { ...this.position(node), name: name.text, value: this.value(expression) };
  }

  private block(node: Node): Block | undefined {
    const children = named(node);
    const [type, ...rest] = children;
    if (type === undefined) return undefined;
    const labels: string[] = [];
    let body: Body = { attributes: [], blocks: [] };
    for (const child of rest) {
      if (child.type === 'string_lit') labels.push(this.stringContent(child));
      else if (child.type === 'identifier') labels.push(child.text);
      else if (child.type === 'body') body = this.body(child);
    }
    return { ...this.position(node), type: type.text, labels, body, endLine: node.endPosition.row + 1 };
  }

  /** The text between a string's quotes, unescaped. */
  private stringContent(node: Node): string {
    const inner = node.children
      .filter((c): c is Node => c !== null && c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end')
      .map((c) => c.text)
      .join('');
    return unescapeHcl(inner);
  }

  value(expression: Node): HclValue {
    const position = this.position(expression);
    const children = named(expression);
    const only = children.length === 1 ? children[0] : undefined;
    const inner = only?.type === 'expression' && expression.children.length === 3 ? undefined : only;
    if (inner !== undefined) {
      const literal = this.literal(inner);
      if (literal !== undefined) return { ...position, kind: 'literal', value: literal.value };
      if (inner.type === 'collection_value') {
        const collection = named(inner)[0];
        if (collection?.type === 'object') return { ...position, kind: 'object', entries: this.entries(collection) };
        if (collection?.type === 'tuple') {
          return {
            ...position,
            kind: 'tuple',
            items: named(collection)
              .filter((c) => c.type === 'expression')
              .map((c) => this.value(c)),
          };
        }
      }
      if (inner.type === 'function_call') {
        const [name, args] = named(inner);
        const values = args?.type === 'function_arguments' ? named(args).filter((c) => c.type === 'expression') : [];
        return {
          ...position,
          kind: 'call',
          name: name?.text ?? '',
          args: values.map((c) => this.value(c)),
          references: this.references(expression),
        };
      }
    }
    return { ...position, kind: 'expression', text: expression.text, references: this.references(expression) };
  }

  private literal(node: Node): { value: HclLiteral } | undefined {
    if (node.type === 'literal_value') {
      const lit = named(node)[0];
      if (lit === undefined) return undefined;
      switch (lit.type) {
        case 'string_lit':
          return { value: this.stringContent(lit) };
        case 'numeric_lit':
          return { value: Number(lit.text) };
        case 'bool_lit':
          return { value: lit.text === 'true' };
        case 'null_lit':
          return { value: null };
        default:
          return undefined;
      }
    }
    // A quoted template with no interpolation nor directive is a plain string.
    if (node.type === 'template_expr') {
      const quoted = named(node)[0];
      if (quoted?.type === 'quoted_template' && named(quoted).every((c) => c.type === 'template_literal'))
        return { value: this.stringContent(quoted) };
    }
    return undefined;
  }

  private entries(object: Node): ObjectEntry[] {
    const out: ObjectEntry[] = [];
    for (const elem of named(object)) {
      if (elem.type !== 'object_elem') continue;
      const [key, value] = named(elem);
      if (key === undefined || value === undefined) continue;
      const keyValue = this.value(key);
      const name = keyValue.kind === 'literal' ? String(keyValue.value) : keyValue.kind === 'expression' ? keyValue.text : key.text;
      out.push({ ...this.position(elem), key: name, value: this.value(value) });
    }
    return out;
  }

  /** Every traversal in an expression that starts at a name (`var.x`, `aws_lb.main.arn`), however deep. */
  private references(node: Node): Reference[] {
    const out: Reference[] = [];
    const visit = (n: Node): void => {
      if (n.type === 'expression') {
        const children = named(n);
        const first = children[0];
        if (first?.type === 'variable_expr') {
          const parts = [first.text];
          let last = first;
          for (const next of children.slice(1)) {
            if (next.type !== 'get_attr') break;
            const id = named(next)[0];
            if (id === undefined) break;
            parts.push(id.text);
            last = next;
          }
          const start = this.position(first);
          const end = this.position(last);
          out.push({
            range: { start: start.range.start, end: end.range.end },
            bytes: { start: start.bytes.start, end: end.bytes.end },
            line: start.line,
            parts,
          });
        }
      }
      for (const child of named(n)) visit(child);
    };
    visit(node);
    return out;
  }
}
