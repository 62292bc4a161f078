import { aliasRecordsCheck } from './support/alias-records.js';

/** `dns.www-alias`: `www.` + domain's A/AAAA records. */
export const wwwAliasCheck = aliasRecordsCheck('www');
