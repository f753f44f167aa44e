import { ContractRunner, Signer } from 'ethers';
import { PprLedger, PprLedger__factory, Registrar, Registrar__factory } from '../generated/typechain';

/** The two deployed contracts, typed, and where the ledger's history starts. */
export interface ChainDeployment {
  readonly registrar: Registrar;
  readonly ledger: PprLedger;
  readonly registrarAddress: string;
  readonly ledgerAddress: string;
  /** Block of the ledger's deployment: the `fromBlock` for every log scan over the ledger. */
  readonly ledgerDeployBlock: number;
}

/**
 * Deploys a Registrar owned by `owner` (default: the deployer) and a PprLedger reading it, and
 * waits for `confirmations` blocks on each (default 1). Resolves only once both have code.
 */
export async function deployChainContracts(
  deployer: Signer,
  options: { owner?: string; confirmations?: number } = {},
): Promise<ChainDeployment> {
  const confirmations = options.confirmations ?? 1;
  const owner = options.owner ?? (await deployer.getAddress());
  const registrar = await new Registrar__factory(deployer).deploy(owner);
  await registrar.deploymentTransaction()?.wait(confirmations);
  const registrarAddress = await registrar.getAddress();
  const ledger = await new PprLedger__factory(deployer).deploy(registrarAddress);
  const receipt = await ledger.deploymentTransaction()?.wait(confirmations);
  if (!receipt) throw new Error('ledger deployment transaction has no receipt');
  return {
    registrar,
    ledger,
    registrarAddress,
    ledgerAddress: await ledger.getAddress(),
    ledgerDeployBlock: receipt.blockNumber,
  };
}

/** Typed handles on contracts already deployed at known addresses. */
export function connectChainContracts(
  runner: ContractRunner,
  addresses: { registrar: string; ledger: string },
): { registrar: Registrar; ledger: PprLedger } {
  return {
    registrar: Registrar__factory.connect(addresses.registrar, runner),
    ledger: PprLedger__factory.connect(addresses.ledger, runner),
  };
}
