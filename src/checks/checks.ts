import type { Check } from './check.js';
import { unreachableCheck } from './unreachable-resources.js';
import { httpsListenerCheck } from './https-listener.js';
import { httpRedirectCheck } from './http-redirect.js';
import { gracePeriodCheck } from './health-check-grace-period.js';
import { healthCheckPathCheck } from './health-check-path.js';

/** Every check, in the order their findings are listed. */
export const checks: readonly Check[] = Object.freeze([
  unreachableCheck,
  httpsListenerCheck,
  httpRedirectCheck,
  healthCheckPathCheck,
  gracePeriodCheck,
]);
