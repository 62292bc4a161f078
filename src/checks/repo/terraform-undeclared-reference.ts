import { defineCheck } from '../check.js';
import { fileDetections, terraformOf } from './support/file-detections.js';
import { undeclaredReferencesIn } from './support/files/undeclared-references.js';

/**
 * `repo.terraform-undeclared-reference`: the Terraform refers to a resource, data source, variable, local or module
 * its module does not declare (Nexora's `outputs.tf` named `aws_cloudwatch_log_group.malgenx`, which no file declares:
 * the audit, item 4), so `terraform plan` fails. A finding only: what was meant is for a person to say.
 */
export const terraformUndeclaredReferenceCheck = defineCheck({
  id: 'repo.terraform-undeclared-reference',
  title: 'The Terraform refers only to what its module declares',
  subject: (o) => {
    const terraform = terraformOf(o.repo);
    return o.repo === undefined || terraform === undefined ? undefined : { repo: o.repo, terraform };
  },
  detect: ({ repo, terraform }) =>
    fileDetections(repo, undeclaredReferencesIn(terraform), {
      severity: 'high',
      title: (f) => f.message,
      byHand: (f) => `declare what ${f.file}:${f.line} refers to, or remove the reference (terraform plan fails until then)`,
      reason: 'refer only to declared resources',
    }),
});
