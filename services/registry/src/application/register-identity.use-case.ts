import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import { createHash } from 'node:crypto';
import { isStatementFresh, registrationStatement, type Identity, type IdentityRole } from '../domain/identity';
import { enrolmentKindOf } from '../domain/pseudonym-enrolment';
import {
  IDENTITY_EVENTS,
  IDENTITY_REPOSITORY,
  SIGNATURE_RECOVERY,
  type IdentityEvents,
  type IdentityRepository,
  type SignatureRecovery,
} from './ports';

export interface RegisterIdentityCommand {
  address: string;
  role: IdentityRole;
  issuedAt: Date;
  signature: string;
}

/**
 * Registers a pseudonymous address after checking that the address itself signed a fresh
 * registration statement. The identity and its pending event are written in one document
 * (an outbox), then the event is published; if publishing fails, the outbox sweeper
 * publishes it later with the same event id, so consumers see it exactly once by id.
 */
@Injectable()
export class RegisterIdentityUseCase {
  private readonly logger = new Logger(RegisterIdentityUseCase.name);

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identities: IdentityRepository,
    @Inject(SIGNATURE_RECOVERY) private readonly signatures: SignatureRecovery,
    @Inject(IDENTITY_EVENTS) private readonly events: IdentityEvents,
  ) {}

  async execute(command: RegisterIdentityCommand, now = new Date()): Promise<Identity> {
    const address = command.address.toLowerCase();
    if (!isStatementFresh(command.issuedAt, now)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'issuedAt is outside the 5-minute freshness window');
    }
    const statement = registrationStatement(address, command.role, command.issuedAt);
    const signer = this.signatures.recoverAddress(statement, command.signature);
    if (signer?.toLowerCase() !== address) {
      throw new DomainError(ErrorCode.InvalidSignature, 'the signature is not by the address being registered');
    }
    // Patients and users also go into the on-chain Registrar (EnrolPseudonymsUseCase).
    const identity: Identity = { address, role: command.role, registeredAt: now, ...(enrolmentKindOf(command.role) ? { chain: { state: 'pending' } } : {}) };
    const eventId = createHash('sha256').update(`identity.registered:${address}`).digest('hex');
    if (!(await this.identities.insertWithPendingEvent(identity, eventId))) {
      throw new DomainError(ErrorCode.Conflict, `address ${address} is already registered`);
    }
    try {
      await this.events.registered(identity, eventId);
      await this.identities.markEventPublished(address);
    } catch (error) {
      this.logger.warn(`identity.registered for ${address} left in the outbox: ${(error as Error).message}`);
    }
    return identity;
  }
}
