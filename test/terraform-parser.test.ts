import { describe, expect, it } from 'vitest';
import { findAttribute } from '../src/repo/terraform/find-attribute.js';
import { hclLiteral, replaceAttributeValue } from '../src/repo/terraform/replace-attribute-value.js';
import type { TerraformFile } from '../src/repo/terraform/terraform-model.js';
import { parseTerraform, parseTerraformFiles } from '../src/repo/terraform/terraform-parser.js';
import { fixtureSources } from './support/terraform-fixture.js';

/** The text outside `range` must be the original's, byte for byte, and the value's bytes the new literal. */
function expectOnlyRangeChanged(before: string, after: string, range: { start: number; end: number }, literalText: string): void {
  expect(after.slice(0, range.start)).toBe(before.slice(0, range.start));
  expect(after.slice(range.start + literalText.length)).toBe(before.slice(range.end));
  expect(after.slice(range.start, range.start + literalText.length)).toBe(literalText);
  expect(Buffer.from(after, 'utf8').subarray(0, Buffer.byteLength(before.slice(0, range.start)))).toEqual(
    Buffer.from(before, 'utf8').subarray(0, Buffer.byteLength(before.slice(0, range.start))),
  );
}

describe('Terraform parser', () => {
  it('lists the blocks of a file with their type, labels, lines and ranges', async () => {
    const text =
      'resource "aws_lb" "main" {\n  name = "a"\n}\n\ndata "aws_vpc" "default" {}\noutput "x" { value = 1 }\nvariable "v" {}\nmodule "m" { source = "./m" }\nlocals { a = 1 }\n';
    const file = await parseTerraform({ path: 'main.tf', text });
    expect(file.errors).toEqual([]);
    expect(file.body.blocks.map((b) => [b.type, ...b.labels, b.line, b.endLine])).toEqual([
      ['resource', 'aws_lb', 'main', 1, 3],
      ['data', 'aws_vpc', 'default', 5, 5],
      ['output', 'x', 6, 6],
      ['variable', 'v', 7, 7],
      ['module', 'm', 8, 8],
      ['locals', 9, 9],
    ]);
    const first = file.body.blocks[0];
    expect(first && text.slice(first.range.start, first.range.end)).toBe('resource "aws_lb" "main" {\n  name = "a"\n}');
  });

  it('finds a nested attribute: its literal, the value range and the line; a variable is an expression with its reference', async () => {
    const files = await parseTerraformFiles(fixtureSources('nexora'));
    const path = findAttribute(files, { blockType: 'resource', labels: ['aws_lb_target_group', 'api'], path: ['health_check', 'path'] });
    expect(path?.file.path).toBe('alb.tf');
    expect(path?.value.kind).toBe('literal');
    expect(path?.value.kind === 'literal' && path.value.value).toBe('/health');
    expect(path?.value.line).toBe(16);
    expect(path && path.file.text.slice(path.value.range.start, path.value.range.end)).toBe('"/health"');
    const interval = findAttribute(files, {
      blockType: 'resource',
      labels: ['aws_lb_target_group', 'api'],
      path: ['health_check', 'interval'],
    });
    expect(interval?.value.kind).toBe('expression');
    expect(interval?.value.kind === 'expression' && interval.value.references.map((r) => r.parts.join('.'))).toEqual([
      'var.health_check_interval',
    ]);
    const name = findAttribute(files, { blockType: 'resource', labels: ['aws_ecs_service', 'api'], path: ['name'] });
    expect(name?.value.kind).toBe('expression');
    expect(name?.value.kind === 'expression' && name.value.text).toBe('"${local.name_prefix}-api"');
    const image = findAttribute(files, {
      blockType: 'resource',
      labels: ['aws_ecs_task_definition', 'api'],
      path: ['container_definitions'],
    });
    expect(image?.value.kind).toBe('call');
    expect(findAttribute(files, { blockType: 'resource', labels: ['aws_lb_target_group', 'nope'], path: ['name'] })).toBeUndefined();
  });

  it('gives UTF-8 byte offsets beside string offsets, and the lines of a file with multi-byte characters', async () => {
    const text = '# é — ü\nresource "aws_lb_target_group" "api" {\n  health_check { path = "/hé" }\n}\n';
    const file = await parseTerraform({ path: 'a.tf', text });
    const found = findAttribute(file, { blockType: 'resource', labels: ['aws_lb_target_group'], path: ['health_check', 'path'] });
    expect(found?.value.line).toBe(3);
    const range = found?.value.range ?? { start: 0, end: 0 };
    const bytes = found?.value.bytes ?? { start: 0, end: 0 };
    expect(Buffer.from(text, 'utf8').subarray(bytes.start, bytes.end).toString('utf8')).toBe(text.slice(range.start, range.end));
    expect(bytes.start).toBeGreaterThan(range.start);
  });

  it('reports a syntax error instead of guessing', async () => {
    const file = await parseTerraform({ path: 'bad.tf', text: 'resource "a" "b" {\n  name = \n' });
    expect(file.errors.length).toBeGreaterThan(0);
    const partly = await parseTerraform({
      path: 'p.tf',
      text: 'resource "a" "ok" {\n  name = "x"\n}\nresource "a" "bad" {\n  name = = \n}\n',
    });
    expect(partly.errors.length).toBeGreaterThan(0);
    const ok = findAttribute(partly, { blockType: 'resource', labels: ['a', 'ok'], path: ['name'] });
    expect(ok?.value.kind === 'literal' && ok.value.value).toBe('x');
  });

  it('reads escapes in strings and keeps interpolation as an expression', async () => {
    const file = await parseTerraform({
      path: 'e.tf',
      text: 'locals {\n  a = "q\\"\\\\\\n$${x}"\n  b = "${var.x}-y"\n  c = <<EOT\nhi\nEOT\n}\n',
    });
    const a = findAttribute(file, { blockType: 'locals', labels: [], path: ['a'] });
    expect(a?.value.kind === 'literal' && a.value.value).toBe('q"\\\n${x}');
    expect(findAttribute(file, { blockType: 'locals', labels: [], path: ['b'] })?.value.kind).toBe('expression');
    expect(findAttribute(file, { blockType: 'locals', labels: [], path: ['c'] })?.value.kind).toBe('expression');
  });
});

describe('replaceAttributeValue', () => {
  async function rewrite(file: TerraformFile, path: string[], labels: string[], literal: string | number | boolean | null) {
    const found = findAttribute(file, { blockType: 'resource', labels, path });
    if (found === undefined) throw new Error(`no ${path.join('.')}`);
    const after = replaceAttributeValue(file.text, found.value.range, literal);
    expectOnlyRangeChanged(file.text, after, found.value.range, hclLiteral(literal));
    return { after, reparsed: await parseTerraform({ path: file.path, text: after }) };
  }

  it('changes only the bytes of the value: the comment after it, the alignment and the rest of the file stay', async () => {
    const [alb] = await parseTerraformFiles(fixtureSources('nexora').filter((s) => s.path === 'alb.tf'));
    if (alb === undefined) throw new Error('no alb.tf');
    const { after, reparsed } = await rewrite(alb, ['health_check', 'path'], ['aws_lb_target_group', 'api'], '/health/alb');
    expect(after).toBe(alb.text.replace('path                = "/health" #', 'path                = "/health/alb" #'));
    const found = findAttribute(reparsed, {
      blockType: 'resource',
      labels: ['aws_lb_target_group', 'api'],
      path: ['health_check', 'path'],
    });
    expect(found?.value.kind === 'literal' && found.value.value).toBe('/health/alb');
    expect(reparsed.errors).toEqual([]);
  });

  it('writes numbers and booleans as HCL literals', async () => {
    const [alb] = await parseTerraformFiles(fixtureSources('nexora').filter((s) => s.path === 'alb.tf'));
    if (alb === undefined) throw new Error('no alb.tf');
    const { reparsed } = await rewrite(alb, ['health_check', 'healthy_threshold'], ['aws_lb_target_group', 'api'], 2);
    const found = findAttribute(reparsed, {
      blockType: 'resource',
      labels: ['aws_lb_target_group', 'api'],
      path: ['health_check', 'healthy_threshold'],
    });
    expect(found?.value.kind === 'literal' && found.value.value).toBe(2);
    const enabled = await rewrite(alb, ['health_check', 'enabled'], ['aws_lb_target_group', 'api'], false);
    expect(enabled.after).toContain('enabled             = false');
  });

  it('quotes and escapes a string so that it reads back as the same string, never as a template', async () => {
    const tricky = 'a "quoted" \\ path\n\twith ${interp} and %{directive} and \u0001';
    const file = await parseTerraform({ path: 't.tf', text: 'resource "x" "y" {\n  v = "old" // é\n}\n' });
    const { reparsed } = await rewrite(file, ['v'], ['x', 'y'], tricky);
    const found = findAttribute(reparsed, { blockType: 'resource', labels: ['x', 'y'], path: ['v'] });
    expect(found?.value.kind).toBe('literal');
    expect(found?.value.kind === 'literal' && found.value.value).toBe(tricky);
    expect(reparsed.text.endsWith(' // é\n}\n')).toBe(true);
  });
});
