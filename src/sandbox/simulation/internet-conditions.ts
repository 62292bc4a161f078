/**
 * The world outside the account, as far as the simulation needs it: what public services answer
 * this account's traffic with. Kept in `SandboxState.internet`; absent members are `false`.
 */
export interface InternetConditions {
  /**
   * Docker Hub answers the account's (anonymous) pulls with `429 Too Many Requests` (toomanyrequests:
   * the pull rate limit of the NAT gateway's shared address): tasks whose image is on Docker Hub
   * fail to start with CannotPullContainerError.
   */
  dockerHubRateLimited?: boolean;
}
