import { jsonRpcProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../service-module.js';
import { acmErrors } from './acm-errors.js';
import { importCertificate, requestCertificate } from './certificate-creation.js';
import { describeCertificate, listCertificates } from './certificates.js';

/** AWS Certificate Manager, over JSON 1.1 (`X-Amz-Target: CertificateManager.<Operation>`). Regional. */
export const acmModule: ServiceModule = {
  name: 'acm',
  protocol: jsonRpcProtocol({ targetPrefix: 'CertificateManager', jsonVersion: '1.1' }),
  invalidInput: acmErrors.validation,
  operations: {
    ListCertificates: listCertificates,
    DescribeCertificate: describeCertificate,
    ImportCertificate: importCertificate,
    RequestCertificate: requestCertificate,
  },
};
