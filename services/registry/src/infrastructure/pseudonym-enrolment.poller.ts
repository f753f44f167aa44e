import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@carechain/platform';
import { EnrolPseudonymsUseCase } from '../application/enrol-pseudonyms.use-case';

export const ENROLMENT_POLL_INTERVAL_MS = Symbol('ENROLMENT_POLL_INTERVAL_MS');

/** Runs an enrolment step every ENROLMENT_POLL_INTERVAL_MS; a failed step (node down, revert) is retried by the next. */
@Injectable()
export class PseudonymEnrolmentPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PseudonymEnrolmentPoller.name);
  private readonly task: PeriodicTask;

  constructor(enrol: EnrolPseudonymsUseCase, @Inject(ENROLMENT_POLL_INTERVAL_MS) intervalMs: number) {
    this.task = new PeriodicTask(() => enrol.step(), intervalMs, (e) => this.logger.warn(`enrolment step failed: ${e.message}`));
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
