import { HDNodeWallet, Mnemonic } from 'ethers';

/**
 * The well-known development mnemonic (also Hardhat's and Foundry's default). Its keys are
 * public: they fund accounts on the local proof-of-work chain only, never anywhere else.
 */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** How many accounts the genesis prefunds. */
export const DEV_ACCOUNT_COUNT = 20;

/** A prefunded development account with its client-side signing key. */
export interface DevAccount {
  /** EIP-55 checksummed address. */
  address: string;
  /** 0x-prefixed 32-byte secp256k1 private key. */
  privateKey: string;
}

/**
 * Derives the first `count` accounts of {@link DEV_MNEMONIC} on the BIP-44 Ethereum path
 * m/44'/60'/0'/0/i. Deterministic: index 0 is the "provider" node's etherbase, index 1 the
 * "issuer" node's.
 */
export function deriveDevAccounts(count: number = DEV_ACCOUNT_COUNT): DevAccount[] {
  const mnemonic = Mnemonic.fromPhrase(DEV_MNEMONIC);
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    accounts.push({ address: wallet.address, privateKey: wallet.privateKey });
  }
  return accounts;
}
