import type { Wallet } from 'ethers';
import { registrationStatement, type IdentityRole } from '../src/domain/identity';

/**
 * Registers `wallet`'s address with a running registry as a client would: the address signs
 * its own registration statement. Returns the HTTP status and body.
 */
export async function registerIdentity(
  baseUrl: string,
  wallet: Pick<Wallet, 'address' | 'signMessage'>,
  role: IdentityRole,
): Promise<{ status: number; body: unknown }> {
  const issuedAt = new Date();
  const signature = await wallet.signMessage(registrationStatement(wallet.address, role, issuedAt));
  const res = await fetch(`${baseUrl}/v1/identities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: wallet.address, role, issuedAt: issuedAt.toISOString(), signature }),
  });
  return { status: res.status, body: await res.json() };
}
