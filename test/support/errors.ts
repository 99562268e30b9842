import { AppError } from '../../src/domain/errors.js';

/** The AppError that `fn` throws; fails the test when it throws nothing or something else. */
export function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
