import { deployChainContracts, RegistrarRole } from '@carechain/chain';
import { JsonRpcProvider, Wallet, ZeroHash } from 'ethers';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InfrastructureEndpoints } from '../../libs/testing/src/infrastructure.types';
import type { PlatformContracts } from '../../libs/testing/src/services/service-specs';

/**
 * Deploys the Registrar and the PPR ledger on the development chain, owned by development
 * account 0, and registers account 3 as a relay, account 2 as a provider and account 4 as the
 * registry's enroller (a relay party, which may register pseudonyms). With `reuseFile`, a
 * deployment recorded there is reused as long as the ledger still has code on this chain
 * (`npm start` against a long-running `infra up`) and the record is complete; otherwise a
 * fresh one is made and recorded.
 */
export async function deployPlatformContracts(
  infra: InfrastructureEndpoints,
  options: { reuseFile?: string } = {},
): Promise<PlatformContracts> {
  const node = infra.chain.nodes.find((n) => n.name === 'provider') ?? infra.chain.nodes[0];
  const provider = new JsonRpcProvider(node.rpcUrl, infra.chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 250 });
  try {
    if (options.reuseFile && existsSync(options.reuseFile)) {
      const recorded = JSON.parse(readFileSync(options.reuseFile, 'utf8')) as PlatformContracts;
      if (recorded.enrollerPrivateKey && (await provider.getCode(recorded.ledgerAddress)) !== '0x') return recorded;
    }
    const owner = new Wallet(infra.chain.accounts[0].privateKey, provider);
    const relay = infra.chain.accounts[3];
    const healthProvider = infra.chain.accounts[2];
    const enroller = infra.chain.accounts[4];
    const deployment = await deployChainContracts(owner);
    await (await deployment.registrar.registerParty(relay.address, RegistrarRole.Relay, 'development relay', ZeroHash)).wait();
    await (
      await deployment.registrar.registerParty(healthProvider.address, RegistrarRole.Provider, 'development provider', ZeroHash)
    ).wait();
    await (await deployment.registrar.registerParty(enroller.address, RegistrarRole.Relay, 'registry enroller', ZeroHash)).wait();
    const contracts: PlatformContracts = {
      registrarAddress: deployment.registrarAddress,
      ledgerAddress: deployment.ledgerAddress,
      ledgerDeployBlock: deployment.ledgerDeployBlock,
      relayPrivateKey: relay.privateKey,
      providerAddress: healthProvider.address,
      enrollerPrivateKey: enroller.privateKey,
    };
    if (options.reuseFile) {
      mkdirSync(dirname(options.reuseFile), { recursive: true });
      writeFileSync(options.reuseFile, JSON.stringify(contracts, null, 2));
    }
    return contracts;
  } finally {
    provider.destroy();
  }
}
