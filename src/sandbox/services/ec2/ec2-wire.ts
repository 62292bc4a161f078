/**
 * The XML shapes EC2 answers with, keyed by their wire names (the lower-camel `xmlName`s of the
 * EC2 model: `groupId`, `ipPermissions`, `tagSet`), which differ from the SDK's member names
 * (`GroupId`, `IpPermissions`, `Tags`). Lists are written as `<item>` elements. Only the members the
 * sandbox fills are listed.
 */

/** `<item><key/><value/></item>` of a `tagSet`. */
export interface TagWire {
  key: string;
  value: string;
}

/** An `IpPermission` of `ipPermissions` / `ipPermissionsEgress` / `unknownIpPermissionSet`. */
export interface IpPermissionWire {
  ipProtocol: string;
  /** Absent for protocol `-1`. */
  fromPort?: number;
  toPort?: number;
  /** The SDK's `UserIdGroupPairs`. */
  groups: { description?: string; userId: string; groupId: string }[];
  ipRanges: { description?: string; cidrIp: string }[];
  ipv6Ranges: { description?: string; cidrIpv6: string }[];
  prefixListIds: { description?: string; prefixListId: string }[];
}

/** A `SecurityGroupRule` of `securityGroupRuleSet`. */
export interface SecurityGroupRuleWire {
  securityGroupRuleId: string;
  groupId: string;
  groupOwnerId: string;
  isEgress: boolean;
  ipProtocol: string;
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupInfo?: { groupId: string; userId: string };
  description?: string;
  tagSet: TagWire[];
  securityGroupRuleArn: string;
}

/** A `RevokedSecurityGroupRule` of `revokedSecurityGroupRuleSet`. */
export interface RevokedSecurityGroupRuleWire {
  securityGroupRuleId: string;
  groupId: string;
  isEgress: boolean;
  ipProtocol: string;
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
}
