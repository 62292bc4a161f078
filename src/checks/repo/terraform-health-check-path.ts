import { defineCheck } from '../check.js';
import { fileDetections, terraformOf } from './support/file-detections.js';
import { healthCheckPathsIn } from './support/files/health-check-paths.js';
import { healthCheckPath } from '../../fixes/task-definition/health-check-command.js';
import type { Observation } from '../../observe/observation.js';

/** The paths above a public health path (`/health` for `/health/alb`): the authenticated routes it was added beside. */
function parentsOf(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/**
 * `repo.terraform-health-check-path`: the Terraform declares a target group's `health_check.path`, or a container
 * health-check command in an ECS task definition, on an authenticated route instead of the stack's public health path
 * (`healthPath`): at Nexora `/health` answered 401 to every check (the audit, item 2), and the next `terraform apply`
 * would put it back after a live fix. The authenticated routes are those above the public path (`/health` for
 * `/health/alb`) and the path the live target group checks when it is not the public one. A literal is rewritten to
 * the public path; a variable or local is a finding with the line to change by hand.
 */
export const terraformHealthCheckPathCheck = defineCheck({
  id: 'repo.terraform-health-check-path',
  title: "The Terraform's health checks ask the stack's public health path",
  subject: (o) => {
    const terraform = terraformOf(o.repo);
    const publicPath = o.stack.healthPath;
    if (o.repo === undefined || terraform === undefined || publicPath === undefined) return undefined;
    const live = o.targetGroup?.HealthCheckPath;
    const authenticatedPaths = [...new Set([...parentsOf(publicPath), ...(live !== undefined && live !== publicPath ? [live] : [])])];
    return {
      repo: o.repo,
      terraform,
      routes: { publicPath, authenticatedPaths },
      liveFollows: liveContainerCheckWrong(o, authenticatedPaths),
    };
  },
  detect: ({ repo, terraform, routes, liveFollows }) =>
    fileDetections(
      repo,
      // When the live container health check is on an authenticated path too, the live fix (ecs.container-health-check)
      // rewrites the task definition, and repo.terraform-declares-live writes its whole container definition into
      // the .tf after it: a patch of the command's path here would be a second, conflicting edit of the same bytes.
      healthCheckPathsIn(terraform, routes).map((f) =>
        liveFollows && f.message.includes('aws_ecs_task_definition')
          ? { ...withoutEdit(f), message: `${f.message} (repo.terraform-declares-live writes it with the live fix)` }
          : f,
      ),
      {
        severity: 'high',
        title: (f) => f.message,
        byHand: (f) => `change ${f.file}:${f.line} to ${routes.publicPath}, the public health route`,
        reason: `check ${routes.publicPath}, the route that answers without authentication`,
      },
    ),
});

/** Whether the live task definition's serving container checks one of the authenticated paths (a live fix will follow). */
function liveContainerCheckWrong(o: Observation, authenticatedPaths: readonly string[]): boolean {
  return (o.taskDefinition?.containerDefinitions ?? []).some((c) => {
    const path = c.healthCheck?.command !== undefined ? healthCheckPath(c.healthCheck.command) : undefined;
    return path !== undefined && authenticatedPaths.includes(path);
  });
}

function withoutEdit<F extends { readonly proposedEdit?: unknown }>(finding: F): Omit<F, 'proposedEdit'> {
  const { proposedEdit: _dropped, ...rest } = finding;
  return rest;
}
