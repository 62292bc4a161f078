import type { Check } from '../check.js';
import { aliasRecordsCheck } from './support/alias-records.js';

/** `dns.www-alias`: `www.` + domain's A/AAAA records. */
export const wwwAliasCheck: Check = aliasRecordsCheck('www');
