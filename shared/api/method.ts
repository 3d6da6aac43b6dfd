import type { Schema } from '../schema';

export interface MethodSpec<A, R> {
  readonly args: Schema<A>;
  /** Phantom: the result type, never set at run time. */
  readonly result?: R;
}

/** `method<Result>()(argsSchema)`: the result type is given, the args type is inferred. */
export const method =
  <R>() =>
  <A>(args: Schema<A>): MethodSpec<A, R> => ({ args });
