import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SummaryController } from './api/summary.controller';
import { CheckAnchorNoticeUseCase } from './application/check-anchor-notice.use-case';
import { GetPatientSummaryQuery } from './application/get-patient-summary.query';
import { SummaryIndexer } from './application/summary-indexer';
import { ANCHOR_NOTICE_METRICS, LEDGER_READER, OWN_LEDGER, SUMMARY_INDEX_SETTINGS, SUMMARY_STORE } from './application/summary-ports';
import type { SummaryIndexConfig } from './config';
import type { OwnLedger } from './domain/anchor-notice-origin';
import { EthersLedgerReader, LEDGER_LOCATION } from './infrastructure/ethers-ledger-reader';
import { MongoSummaryStore } from './infrastructure/mongo-summary.store';
import { OtelAnchorNoticeMetrics } from './infrastructure/otel-anchor-notice.metrics';
import {
  PatientSummaryDocument,
  PatientSummarySchema,
  SummaryIndexCursorDocument,
  SummaryIndexCursorSchema,
} from './infrastructure/patient-summary.schema';
import { SUMMARY_POLL_SETTINGS, SummaryIndexPoller } from './infrastructure/summary-index.poller';

/**
 * The patient Summary index: the chain poller, the store, the read path and the relay-event
 * checks. Needs the global ChainModule (CHAIN_PROVIDER) and MongoModule.
 */
@Module({})
export class SummaryModule {
  static forRoot(config: SummaryIndexConfig): DynamicModule {
    return {
      module: SummaryModule,
      imports: [
        MongooseModule.forFeature([
          { name: PatientSummaryDocument.name, schema: PatientSummarySchema },
          { name: SummaryIndexCursorDocument.name, schema: SummaryIndexCursorSchema },
        ]),
      ],
      controllers: [SummaryController],
      providers: [
        { provide: LEDGER_LOCATION, useValue: { address: config.ledgerAddress, deployBlock: config.deployBlock } },
        { provide: SUMMARY_INDEX_SETTINGS, useValue: { confirmations: config.confirmations, maxBlocksPerStep: config.maxBlocksPerStep } },
        { provide: SUMMARY_POLL_SETTINGS, useValue: { pollIntervalMs: config.pollIntervalMs, sweepIntervalMs: config.sweepIntervalMs } },
        { provide: OWN_LEDGER, useValue: { chainId: config.chain.CHAIN_ID, ledger: config.ledgerAddress } satisfies OwnLedger },
        { provide: ANCHOR_NOTICE_METRICS, useFactory: () => new OtelAnchorNoticeMetrics() },
        { provide: LEDGER_READER, useClass: EthersLedgerReader },
        { provide: SUMMARY_STORE, useClass: MongoSummaryStore },
        SummaryIndexer,
        GetPatientSummaryQuery,
        CheckAnchorNoticeUseCase,
        SummaryIndexPoller,
      ],
      exports: [SummaryIndexer, CheckAnchorNoticeUseCase],
    };
  }
}
