import { describeConfigError } from '@carechain/platform';
import { enrolmentConfig, registryConfigSchema, summaryIndexConfig } from './config';

const base = { PORT: '3001', KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/registry' };
const ledger = '0x00000000000000000000000000000000000000AB';

describe('registry config', () => {
  it('runs without the Summary index when no ledger is configured (the launcher passes none today)', () => {
    const config = registryConfigSchema.parse(base);
    expect(summaryIndexConfig(config)).toBeUndefined();
  });

  it('enables the index with the ledger, the node and the chain id, with defaults for the rest', () => {
    const config = registryConfigSchema.parse({ ...base, PPR_LEDGER_ADDRESS: ledger, ETH_RPC_URL: 'http://127.0.0.1:8545', CHAIN_ID: '1337' });
    expect(summaryIndexConfig(config)).toEqual({
      chain: { ETH_RPC_URL: 'http://127.0.0.1:8545', CHAIN_ID: 1337, ETH_POLLING_INTERVAL_MS: 1000 },
      ledgerAddress: ledger.toLowerCase(),
      deployBlock: 0,
      confirmations: 3,
      pollIntervalMs: 1000,
      sweepIntervalMs: 60000,
      maxBlocksPerStep: 500,
    });
  });

  it('names each missing chain variable in one line when the ledger is set without them', () => {
    const parsed = registryConfigSchema.safeParse({ ...base, PPR_LEDGER_ADDRESS: ledger });
    expect(parsed.success).toBe(false);
    expect(describeConfigError('registry', parsed.error!)).toBe(
      'registry: invalid configuration: ETH_RPC_URL is required when PPR_LEDGER_ADDRESS is set; CHAIN_ID is required when PPR_LEDGER_ADDRESS is set',
    );
  });

  it('rejects a malformed ledger address, naming it', () => {
    const parsed = registryConfigSchema.safeParse({ ...base, PPR_LEDGER_ADDRESS: '0x1234', ETH_RPC_URL: 'http://127.0.0.1:8545', CHAIN_ID: '1337' });
    expect(parsed.success).toBe(false);
    expect(describeConfigError('registry', parsed.error!)).toMatch(/^registry: invalid configuration: PPR_LEDGER_ADDRESS must be a 0x-prefixed 20-byte hex address$/);
  });
});

const chain = { ETH_RPC_URL: 'http://127.0.0.1:8545', CHAIN_ID: '1337' };
const registrar = '0x' + '5f'.repeat(20);
// Development account 4 of the public dev mnemonic (never used outside the local chain).
const key = '0x' + '4c'.repeat(32);

const issues = (env: Record<string, string>) => {
  const result = registryConfigSchema.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('registry enrolment configuration', () => {
  it('is off without its variables, and on with both and a chain', () => {
    expect(enrolmentConfig(registryConfigSchema.parse(base))).toBeUndefined();
    expect(enrolmentConfig(registryConfigSchema.parse({ ...base, ...chain, REGISTRAR_ADDRESS: registrar, ENROLLER_PRIVATE_KEY: key }))).toMatchObject({
      registrarAddress: registrar,
      confirmations: 3,
      maxPerTx: 100,
      chain: { CHAIN_ID: 1337 },
    });
  });

  it('names the missing half of the pair, the chain it needs, and a key that is not one', () => {
    expect(issues({ ...base, ...chain, REGISTRAR_ADDRESS: registrar })).toEqual(['ENROLLER_PRIVATE_KEY: REGISTRAR_ADDRESS and ENROLLER_PRIVATE_KEY go together']);
    expect(issues({ ...base, REGISTRAR_ADDRESS: registrar, ENROLLER_PRIVATE_KEY: key })).toEqual([
      'ETH_RPC_URL: is required when REGISTRAR_ADDRESS is set',
      'CHAIN_ID: is required when REGISTRAR_ADDRESS is set',
    ]);
    expect(issues({ ...base, ...chain, REGISTRAR_ADDRESS: registrar, ENROLLER_PRIVATE_KEY: '0x' + '00'.repeat(32) })).toEqual([
      'ENROLLER_PRIVATE_KEY: is not a valid secp256k1 private key',
    ]);
  });
});
