/**
 * @carechain/chain — the Registrar and PPR-ledger contracts, their generated ethers-v6
 * bindings, the packed batch layout, RFC 6962 batch roots and the per-patient Summary chain.
 * See libs/chain/README.md and docs/chain.md.
 */
export * from './errors';
export * from './batch/ppr-operation';
export * from './batch/batch-layout';
export * from './batch/batch-codec';
export * from './batch/batch-tree';
export * from './summary/patient-chain';
export * from './summary/summary-verifier';
export * from './registrar/registrar-roles';
export * from './deploy/deploy-chain';
export * from './ledger/commit-batch';
export type { PprLedger, Registrar } from './generated/typechain';
export { PprLedger__factory, Registrar__factory } from './generated/typechain';
