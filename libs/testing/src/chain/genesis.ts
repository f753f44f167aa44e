import { DEV_ACCOUNT_COUNT, deriveDevAccounts } from './dev-accounts';

/** The private network's chain id (and network id). */
export const CHAIN_ID = 1337;

/**
 * Genesis difficulty: three times ethash's minimum, so two test-mode miners on this kind of
 * machine together find a block every 1.3-2.5 s. Why not the minimum: at 0x20000 the pair
 * found about two blocks a second, and a miner stamps a block with parent time + 1 when the
 * clock has not moved on, so block times ran ahead of the wall clock by about a second every
 * second. Geth refuses a header more than 15 s in the future ("block in the future"), so the
 * nodes stopped accepting each other's blocks, dropped each other during sync, and stayed on
 * different chains after a partition or restart. Difficulty still climbs 1/2048 per fast block.
 */
export const GENESIS_DIFFICULTY = 0x60000;

/** Balance of every prefunded account: 10,000 ether. */
export const PREFUND_WEI = 10n ** 22n;

/** The genesis document geth is initialised with (the fields geth 1.11.6 reads). */
export interface GenesisDocument {
  config: Record<string, unknown>;
  nonce: string;
  timestamp: string;
  extraData: string;
  gasLimit: string;
  difficulty: string;
  mixHash: string;
  coinbase: string;
  alloc: Record<string, { balance: string }>;
}

/**
 * Builds the project's genesis: chain id 1337, every fork from Homestead to London active at
 * block 0, ethash proof-of-work with no terminal total difficulty (so the chain never
 * expects a merge), difficulty 0x60000, a 30M gas limit, and the first 20 development
 * accounts prefunded. Deterministic, so the committed infra/chain/genesis.json can be
 * checked against it.
 */
export function buildGenesis(): GenesisDocument {
  const alloc: GenesisDocument['alloc'] = {};
  for (const account of deriveDevAccounts(DEV_ACCOUNT_COUNT)) {
    alloc[account.address.slice(2).toLowerCase()] = { balance: '0x' + PREFUND_WEI.toString(16) };
  }
  return {
    config: {
      chainId: CHAIN_ID,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      arrowGlacierBlock: 0,
      grayGlacierBlock: 0,
      ethash: {},
    },
    nonce: '0x0000000000000042',
    timestamp: '0x0',
    extraData: '0x',
    gasLimit: '0x1c9c380',
    difficulty: '0x' + GENESIS_DIFFICULTY.toString(16),
    mixHash: '0x' + '00'.repeat(32),
    coinbase: '0x' + '00'.repeat(20),
    alloc,
  };
}
