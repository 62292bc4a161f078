import { aliasRecordsCheck } from './support/alias-records.js';

/** `dns.apex-alias`: the domain's own A/AAAA records. */
export const apexAliasCheck = aliasRecordsCheck('apex');
