import { healthCheckPath, withHealthCheckPath } from '../../../../fixes/task-definition/health-check-command.js';
import { attributeOf, blocksOf, entryAt, nestedBlocks } from '../../../../repo/terraform/find-attribute.js';
import { hclLiteral } from '../../../../repo/terraform/replace-attribute-value.js';
import { parseTerraformFiles } from '../../../../repo/terraform/terraform-parser.js';
import type { HclValue, SourceFile, TerraformFile } from '../../../../repo/terraform/terraform-model.js';
import { TerraformScope } from '../../../../repo/terraform/terraform-scope.js';
import { lineText, type FileFinding } from './file-finding.js';
import { byModule } from './terraform-values.js';

/** The app's health routes: the public one a load balancer or container check can reach, and those that need authentication. */
export interface HealthRoutes {
  readonly publicPath: string;
  readonly authenticatedPaths: readonly string[];
}

/**
 * Health checks declared in Terraform on an authenticated route (`/health`, which answers 401 without
 * credentials, so every check fails): a target group's `health_check.path`, and the URL a container health-check
 * command probes inside `container_definitions = jsonencode([...])`. A literal gets an edit to the public route;
 * a variable, local or heredoc is a finding with the line to change by hand.
 */
export async function healthCheckPaths(sources: readonly SourceFile[], routes: HealthRoutes): Promise<FileFinding[]> {
  return healthCheckPathsIn(await parseTerraformFiles(sources.filter((s) => s.path.endsWith('.tf'))), routes);
}

/** {@link healthCheckPaths} in Terraform files already parsed (a check's, from the observation). */
export function healthCheckPathsIn(parsed: readonly TerraformFile[], routes: HealthRoutes): FileFinding[] {
  const findings: FileFinding[] = [];
  const authenticated = (path: string | undefined) =>
    path !== undefined && routes.authenticatedPaths.includes(path) && path !== routes.publicPath;
  for (const files of byModule(parsed).values()) {
    const scope = new TerraformScope(files);
    const report = (file: TerraformFile, value: HclValue, what: string, path: string, replacement: string | undefined) => {
      const where =
        value.kind === 'literal' || replacement !== undefined ? { file: file.path, line: value.line } : scope.whereSet(file, value);
      const whereFile = files.find((f) => f.path === where.file) ?? file;
      findings.push({
        file: where.file,
        line: where.line,
        evidence: lineText(whereFile.text, where.line),
        message: `${what} checks ${path}, which needs authentication (health checks send none, so every check fails): check ${routes.publicPath}, the public route`,
        ...(replacement === undefined
          ? {}
          : {
              proposedEdit: {
                file: file.path,
                range: value.range,
                before: file.text.slice(value.range.start, value.range.end),
                replacement,
              },
            }),
      });
    };
    for (const file of files) {
      for (const type of ['aws_lb_target_group', 'aws_alb_target_group']) {
        for (const block of blocksOf(file, 'resource', [type])) {
          for (const hc of nestedBlocks(block.body, 'health_check')) {
            const value = attributeOf(hc.body, 'path')?.value;
            if (value === undefined) continue;
            const path = scope.evaluate(value);
            if (typeof path !== 'string' || !authenticated(path)) continue;
            report(
              file,
              value,
              `${type}.${block.labels[1] ?? ''}`,
              path,
              value.kind === 'literal' ? hclLiteral(routes.publicPath) : undefined,
            );
          }
        }
      }
      for (const block of blocksOf(file, 'resource', ['aws_ecs_task_definition'])) {
        const defs = attributeOf(block.body, 'container_definitions')?.value;
        const list = defs?.kind === 'call' && defs.name === 'jsonencode' ? defs.args[0] : undefined;
        if (defs === undefined) continue;
        if (list?.kind !== 'tuple') {
          // A heredoc or file(): the JSON is not read here; say so when it names the authenticated route.
          const text = file.text.slice(defs.range.start, defs.range.end);
          const path = routes.authenticatedPaths.find((p) =>
            new RegExp(`https?://[^\\s"'/]+${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w/-])`).test(text),
          );
          if (path !== undefined)
            report(
              file,
              defs,
              `aws_ecs_task_definition.${block.labels[1] ?? ''} (container_definitions is not a jsonencode literal)`,
              path,
              undefined,
            );
          continue;
        }
        for (const container of list.items) {
          const command = entryAt(container, ['healthCheck', 'command'])?.value;
          if (command?.kind !== 'tuple') continue;
          const words = command.items.map((i) => (i.kind === 'literal' && typeof i.value === 'string' ? i.value : undefined));
          if (words.some((w) => w === undefined)) continue;
          const strings = words as string[];
          const path = healthCheckPath(strings);
          if (!authenticated(path) || path === undefined) continue;
          const name = entryAt(container, ['name'])?.value;
          const label = `container ${name?.kind === 'literal' ? String(name.value) : '?'} of aws_ecs_task_definition.${block.labels[1] ?? ''}`;
          report(file, command, label, path, `[${withHealthCheckPath(strings, routes.publicPath).map(hclLiteral).join(', ')}]`);
        }
      }
    }
  }
  return findings;
}
