import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { auditConfigSchema } from './config';

async function main() {
  const config = loadConfig('audit', auditConfigSchema);
  await bootstrapService({
    service: 'audit',
    description: 'Append-only log of every platform event, queryable per subject (patient, record, address).',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
  });
}

void main();
