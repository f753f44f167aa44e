import { Wallet } from 'ethers';
import { AbeDataKeyUnwrapper, AbeDataKeyWrapper, AbeScheme, type AbeAuthorityPublicKey, type AbeAuthoritySecretKey } from '../abe';
import { CryptoError, CryptoErrorCode } from '../errors';
import { WasmPairingBackend } from '../pairing';
import { envelopeEip712Domain } from './envelope-eip712';
import { rewrapDataKey, sealRecord, verifyThenOpen } from './signcryption-envelope';

/**
 * The envelope over the real MA-ABE adapter (RW15 on the WASM backend, which loads
 * everywhere): the DataKeyWrapper port is exercised end to end, not only through the test double.
 */
describe('signcryption envelope over RW15 (AbeDataKeyWrapper)', () => {
  const patient = new Wallet('0x' + '55'.repeat(32));
  const domain = envelopeEip712Domain(31337);
  const registry = { isRegisteredTo: async (a: string, p: string) => p === 'patient-abe' && a === patient.address };
  const policy = 'doctor@hospital-a AND cardiology@board';
  const record = new TextEncoder().encode('ECG: sinus rhythm');
  let scheme: AbeScheme;
  const authorities = new Map<string, { secretKey: AbeAuthoritySecretKey; publicKey: AbeAuthorityPublicKey }>();
  const directory = (authority: string) => authorities.get(authority)?.publicKey;

  beforeAll(async () => {
    scheme = new AbeScheme(await WasmPairingBackend.create());
    for (const a of ['hospital-a', 'board']) authorities.set(a, scheme.setupAuthority(a));
  });

  const unwrapperFor = (gid: string, attributes: Array<[string, string]>) =>
    new AbeDataKeyUnwrapper(
      scheme,
      scheme.userKeySet(
        gid,
        attributes.map(([name, authority]) => {
          const { secretKey, publicKey } = authorities.get(authority)!;
          return scheme.keygen(secretKey, gid, name, publicKey.epochs.get(name) ?? 0);
        }),
      ),
    );

  async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
    try {
      await run();
      return undefined;
    } catch (err) {
      if (err instanceof CryptoError) return err.code;
      throw err;
    }
  }

  it('opens for a user holding both attributes and for nobody holding one', async () => {
    const wrapper = new AbeDataKeyWrapper(scheme, directory);
    const { envelope } = await sealRecord({ record, patientPseudonym: 'patient-abe', recordId: 'ecg-1', policy }, { domain, signer: patient, wrapper });
    const both = unwrapperFor('dr-alice', [['doctor', 'hospital-a'], ['cardiology', 'board']]);
    expect(new TextDecoder().decode((await verifyThenOpen(envelope, { domain, registry, unwrapper: both })).record)).toBe('ECG: sinus rhythm');
    const one = unwrapperFor('dr-bob', [['doctor', 'hospital-a']]);
    expect(await codeOf(() => verifyThenOpen(envelope, { domain, registry, unwrapper: one }))).toBe(CryptoErrorCode.PolicyNotSatisfied);
  });

  it('after an epoch rotation, a rewrap serves the new keys and the old C2 does not', async () => {
    const wrapper = new AbeDataKeyWrapper(scheme, directory);
    const { envelope, dataKey } = await sealRecord({ record, patientPseudonym: 'patient-abe', recordId: 'ecg-2', policy }, { domain, signer: patient, wrapper });
    const board = authorities.get('board')!;
    authorities.set('board', { ...board, publicKey: scheme.advanceEpoch(board.publicKey, 'cardiology', 1) });
    const current = unwrapperFor('dr-carol', [['doctor', 'hospital-a'], ['cardiology', 'board']]);
    expect(await codeOf(() => verifyThenOpen(envelope, { domain, registry, unwrapper: current }))).toBe(CryptoErrorCode.StaleEpoch);
    const next = await rewrapDataKey(envelope, dataKey, policy, { domain, signer: patient, wrapper });
    expect(new TextDecoder().decode((await verifyThenOpen(next.envelope, { domain, registry, unwrapper: current })).record)).toBe('ECG: sinus rhythm');
  });
});
