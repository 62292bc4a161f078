import { defineCheck } from '../check.js';
import { fileDetections, terraformOf } from './support/file-detections.js';
import { placeholderSecretsIn } from './support/files/placeholder-secrets.js';

/**
 * `repo.secret-placeholders`: a secret written in the Terraform as a placeholder (`sk_test_REPLACE_ME`, `CHANGE_ME`) or
 * empty, which `terraform apply` deploys as the secret (Nexora's `secrets.tf`: the audit, item 6). A finding only: the
 * real value belongs in Secrets Manager, never in the repository.
 */
export const secretPlaceholdersCheck = defineCheck({
  id: 'repo.secret-placeholders',
  title: 'No placeholder secrets in the Terraform',
  subject: (o) => {
    const terraform = terraformOf(o.repo);
    return o.repo === undefined || terraform === undefined ? undefined : { repo: o.repo, terraform };
  },
  detect: ({ repo, terraform }) =>
    fileDetections(repo, placeholderSecretsIn(terraform), {
      severity: 'high',
      title: (f) => f.message,
      byHand: (f) =>
        `remove the value at ${f.file}:${f.line} from the repository and set the real secret in Secrets Manager (ignore_changes on secret_string, or a sensitive variable)`,
      reason: 'no placeholder secrets',
    }),
});
