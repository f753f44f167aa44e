import { Injectable } from '@nestjs/common';
import { verifyMessage } from 'ethers';
import type { SignatureRecovery } from '../application/ports';

/** EIP-191 personal_sign recovery with ethers v6. */
@Injectable()
export class EthersSignatureRecovery implements SignatureRecovery {
  recoverAddress(message: string, signature: string): string | undefined {
    try {
      return verifyMessage(message, signature);
    } catch {
      return undefined;
    }
  }
}
