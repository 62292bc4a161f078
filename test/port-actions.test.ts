import { describe, expect, it } from 'vitest';
import { portActions, type AwsPorts } from '../src/aws/ports.js';
import { sdkPorts } from '../src/aws/sdk-ports.js';
import { observeReadActions } from '../src/observe/observe-actions.js';
import { actionsOf, type PortsFor, type PortUse } from '../src/observe/port-reads.js';
import { dnsReads } from '../src/observe/walk-dns.js';

/**
 * Each port method declares its IAM action once (`portActions`), and the walk's read list follows from the methods
 * the walkers declare. A port method without an action would leave the IAM policy short of what the code calls.
 */
describe('IAM actions of the ports', () => {
  const ports = sdkPorts({
    region: 'us-east-1',
    endpointUrl: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const methodsOf = (p: Record<string, unknown>) =>
    Object.keys(p)
      .filter((k) => typeof p[k] === 'function')
      .sort();

  it('every method of every SDK port has exactly one IAM action, and no action names a method the ports lack', () => {
    expect(Object.keys(portActions).sort()).toEqual(Object.keys(ports).sort());
    for (const port of Object.keys(ports) as (keyof AwsPorts)[]) {
      const declared: Readonly<Record<string, string>> = portActions[port];
      const methods = methodsOf(ports[port] as unknown as Record<string, unknown>);
      expect(Object.keys(declared).sort(), `portActions.${port}`).toEqual(methods);
      for (const method of methods) expect(declared[method], `${port}.${method}`).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
    }
  });

  it("a port method without an action is refused when a walker's reads are turned into actions", () => {
    const broken = { route53: ['listHostedZonesByName', 'noSuchMethod'] } as unknown as PortUse;
    expect(() => actionsOf([broken])).toThrow(/route53\.noSuchMethod declares no IAM action/);
  });

  it("the walk's read list is the actions of the walkers' methods: reads only, each once", () => {
    expect(new Set(observeReadActions).size).toBe(observeReadActions.length);
    expect(observeReadActions).toContain('route53:ListResourceRecordSets');
    expect(observeReadActions.filter((a) => !/:(Describe|List|Get|Filter)/.test(a))).toEqual([]);
  });

  it('a walker is typed with only the port methods it declares', () => {
    const dnsPorts: PortsFor<typeof dnsReads> = ports;
    expect(typeof dnsPorts.route53.recordSetsAt).toBe('function');
    // @ts-expect-error: the DNS walker declares no write, so it cannot call one
    expect(typeof dnsPorts.route53.changeResourceRecordSets).toBe('function');
  });
});
