import type { Check } from '../check.js';
import { aliasRecordsCheck } from './support/alias-records.js';

/** `dns.apex-alias`: the domain's own A/AAAA records. */
export const apexAliasCheck: Check = aliasRecordsCheck('apex');
