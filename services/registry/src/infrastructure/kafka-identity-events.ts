import { Injectable } from '@nestjs/common';
import { IdentityRegistered } from '@carechain/contracts';
import { EventPublisher } from '@carechain/platform';
import type { IdentityEvents } from '../application/ports';
import type { Identity } from '../domain/identity';

/** identity.registered.v1, keyed by the address so one address's events stay in order. */
@Injectable()
export class KafkaIdentityEvents implements IdentityEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async registered(identity: Identity, eventId: string): Promise<void> {
    await this.publisher.publish(
      IdentityRegistered,
      { address: identity.address, role: identity.role, registeredAt: identity.registeredAt.toISOString() },
      { key: identity.address, subject: identity.address, id: eventId, time: identity.registeredAt },
    );
  }
}
