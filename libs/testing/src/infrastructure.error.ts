/** Why the infrastructure could not be started, reached or controlled. */
export enum InfrastructureErrorCode {
  /** No Docker engine answers; run infra/scripts/ensure-docker.sh. */
  EngineUnreachable = 'ENGINE_UNREACHABLE',
  /** An image's prepare.sh or `docker build` failed. */
  ImageBuildFailed = 'IMAGE_BUILD_FAILED',
  /** A component did not become ready in time. */
  ReadinessTimeout = 'READINESS_TIMEOUT',
  /** A container could not be started, stopped or found. */
  ContainerFailed = 'CONTAINER_FAILED',
  /** No shared instance is known to this process (no state file). */
  StateMissing = 'STATE_MISSING',
  /** An option or environment variable has a value we do not accept. */
  InvalidOption = 'INVALID_OPTION',
}

/** The one error type libs/testing throws; `code` is stable and machine-readable. */
export class InfrastructureError extends Error {
  constructor(
    readonly code: InfrastructureErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InfrastructureError';
  }
}
