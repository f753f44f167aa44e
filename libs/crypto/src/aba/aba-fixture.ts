import { AbaHolder } from './aba-holder';
import { AbaIssuer } from './aba-issuer';
import { AbaOpener } from './aba-opener';
import { abaDayOf, abaToBase64Url } from './aba-encoding';
import type { AbaRequestContext } from './aba-types';
import { randomBytes } from 'node:crypto';

/**
 * A small ABA world shared by the specs and the benchmark: three independent issuers, one
 * opener, and people enrolled and credentialed through the real blind-issuance path.
 */
export interface AbaWorld {
  readonly issuers: readonly AbaIssuer[];
  readonly opener: AbaOpener;
  readonly now: number;
}

/** The three issuers' ids, in order. */
export const ABA_FIXTURE_ISSUERS = ['hospital-a', 'university-b', 'registry-c'] as const;

/** Builds issuers and an opener. */
export async function createAbaWorld(now = Date.UTC(2025, 5, 1)): Promise<AbaWorld> {
  const issuers = await Promise.all(ABA_FIXTURE_ISSUERS.map((id) => AbaIssuer.generate(id, 7)));
  return { issuers, opener: await AbaOpener.generate(), now };
}

/** Enrols a person with the opener and has each listed issuer blind-issue the given attributes. */
export async function enrolAbaPerson(
  world: AbaWorld,
  personId: string,
  grants: ReadonlyArray<{ issuer: AbaIssuer; attributes: readonly string[]; expiresOnDay?: number }>,
): Promise<AbaHolder> {
  const holder = await AbaHolder.create();
  world.opener.enrol(personId, holder.enrolment);
  for (const grant of grants) {
    const nonce = abaToBase64Url(randomBytes(32));
    const request = holder.requestCredential(grant.issuer.issuer, nonce);
    const credential = grant.issuer.issue(request, {
      enrolment: holder.enrolment,
      nonce,
      attributes: grant.attributes,
      expiresOnDay: grant.expiresOnDay ?? abaDayOf(world.now) + 30,
    });
    holder.acceptCredential(credential, grant.issuer.publicKey());
  }
  return holder;
}

/** A typical request context. */
export function abaFixtureContext(overrides: Partial<AbaRequestContext> = {}): AbaRequestContext {
  return {
    method: 'GET',
    path: '/records/42',
    bodySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    audience: 'provider-storage.hospital-a',
    ...overrides,
  };
}
