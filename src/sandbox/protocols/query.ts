import { AwsError } from '../aws-error.js';
import { mediaType, type SandboxHttpRequest, type SandboxHttpResponse } from './http-message.js';
import type { CredentialScope } from './sigv4-scope.js';
import type { WireProtocol } from './wire-protocol.js';
import { xmlEscape, xmlMembers } from './xml-writer.js';

/**
 * The AWS Query protocol (ELBv2, STS, and with small differences EC2): a form-encoded POST
 * (`Action=DescribeListeners&Version=2015-12-01&ListenerArns.member.1=…`) answered with XML.
 */

/** A decoded Query parameter: a string, a list, or a structure. */
export type QueryValue = string | QueryValue[] | QueryObject;
/** A decoded structure of Query parameters. */
export interface QueryObject {
  [member: string]: QueryValue;
}

/** How one service speaks Query. */
export interface QueryProtocolOptions {
  /** The API version the service's requests carry, e.g. `2015-12-01`. */
  readonly version: string;
  /** The XML namespace of its responses, e.g. `http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/`. */
  readonly xmlNamespace: string;
  /** Its SigV4 signing name, e.g. `elasticloadbalancing`; claims requests that carry no Version. */
  readonly signingName: string;
}

/** The `Action` of a form-encoded Query request (EC2's dialect included). */
export function queryAction(request: SandboxHttpRequest): string | undefined {
  return queryParameters(request)?.get('Action') ?? undefined;
}

/** The parameters of a form-encoded Query request, decoded into structures and lists. */
export function decodeQueryInput(request: SandboxHttpRequest): QueryObject {
  const params = queryParameters(request);
  if (params === undefined) throw new AwsError('MalformedQueryString', 'The request is not form-encoded.');
  return parseQueryParameters(params);
}

/** The Query protocol for one service. */
export function queryProtocol(options: QueryProtocolOptions): WireProtocol {
  const xmlns = xmlEscape(options.xmlNamespace);
  const style = { memberName: 'member' } as const;
  return {
    kind: 'query',
    claims(request: SandboxHttpRequest, scope: CredentialScope | undefined): boolean {
      const params = queryParameters(request);
      if (params === undefined || !params.has('Action')) return false;
      const version = params.get('Version');
      return version === null ? scope?.service === options.signingName : version === options.version;
    },
    operationOf: queryAction,
    decodeInput: decodeQueryInput,
    encodeOutput(operation: string, output: object, requestId: string): SandboxHttpResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<${operation}Response xmlns="${xmlns}">` +
        `<${operation}Result>${xmlMembers(output, style)}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata>` +
        `</${operation}Response>\n`;
      return { status: 200, headers: xmlHeaders(requestId), body };
    },
    encodeError(error: AwsError, requestId: string): SandboxHttpResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<ErrorResponse xmlns="${xmlns}">` +
        `<Error><Type>${error.faultType}</Type><Code>${xmlEscape(error.code)}</Code>` +
        `<Message>${xmlEscape(error.message)}</Message></Error>` +
        `<RequestId>${xmlEscape(requestId)}</RequestId>` +
        `</ErrorResponse>\n`;
      return { status: error.status, headers: xmlHeaders(requestId), body };
    },
    unknownOperation(operation: string | undefined): AwsError {
      return operation === undefined
        ? new AwsError('MissingAction', 'The request must contain the parameter Action.')
        : new AwsError('InvalidAction', `Could not find operation ${operation} for version ${options.version}`);
    },
  };
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId };
}

const parsed = new WeakMap<SandboxHttpRequest, URLSearchParams | undefined>();

/**
 * The request's Query parameters: the form-encoded body merged over the URL's query string
 * (Query also allows GET). Undefined when the request is neither a form POST nor a GET with `Action`.
 */
export function queryParameters(request: SandboxHttpRequest): URLSearchParams | undefined {
  if (parsed.has(request)) return parsed.get(request);
  let params: URLSearchParams | undefined;
  if (request.method === 'POST' && mediaType(request) === 'application/x-www-form-urlencoded') {
    params = new URLSearchParams(request.query);
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(key, value);
  } else if (request.method === 'GET' && request.query.has('Action')) {
    params = request.query;
  }
  parsed.set(request, params);
  return params;
}

/**
 * Turns flattened Query parameters into nested values: `Names.member.1=a` → `{ Names: ['a'] }`,
 * `DefaultActions.member.1.RedirectConfig.Port=443` → `{ DefaultActions: [{ RedirectConfig: { Port: '443' } }] }`,
 * `Attributes.entry.1.key=k&Attributes.entry.1.value=v` → `{ Attributes: { k: 'v' } }`,
 * EC2's `Filter.1.Name=x` → `{ Filter: [{ Name: 'x' }] }`. An empty list is sent as `Names=` and
 * stays the empty string. `Action` and `Version` are left out.
 */
export function parseQueryParameters(params: URLSearchParams): QueryObject {
  const root: MutableNode = new Map();
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.');
    let node = root;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      const existing = node.get(segment);
      if (last) {
        if (existing instanceof Map) throw malformed(key);
        node.set(segment, value);
      } else if (existing === undefined) {
        const child: MutableNode = new Map();
        node.set(segment, child);
        node = child;
      } else if (existing instanceof Map) {
        node = existing;
      } else if (existing === '') {
        // `Names=` (an empty list) followed by `Names.member.1=…`: the members win.
        const child: MutableNode = new Map();
        node.set(segment, child);
        node = child;
      } else {
        throw malformed(key);
      }
    }
  }
  const value = normalise(root);
  if (typeof value === 'string' || Array.isArray(value)) throw new AwsError('MalformedQueryString', 'Malformed parameters.');
  return value;
}

type MutableNode = Map<string, string | MutableNode>;

function malformed(key: string): AwsError {
  return new AwsError('MalformedQueryString', `Parameter ${key} conflicts with another parameter.`);
}

const INDEX = /^[1-9]\d*$/;

function normalise(node: string | MutableNode): QueryValue {
  if (typeof node === 'string') return node;
  const keys = [...node.keys()];
  const member = node.get('member');
  if (keys.length === 1 && member instanceof Map && [...member.keys()].every((k) => INDEX.test(k))) {
    return indexed(member);
  }
  if (keys.length > 0 && keys.every((k) => INDEX.test(k))) return indexed(node);
  const entry = node.get('entry');
  if (keys.length === 1 && entry instanceof Map && [...entry.keys()].every((k) => INDEX.test(k))) {
    const map: QueryObject = Object.create(null) as QueryObject;
    for (const item of indexed(entry)) {
      if (typeof item !== 'object' || Array.isArray(item) || typeof item['key'] !== 'string') continue;
      const itemValue = item['value'];
      if (itemValue !== undefined) map[item['key']] = itemValue;
    }
    return map;
  }
  const struct: QueryObject = Object.create(null) as QueryObject;
  for (const [key, child] of node) struct[key] = normalise(child);
  return struct;
}

function indexed(node: MutableNode): QueryValue[] {
  return [...node.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => normalise(child));
}
