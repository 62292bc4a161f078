import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ACMClient, KeyAlgorithm } from '@aws-sdk/client-acm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsConnection } from './aws-connection.js';
import type { AcmPort, AwsPorts, EcsPort, Elbv2Port, StsPort } from './ports.js';
import { call, clientConfig, lazy, namingEndpoint, required } from './sdk/sdk-call.js';
import { sdkSurfaces } from './sdk/sdk-surfaces.js';
import { cloudFrontPort } from './sdk/cloudfront-port.js';
import { route53Port } from './sdk/route53-port.js';
import { ec2Port } from './sdk/ec2-port.js';
import { logsPort } from './sdk/logs-port.js';
import { ecrPort } from './sdk/ecr-port.js';

/** Every key type ACM has: ListCertificates returns only RSA_2048 certificates unless told otherwise. */
const allKeyTypes: KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

/**
 * The ports implemented with the AWS SDK v3. Each client module is loaded, and its client built, only
 * when a command first needs it, so `--help` and commands that touch one service stay fast.
 */
export function sdkPorts(connection: AwsConnection): AwsPorts {
  const config = clientConfig(connection);
  const elbv2 = lazy(async () => {
    const m = await sdkSurfaces.elbv2();
    return { m, client: namingEndpoint(new m.ElasticLoadBalancingV2Client(config) as ElasticLoadBalancingV2Client, 'elbv2', connection) };
  });
  const ecs = lazy(async () => {
    const m = await sdkSurfaces.ecs();
    return { m, client: namingEndpoint(new m.ECSClient(config) as ECSClient, 'ecs', connection) };
  });
  const acm = lazy(async () => {
    const m = await sdkSurfaces.acm();
    return { m, client: namingEndpoint(new m.ACMClient(config) as ACMClient, 'acm', connection) };
  });
  const sts = lazy(async () => {
    const m = await sdkSurfaces.sts();
    return { m, client: namingEndpoint(new m.STSClient(config) as STSClient, 'sts', connection) };
  });

  const elbv2Port: Elbv2Port = {
    describeLoadBalancers: (by) =>
      call('elbv2', 'DescribeLoadBalancers', async () => {
        const { m, client } = await elbv2();
        const out = [];
        const input = { Names: by.names?.length ? by.names : undefined, LoadBalancerArns: by.arns?.length ? by.arns : undefined };
        for await (const page of m.paginateDescribeLoadBalancers({ client }, input)) out.push(...(page.LoadBalancers ?? []));
        return out;
      }),
    describeListeners: (loadBalancerArn) =>
      call('elbv2', 'DescribeListeners', async () => {
        const { m, client } = await elbv2();
        const out = [];
        for await (const page of m.paginateDescribeListeners({ client }, { LoadBalancerArn: loadBalancerArn })) {
          out.push(...(page.Listeners ?? []));
        }
        return out;
      }),
    describeRules: (listenerArn) =>
      call('elbv2', 'DescribeRules', async () => {
        const { m, client } = await elbv2();
        const out = [];
        for await (const page of m.paginateDescribeRules({ client }, { ListenerArn: listenerArn })) out.push(...(page.Rules ?? []));
        return out;
      }),
    describeTargetGroups: (by) =>
      call('elbv2', 'DescribeTargetGroups', async () => {
        const { m, client } = await elbv2();
        const out = [];
        const input = { Names: by.names, TargetGroupArns: by.arns, LoadBalancerArn: by.loadBalancerArn };
        for await (const page of m.paginateDescribeTargetGroups({ client }, input)) out.push(...(page.TargetGroups ?? []));
        return out;
      }),
    describeTargetHealth: (targetGroupArn) =>
      call('elbv2', 'DescribeTargetHealth', async () => {
        const { m, client } = await elbv2();
        const out = await client.send(new m.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
        return out.TargetHealthDescriptions ?? [];
      }),
    createListener: (input) =>
      call('elbv2', 'CreateListener', async () => {
        const { m, client } = await elbv2();
        const out = await client.send(new m.CreateListenerCommand(input));
        return required(out.Listeners?.[0], 'elbv2', 'CreateListener', 'Listeners');
      }),
    modifyListener: (input) =>
      call('elbv2', 'ModifyListener', async () => {
        const { m, client } = await elbv2();
        const out = await client.send(new m.ModifyListenerCommand(input));
        return required(out.Listeners?.[0], 'elbv2', 'ModifyListener', 'Listeners');
      }),
    deleteListener: (listenerArn) =>
      call('elbv2', 'DeleteListener', async () => {
        const { m, client } = await elbv2();
        await client.send(new m.DeleteListenerCommand({ ListenerArn: listenerArn }));
      }),
    modifyTargetGroup: (input) =>
      call('elbv2', 'ModifyTargetGroup', async () => {
        const { m, client } = await elbv2();
        const out = await client.send(new m.ModifyTargetGroupCommand(input));
        return required(out.TargetGroups?.[0], 'elbv2', 'ModifyTargetGroup', 'TargetGroups');
      }),
  };

  const ecsPort: EcsPort = {
    describeServices: (cluster, services) =>
      call('ecs', 'DescribeServices', async () => {
        const { m, client } = await ecs();
        const out = await client.send(new m.DescribeServicesCommand({ cluster, services }));
        return { services: out.services ?? [], failures: out.failures ?? [] };
      }),
    updateService: (input) =>
      call('ecs', 'UpdateService', async () => {
        const { m, client } = await ecs();
        const out = await client.send(new m.UpdateServiceCommand(input));
        return required(out.service, 'ecs', 'UpdateService', 'service');
      }),
    listClusters: () =>
      call('ecs', 'ListClusters', async () => {
        const { m, client } = await ecs();
        const out: string[] = [];
        for await (const page of m.paginateListClusters({ client }, {})) out.push(...(page.clusterArns ?? []));
        return out;
      }),
    listServices: (cluster) =>
      call('ecs', 'ListServices', async () => {
        const { m, client } = await ecs();
        const out: string[] = [];
        // 100 a page, the API's maximum (without maxResults ListServices answers 10 at a time); every page is followed.
        for await (const page of m.paginateListServices({ client, pageSize: 100 }, { cluster })) out.push(...(page.serviceArns ?? []));
        return out;
      }),
    listServicePage: (cluster, nextToken) =>
      call('ecs', 'ListServices', async () => {
        const { m, client } = await ecs();
        // ECS API reference, ListServices, maxResults: "This value can be between 1 and 100" (10 without it).
        const out = await client.send(new m.ListServicesCommand({ cluster, maxResults: 100, nextToken }));
        return { arns: out.serviceArns ?? [], nextToken: out.nextToken };
      }),
    describeTaskDefinition: (taskDefinition) =>
      call('ecs', 'DescribeTaskDefinition', async () => {
        const { m, client } = await ecs();
        const out = await client.send(new m.DescribeTaskDefinitionCommand({ taskDefinition }));
        return required(out.taskDefinition, 'ecs', 'DescribeTaskDefinition', 'taskDefinition');
      }),
    describeTaskDefinitionWithTags: (taskDefinition) =>
      call('ecs', 'DescribeTaskDefinition', async () => {
        const { m, client } = await ecs();
        const out = await client.send(new m.DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }));
        return { taskDefinition: required(out.taskDefinition, 'ecs', 'DescribeTaskDefinition', 'taskDefinition'), tags: out.tags ?? [] };
      }),
    registerTaskDefinition: (input) =>
      call('ecs', 'RegisterTaskDefinition', async () => {
        const { m, client } = await ecs();
        const out = await client.send(new m.RegisterTaskDefinitionCommand(input));
        return required(out.taskDefinition, 'ecs', 'RegisterTaskDefinition', 'taskDefinition');
      }),
    listTasks: (cluster, serviceName, desiredStatus) =>
      call('ecs', 'ListTasks', async () => {
        const { m, client } = await ecs();
        const out: string[] = [];
        for await (const page of m.paginateListTasks({ client }, { cluster, serviceName, desiredStatus }))
          out.push(...(page.taskArns ?? []));
        return out;
      }),
    listRunningTaskPage: (cluster, nextToken) =>
      call('ecs', 'ListTasks', async () => {
        const { m, client } = await ecs();
        // ECS API reference, ListTasks, maxResults: "This value can be between 1 and 100" (100 without it too).
        const out = await client.send(new m.ListTasksCommand({ cluster, desiredStatus: 'RUNNING', maxResults: 100, nextToken }));
        return { arns: out.taskArns ?? [], nextToken: out.nextToken };
      }),
    describeTasks: (cluster, taskArns) =>
      call('ecs', 'DescribeTasks', async () => {
        if (taskArns.length === 0) return [];
        const { m, client } = await ecs();
        const out = [];
        for (let i = 0; i < taskArns.length; i += 100) {
          const page = await client.send(new m.DescribeTasksCommand({ cluster, tasks: taskArns.slice(i, i + 100) }));
          out.push(...(page.tasks ?? []));
        }
        return out;
      }),
  };

  const acmPort: AcmPort = {
    listCertificates: () =>
      call('acm', 'ListCertificates', async () => {
        const { m, client } = await acm();
        const out = [];
        const input = { Includes: { keyTypes: allKeyTypes } };
        // ACM API reference, ListCertificates, MaxItems: 1 to 1000 (the user guide: "the CLI [lists] up to 1000" a page).
        for await (const page of m.paginateListCertificates({ client, pageSize: 1000 }, input))
          out.push(...(page.CertificateSummaryList ?? []));
        return out;
      }),
    describeCertificate: (certificateArn) =>
      call('acm', 'DescribeCertificate', async () => {
        const { m, client } = await acm();
        const out = await client.send(new m.DescribeCertificateCommand({ CertificateArn: certificateArn }));
        return required(out.Certificate, 'acm', 'DescribeCertificate', 'Certificate');
      }),
  };

  const identity = lazy(() =>
    call('sts', 'GetCallerIdentity', async () => {
      const { m, client } = await sts();
      const out = await client.send(new m.GetCallerIdentityCommand({}));
      return {
        account: required(out.Account, 'sts', 'GetCallerIdentity', 'Account'),
        arn: out.Arn ?? '',
        userId: out.UserId ?? '',
      };
    }),
  );
  const stsPort: StsPort = { getCallerIdentity: identity };

  return {
    elbv2: elbv2Port,
    ecs: ecsPort,
    acm: acmPort,
    sts: stsPort,
    route53: route53Port(config, connection),
    cloudfront: cloudFrontPort(config, connection),
    ec2: ec2Port(config, connection),
    logs: logsPort(config, connection),
    ecr: ecrPort(config, connection),
  };
}
