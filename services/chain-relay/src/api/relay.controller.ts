import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetRelayStatusQuery } from '../application/get-relay-status.query';

@ApiTags('relay')
@Controller('v1/relay')
export class RelayController {
  constructor(private readonly status: GetRelayStatusQuery) {}

  @Get('status')
  @ApiOperation({ summary: 'Chain id, head block and confirmation depth as the relay sees them' })
  get() {
    return this.status.execute();
  }
}
