import { isMethodName, methods, type ApiResult, type MethodName } from '../../../shared/api';
import { ApiFailure, type Handlers } from './types';

/**
 * The one entry point of both transports: checks the method name against the contract,
 * validates the arguments with the method's schema, runs the handler and wraps the outcome.
 * Never throws.
 */
export async function dispatch(handlers: Handlers, method: unknown, args: unknown): Promise<ApiResult<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'bad_request', message: `unknown method ${JSON.stringify(String(method).slice(0, 64))}` } };
  }
  const spec = methods[method as MethodName];
  const checked = spec.args.check(args ?? {}, '');
  if (!checked.ok) {
    return { ok: false, error: { code: 'bad_request', message: `${method}: ${checked.issue.path}: ${checked.issue.message}`, path: checked.issue.path } };
  }
  try {
    const handler = handlers[method] as (a: unknown) => unknown;
    const value = await handler(checked.value);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ApiFailure) return { ok: false, error: { code: e.code, message: e.message } };
    return { ok: false, error: { code: 'failed', message: e instanceof Error ? e.message : String(e) } };
  }
}
