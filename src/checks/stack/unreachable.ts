import { defineCheck } from '../check.js';

/** `stack.unreachable`: a resource the stack names could not be read (missing, or access denied). */
export const unreachableCheck = defineCheck({
  id: 'stack.unreachable',
  title: 'Every resource of the stack can be read',
  subject: (o) => o.gaps,
  detect(gaps, observation) {
    return gaps.map((gap) => {
      const denied = /AccessDenied|Unauthorized/.test(gap.code);
      return {
        finding: {
          severity: denied ? 'high' : 'critical',
          resource: gap.resource,
          title: `${gap.layer} ${gap.resource}: ${denied ? 'access denied' : gap.code === 'NotFound' || /NotFound/.test(gap.code) ? 'not found' : gap.code}`,
          evidence: { layer: gap.layer, code: gap.code, message: gap.message },
          nextStep: denied
            ? 'grant the read permissions listed in docs/checks.md to the caller, then plan again'
            : `check the stack's ${gap.layer} name and region (${observation.region}); the checks that need it were not run`,
        },
      };
    });
  },
});
