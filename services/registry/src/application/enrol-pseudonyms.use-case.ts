import { Inject, Injectable, Logger } from '@nestjs/common';
import { enrolmentKindOf, planEnrolment, type EnrolmentCandidate } from '../domain/pseudonym-enrolment';
import {
  ENROLMENT_METRICS,
  ENROLMENT_SETTINGS,
  IDENTITY_REPOSITORY,
  REGISTRAR_ENROLLER,
  type EnrolmentMetrics,
  type EnrolmentSettings,
  type IdentityRepository,
  type RegistrarEnroller,
} from './ports';

/**
 * Puts registered patient and user addresses into the on-chain Registrar, so the relay can
 * anchor PPR operations naming them (it dead-letters an unregistered patient). The registry's
 * enroller account is a relay party, which may register pseudonyms in bulk; the Registrar
 * does not link them to each other or to a person. Each step reads the Registrar at the
 * confirmed depth (k) and at the latest block, marks what is k deep as enrolled, and sends
 * one `registerPseudonyms` per kind for the rest (planEnrolment). Nothing is held in memory:
 * a restart resumes from the identities' documents and the chain.
 */
@Injectable()
export class EnrolPseudonymsUseCase {
  private readonly logger = new Logger(EnrolPseudonymsUseCase.name);

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identities: IdentityRepository,
    @Inject(REGISTRAR_ENROLLER) private readonly registrar: RegistrarEnroller,
    @Inject(ENROLMENT_METRICS) private readonly metrics: EnrolmentMetrics,
    @Inject(ENROLMENT_SETTINGS) private readonly settings: EnrolmentSettings,
  ) {}

  async step(): Promise<{ enrolled: number; waiting: number; sent: number }> {
    const pending = await this.identities.pendingEnrolments(this.settings.batch);
    if (pending.length === 0) return { enrolled: 0, waiting: 0, sent: 0 };
    const head = await this.registrar.head();
    const addresses = pending.map((p) => p.identity.address);
    const [confirmed, latest] = await Promise.all([
      this.registrar.indexesOf(addresses, Math.max(0, head - (this.settings.confirmations - 1))),
      this.registrar.indexesOf(addresses, 'latest'),
    ]);
    const candidates: EnrolmentCandidate[] = pending.map(({ identity, sentAtBlock }) => ({
      address: identity.address,
      kind: enrolmentKindOf(identity.role)!,
      confirmedIndex: confirmed.get(identity.address) ?? 0,
      latestIndex: latest.get(identity.address) ?? 0,
      ...(sentAtBlock !== undefined ? { sentAtBlock } : {}),
    }));
    const plan = planEnrolment(candidates, head, this.settings);
    await this.identities.markEnrolled(plan.enrolled);
    this.metrics.enrolled(plan.enrolled.length);
    let sent = 0;
    for (const group of plan.toRegister) {
      const { txHash } = await this.registrar.register(group.kind, group.addresses);
      await this.identities.markEnrolmentSent(group.addresses, head);
      sent += group.addresses.length;
      this.logger.log(`registerPseudonyms(${group.kind}, ${group.addresses.length} addresses) sent at block ${head}: ${txHash}`);
    }
    this.metrics.sent(sent);
    return { enrolled: plan.enrolled.length, waiting: plan.waiting.length, sent };
  }
}
