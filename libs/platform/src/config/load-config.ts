import { z } from 'zod';

/**
 * Validates the environment against a service's config schema once, at boot. A missing or
 * bad variable ends the process with exit code 1 and a single line naming every offending
 * variable, so an operator sees the cause in the first line of the pod log.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  process.stderr.write(`${describeConfigError(service, parsed.error)}\n`);
  process.exit(1);
}

/** One line: `<service>: invalid configuration: MONGO_URL is required; PORT must be ...`. */
export function describeConfigError(service: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return missing ? `${variable} is required` : `${variable} ${issue.message.replace(/\s+/g, ' ')}`;
  });
  return `${service}: invalid configuration: ${parts.join('; ')}`;
}
