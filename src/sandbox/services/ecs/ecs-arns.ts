/** ARNs of ECS resources, in AWS's (long) formats. */

/** `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME` */
export function clusterArn(region: string, account: string, name: string): string {
  return `arn:aws:ecs:${region}:${account}:cluster/${name}`;
}

/** `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME` */
export function serviceArn(region: string, account: string, cluster: string, name: string): string {
  return `arn:aws:ecs:${region}:${account}:service/${cluster}/${name}`;
}

/** `arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/TASKID`; task ids are 32 hex digits. */
export function taskArn(region: string, account: string, cluster: string, id: string): string {
  return `arn:aws:ecs:${region}:${account}:task/${cluster}/${id}`;
}

/** `arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION` */
export function taskDefinitionArn(region: string, account: string, family: string, revision: number): string {
  return `arn:aws:ecs:${region}:${account}:task-definition/${family}:${revision}`;
}

/** `arn:aws:ecs:REGION:ACCOUNT:container/CLUSTER/TASKID/UUID` */
export function containerArn(region: string, account: string, cluster: string, taskId: string, id: string): string {
  return `arn:aws:ecs:${region}:${account}:container/${cluster}/${taskId}/${id}`;
}

/** The last segment of an ARN (`…/NAME` → `NAME`); a plain name is returned as is. */
export function lastArnSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The cluster name in a cluster ARN. */
export function clusterNameOf(arn: string): string {
  return lastArnSegment(arn);
}
