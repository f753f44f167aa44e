import './telemetry';
import { bootstrapService, loadConfig } from '@carechain/platform';
import { AppModule } from './app.module';
import { issuerConfigSchema } from './config';

async function main() {
  const config = loadConfig('attribute-issuer', issuerConfigSchema);
  await bootstrapService({
    service: `attribute-issuer (${config.ISSUER_ID})`,
    description: 'An independent attribute authority: public keys, attribute epochs, keys and credentials.',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
  });
}

void main();
