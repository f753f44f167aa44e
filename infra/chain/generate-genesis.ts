// Regenerates infra/chain/genesis.json from libs/testing's genesis definition.
// Run: npx tsx infra/chain/generate-genesis.ts   (a unit test fails when the file is stale)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGenesis } from '../../libs/testing/src/chain/genesis';

const target = join(__dirname, 'genesis.json');
writeFileSync(target, JSON.stringify(buildGenesis(), null, 2) + '\n');
console.log(`wrote ${target}`);
