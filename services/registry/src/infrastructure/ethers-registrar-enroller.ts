import { PseudonymKind, Registrar__factory, type Registrar } from '@carechain/chain';
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { RegistrarEnroller } from '../application/ports';
import type { EnrolmentKind } from '../domain/pseudonym-enrolment';

const KINDS: Record<EnrolmentKind, PseudonymKind> = { patient: PseudonymKind.Patient, user: PseudonymKind.User };

/**
 * The enroller account over ethers v6: `registerPseudonyms` signed locally (the node never
 * holds the key), reads of `pseudonymIndexOf` at a given block. Before the Registrar existed
 * at a block, every address reads as unregistered there.
 */
export class EthersRegistrarEnroller implements RegistrarEnroller {
  private readonly registrar: Registrar;

  constructor(
    private readonly provider: JsonRpcProvider,
    privateKey: string,
    private readonly registrarAddress: string,
  ) {
    this.registrar = Registrar__factory.connect(registrarAddress, new Wallet(privateKey, provider));
  }

  async head(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  async indexesOf(addresses: readonly string[], blockTag: number | 'latest'): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if ((await this.provider.getCode(this.registrarAddress, blockTag)) === '0x') {
      for (const a of addresses) out.set(a, 0);
      return out;
    }
    await Promise.all(addresses.map(async (a) => out.set(a, Number(await this.registrar.pseudonymIndexOf(a, { blockTag })))));
    return out;
  }

  async register(kind: EnrolmentKind, addresses: readonly string[]): Promise<{ txHash: string }> {
    const tx = await this.registrar.registerPseudonyms(KINDS[kind], [...addresses]);
    return { txHash: tx.hash };
  }
}
