import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeAddress } from 'ethers';
import { DEV_ACCOUNT_COUNT, deriveDevAccounts } from './dev-accounts';
import { buildGenesis, CHAIN_ID, GENESIS_DIFFICULTY } from './genesis';

describe('development accounts', () => {
  const accounts = deriveDevAccounts();

  it('derive the published addresses of the "test ... junk" mnemonic on m/44\'/60\'/0\'/0/i', () => {
    // Cross-check against the values Hardhat and Foundry document for this mnemonic.
    expect(accounts[0]).toEqual({
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    });
    expect(accounts[1].address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(accounts[19].address).toBe('0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199');
  });

  it('pair every address with the key that controls it, without repeats', () => {
    expect(accounts).toHaveLength(DEV_ACCOUNT_COUNT);
    for (const account of accounts) expect(computeAddress(account.privateKey)).toBe(account.address);
    expect(new Set(accounts.map((a) => a.address)).size).toBe(DEV_ACCOUNT_COUNT);
  });
});

describe('genesis', () => {
  const genesis = buildGenesis();

  it('is a proof-of-work London chain with no merge configured', () => {
    expect(genesis.config).toMatchObject({ chainId: CHAIN_ID, homesteadBlock: 0, londonBlock: 0, ethash: {} });
    expect(genesis.config).not.toHaveProperty('terminalTotalDifficulty');
    expect(Number(genesis.difficulty)).toBe(GENESIS_DIFFICULTY);
    expect(Number(genesis.gasLimit)).toBe(30_000_000);
  });

  it('prefunds exactly the development accounts', () => {
    expect(Object.keys(genesis.alloc).sort()).toEqual(deriveDevAccounts().map((a) => a.address.slice(2).toLowerCase()).sort());
  });

  it('matches the committed infra/chain/genesis.json (regenerate with infra/chain/generate-genesis.ts)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../../infra/chain/genesis.json'), 'utf8'));
    expect(committed).toEqual(genesis);
  });
});
