import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { relayConfigSchema } from './config';

async function main() {
  const config = loadConfig('chain-relay', relayConfigSchema);
  await bootstrapService({
    service: 'chain-relay',
    description: 'Batches PPR operations into proof-of-work blocks and announces them after k confirmations.',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
  });
}

void main();
