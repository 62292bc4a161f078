import { AwsError } from '../aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from './http-message.js';
import { decodeQueryInput, queryAction, queryParameters } from './query.js';
import type { CredentialScope } from './sigv4-scope.js';
import type { WireProtocol } from './wire-protocol.js';
import { xmlEscape, xmlMembers } from './xml-writer.js';

/**
 * EC2's dialect of the Query protocol (`aws.protocols#ec2Query`). Requests are form-encoded like
 * Query's, but lists are flattened without `.member` (`GroupId.1=sg-…`, `Filter.1.Name=vpc-id&
 * Filter.1.Value.1=vpc-…`, `IpPermissions.1.IpRanges.1.CidrIp=…`). Responses differ more:
 * - the output members sit directly under `<OperationResponse>` (no `<OperationResult>`), after a
 *   `<requestId>`;
 * - element names are the members' lower-camel `xmlName`s (`securityGroupInfo`, `groupId`,
 *   `ipPermissions`), which is why EC2 handlers return their outputs keyed by those wire names;
 * - list items are `<item>`;
 * - errors are `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */

/** The API version every EC2 request carries. */
export const EC2_API_VERSION = '2016-11-15';

const XMLNS = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;
const STYLE = { memberName: 'item' } as const;

/** The EC2 Query protocol. */
export function ec2QueryProtocol(): WireProtocol {
  return {
    kind: 'ec2-query',
    claims(request: SandboxHttpRequest, scope: CredentialScope | undefined): boolean {
      const params = queryParameters(request);
      if (params === undefined || !params.has('Action')) return false;
      const version = params.get('Version');
      return version === null ? scope?.service === 'ec2' : version === EC2_API_VERSION;
    },
    operationOf: queryAction,
    decodeInput: decodeQueryInput,
    encodeOutput(operation: string, output: object, requestId: string): SandboxHttpResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<${operation}Response xmlns="${XMLNS}">` +
        `<requestId>${xmlEscape(requestId)}</requestId>` +
        xmlMembers(output, STYLE) +
        `</${operation}Response>\n`;
      return { status: 200, headers: xmlHeaders(requestId), body };
    },
    encodeError(error: AwsError, requestId: string): SandboxHttpResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<Response><Errors><Error><Code>${xmlEscape(error.code)}</Code>` +
        `<Message>${xmlEscape(error.message)}</Message></Error></Errors>` +
        `<RequestID>${xmlEscape(requestId)}</RequestID></Response>\n`;
      return { status: error.status, headers: xmlHeaders(requestId), body };
    },
    unknownOperation(operation: string | undefined): AwsError {
      return operation === undefined
        ? new AwsError('MissingAction', 'The request must contain the parameter Action.')
        : new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`);
    },
  };
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId };
}
