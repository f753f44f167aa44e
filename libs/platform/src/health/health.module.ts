import { Controller, Get, Inject, Module, type DynamicModule } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { DependencyProbe } from './dependency-probe';

const PROBES = Symbol('PROBES');

@ApiTags('health')
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PROBES) private readonly probes: DependencyProbe[],
  ) {}

  /** The process is up and its event loop answers; never touches a dependency. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  /** 200 when every dependency answers; 503 naming each one that does not. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: every dependency answers' })
  @ApiResponse({ status: 503, description: 'A dependency is down; `error` names it' })
  ready() {
    return this.health.check(
      this.probes.map((probe) => async () => {
        const indicator = this.indicators.check(probe.name);
        try {
          const details = await probe.check();
          return indicator.up(details ?? {});
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

/** /health/live and /health/ready (terminus) over the service's dependency probes. */
@Module({})
export class HealthModule {
  /** `probes`: the injection tokens of the DependencyProbes this service depends on. */
  static forRoot(probes: (string | symbol)[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
      controllers: [HealthController],
      providers: [{ provide: PROBES, useFactory: (...p: DependencyProbe[]) => p, inject: probes }],
    };
  }
}
