/** An image reference in a private registry: `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO(:TAG|@DIGEST)`. */
export interface EcrImageReference {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  /** The tag (`latest` when the reference names neither a tag nor a digest). */
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of an ECR image URI; undefined for any other registry. */
export function parseEcrImage(image: string): EcrImageReference | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(image);
  if (m === null) return undefined;
  const [, account = '', region = '', repository = '', tag, digest] = m;
  return { account, region, repository, ...(digest !== undefined ? { digest } : { tag: tag ?? 'latest' }) };
}
