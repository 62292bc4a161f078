/** ARNs of ELBv2 resources, in AWS's formats. Ids are 16 lowercase hex digits. */

/** `arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/LBID` */
export function loadBalancerArn(region: string, account: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/${id}`;
}

/** `arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/LBID/LISTENERID` */
export function listenerArn(loadBalancerArnValue: string, id: string): string {
  return `${loadBalancerArnValue.replace(':loadbalancer/', ':listener/')}/${id}`;
}

/** `arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/NAME/LBID/LISTENERID/RULEID` */
export function listenerRuleArn(listenerArnValue: string, id: string): string {
  return `${listenerArnValue.replace(':listener/', ':listener-rule/')}/${id}`;
}

/** `arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/TGID` */
export function targetGroupArn(region: string, account: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${id}`;
}
