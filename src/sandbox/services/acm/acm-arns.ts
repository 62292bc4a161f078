/** `arn:aws:acm:REGION:ACCOUNT:certificate/UUID` */
export function certificateArn(region: string, account: string, id: string): string {
  return `arn:aws:acm:${region}:${account}:certificate/${id}`;
}
