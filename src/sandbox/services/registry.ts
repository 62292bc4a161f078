import { acmModule } from './acm/acm-module.js';
import { cloudFrontModule } from './cloudfront/cloudfront-module.js';
import { ec2Module } from './ec2/ec2-module.js';
import { ecrModule } from './ecr/ecr-module.js';
import { ecsModule } from './ecs/ecs-module.js';
import { elbv2Module } from './elbv2/elbv2-module.js';
import { logsModule } from './logs/logs-module.js';
import { route53Module } from './route53/route53-module.js';
import type { ServiceModule } from './service-module.js';
import { stsModule } from './sts/sts-module.js';

/**
 * The services the sandbox serves, in the order the router asks them whether they claim a request.
 * Add a service here (CloudFront and Route53 REST-XML, EC2 Query, CloudWatch Logs JSON…).
 */
export const sandboxServices: readonly ServiceModule[] = [
  elbv2Module,
  stsModule,
  ecsModule,
  acmModule,
  cloudFrontModule,
  route53Module,
  ec2Module,
  logsModule,
  ecrModule,
];
