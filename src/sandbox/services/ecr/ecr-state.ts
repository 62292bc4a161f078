/** The Amazon ECR (private registry) resources of one region. */
export interface EcrState {
  repositories: EcrRepositoryState[];
}

/** A repository and its images. */
export interface EcrRepositoryState {
  /** `arquantix-coming-soon`. */
  name: string;
  /** ISO 8601. */
  createdAt: string;
  images: EcrImageState[];
}

/** One image manifest of a repository, with the tags that point to it now. */
export interface EcrImageState {
  /** `sha256:…`. */
  digest: string;
  tags: string[];
  /** ISO 8601. */
  pushedAt: string;
  sizeInBytes: number;
}

/** An empty ECR region. */
export function emptyEcrState(): EcrState {
  return { repositories: [] };
}
