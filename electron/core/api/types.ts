import type { ArgsOf, MethodName, ResultOf } from '../../../shared/api';

/** A handler gets validated arguments and returns the result, or throws an ApiFailure. */
export type Handler<M extends MethodName> = (args: ArgsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in MethodName]: Handler<M> };
export type HandlersFor<K extends MethodName> = { [M in K]: Handler<M> };

/** Thrown by handlers for an expected failure the user should read. */
export class ApiFailure extends Error {
  constructor(
    readonly code: 'bad_request' | 'not_found' | 'failed' | 'cancelled' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}
