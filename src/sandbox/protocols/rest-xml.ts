import { AwsError } from '../aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from './http-message.js';
import { readXmlDocument, writeXmlDocument, type MalformedXml, type XmlTree } from './rest-xml-codec.js';
import type { StructureShape } from './rest-xml-shapes.js';
import type { WireProtocol } from './wire-protocol.js';
import { xmlEscape } from './xml-writer.js';

/**
 * AWS REST-XML (CloudFront, Route53): the operation is named by the HTTP method and the path
 * (`PUT /2020-05-31/distribution/{Id}/config`); its input travels in path labels, query-string
 * parameters, headers (`If-Match`) and an XML body; its output in headers (`ETag`) and an XML body
 * rooted at the payload's element or `<OperationResponse>`; errors as
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */

/** An XML body bound to ONE member of the input or output (CloudFront's `DistributionConfig`). */
export interface RestXmlPayload {
  /** The input/output member the body is. */
  readonly member: string;
  /** The root element of the body. */
  readonly element: string;
  readonly shape: StructureShape;
}

/** An XML body whose root element's children are the members themselves (Route53). */
export interface RestXmlBody {
  /** The root element: `ChangeResourceRecordSetsRequest`, `ListHostedZonesResponse`. */
  readonly element: string;
  readonly shape: StructureShape;
}

/** How one operation is bound to HTTP. */
export interface RestXmlOperation {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The path template; `{Name}` segments are labels that fill the input member `Name`. */
  readonly path: string;
  readonly input?: {
    /** Query-string parameter → input member (`maxitems` → `MaxItems`). */
    readonly query?: Readonly<Record<string, string>>;
    /** Header (lower-case) → input member (`if-match` → `IfMatch`). */
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: RestXmlPayload | RestXmlBody;
  };
  readonly output: {
    /** The HTTP status of a success (200 unless set: creates answer 201 Created). */
    readonly status?: number;
    /** Output member → response header (`ETag` → `ETag`). */
    readonly headers?: Readonly<Record<string, string>>;
    readonly body: RestXmlPayload | RestXmlBody;
  };
}

/** How one service speaks REST-XML. */
export interface RestXmlProtocolOptions {
  /** The path prefix of every operation of the service: `/2020-05-31/`, `/2013-04-01/`. */
  readonly pathPrefix: string;
  /** The namespace of its XML documents. */
  readonly xmlNamespace: string;
  readonly operations: Readonly<Record<string, RestXmlOperation>>;
  /** The service's error for a body that is not well-formed XML or does not fit the operation. */
  readonly malformed: MalformedXml;
  /**
   * Path labels may arrive with a resource-type prefix the service strips
   * (Route53 accepts `/hostedzone/Z123` for `Z123`).
   */
  readonly labelPrefixes?: readonly string[];
}

/** An operation's path template, split into literal segments and labels. */
interface CompiledRoute {
  readonly operation: string;
  readonly spec: RestXmlOperation;
  readonly segments: readonly ({ readonly literal: string } | { readonly label: string })[];
}

/** The REST-XML protocol for one service. */
export function restXmlProtocol(options: RestXmlProtocolOptions): WireProtocol {
  const routes = Object.entries(options.operations).map(([operation, spec]) => compileRoute(operation, spec));
  const namespace = options.xmlNamespace;
  const headers = (requestId: string): Record<string, string> => ({ 'content-type': 'text/xml', 'x-amzn-RequestId': requestId });
  const match = (request: SandboxHttpRequest): { route: CompiledRoute; labels: Record<string, string> } | undefined => {
    for (const route of routes) {
      if (route.spec.method !== request.method) continue;
      const labels = matchPath(route, request.path, options.labelPrefixes ?? []);
      if (labels !== undefined) return { route, labels };
    }
    return undefined;
  };
  return {
    kind: 'rest-xml',
    claims(request: SandboxHttpRequest): boolean {
      return request.path.startsWith(options.pathPrefix);
    },
    operationOf(request: SandboxHttpRequest): string | undefined {
      return match(request)?.route.operation ?? `${request.method} ${request.path}`;
    },
    decodeInput(request: SandboxHttpRequest, operation: string): unknown {
      const found = match(request);
      if (found === undefined || found.route.operation !== operation) {
        throw options.malformed(`The request does not match the operation ${operation}.`);
      }
      const spec = found.route.spec.input;
      const input: Record<string, XmlTree> = { ...found.labels };
      for (const [parameter, member] of Object.entries(spec?.query ?? {})) {
        const value = request.query.get(parameter);
        if (value !== null) input[member] = value;
      }
      for (const [header, member] of Object.entries(spec?.headers ?? {})) {
        const value = request.headers[header];
        if (value !== undefined) input[member] = value;
      }
      const body = spec?.body;
      const text = request.body.toString('utf8').trim();
      if (body !== undefined && text !== '') {
        const tree = readXmlDocument(text, body.element, body.shape, options.malformed);
        if ('member' in body) input[body.member] = tree;
        else if (typeof tree === 'object' && !Array.isArray(tree)) Object.assign(input, tree);
      }
      return input;
    },
    encodeOutput(operation: string, output: object, requestId: string): SandboxHttpResponse {
      const spec = Object.hasOwn(options.operations, operation) ? options.operations[operation] : undefined;
      if (spec === undefined) throw new TypeError(`no REST-XML binding for the output of ${operation}`);
      const members = output as Record<string, unknown>;
      const responseHeaders = headers(requestId);
      const bodyMembers: Record<string, unknown> = { ...members };
      for (const [member, header] of Object.entries(spec.output.headers ?? {})) {
        const value = members[member];
        if (typeof value === 'string') responseHeaders[header] = value;
        Reflect.deleteProperty(bodyMembers, member);
      }
      const body = spec.output.body;
      let xml: string;
      if ('member' in body) {
        const payload = bodyMembers[body.member];
        Reflect.deleteProperty(bodyMembers, body.member);
        const extra = Object.keys(bodyMembers).filter((key) => bodyMembers[key] !== undefined);
        if (extra.length > 0) throw new TypeError(`${operation} output has members outside its payload: ${extra.join(', ')}`);
        if (typeof payload !== 'object' || payload === null) throw new TypeError(`${operation} output has no ${body.member}`);
        xml = writeXmlDocument(body.element, namespace, payload, body.shape);
      } else {
        xml = writeXmlDocument(body.element, namespace, bodyMembers, body.shape);
      }
      return { status: spec.output.status ?? 200, headers: responseHeaders, body: xml };
    },
    encodeError(error: AwsError, requestId: string): SandboxHttpResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<ErrorResponse xmlns="${xmlEscape(namespace)}">` +
        `<Error><Type>${error.faultType}</Type><Code>${xmlEscape(error.code)}</Code>` +
        `<Message>${xmlEscape(error.message)}</Message></Error>` +
        `<RequestId>${xmlEscape(requestId)}</RequestId>` +
        `</ErrorResponse>\n`;
      return { status: error.status, headers: headers(requestId), body };
    },
    unknownOperation(operation: string | undefined): AwsError {
      return new AwsError(
        'UnsupportedOperation',
        `The sandbox does not simulate ${operation ?? 'this request'}; it serves ${Object.keys(options.operations).join(', ')}.`,
        400,
      );
    },
  };
}

function compileRoute(operation: string, spec: RestXmlOperation): CompiledRoute {
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const label = /^\{([A-Za-z0-9]+)\}$/.exec(segment)?.[1];
      return label === undefined ? { literal: segment } : { label };
    });
  return { operation, spec, segments };
}

/**
 * The labels of `path` when it matches the route's template; undefined when it does not. A trailing
 * slash is ignored, as AWS does (botocore's model sends `POST /2013-04-01/hostedzone/{Id}/rrset/`).
 */
function matchPath(route: CompiledRoute, path: string, labelPrefixes: readonly string[]): Record<string, string> | undefined {
  const parts = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/').slice(1);
  if (parts.length !== route.segments.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [index, segment] of route.segments.entries()) {
    const part = parts[index] ?? '';
    if ('literal' in segment) {
      if (part !== segment.literal) return undefined;
      continue;
    }
    let value: string;
    try {
      value = decodeURIComponent(part);
    } catch (error) {
      if (error instanceof URIError) return undefined;
      throw error;
    }
    if (value === '') return undefined;
    const prefix = labelPrefixes.find((p) => value.startsWith(p));
    labels[segment.label] = prefix === undefined ? value : value.slice(prefix.length);
  }
  return labels;
}
